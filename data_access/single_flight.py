"""Compute a missing cache value once, however many requests want it at the same time.

When a popular link is opened by fifty people at once, every request misses
the cache together. Without a lock each one would run the same query. Here:

- inside one process, requests for the same key queue on a per-key thread lock;
- across processes and hosts, the first to `add` a lock key in the shared cache
  (Redis SET NX with an expiry, so a lock whose owner died expires) computes and
  stores the value; the others poll the cache for it with a short sleep;
- a waiter gives up after `wait_s` and computes itself, so a stuck or crashed
  owner slows requests down but never blocks them.

Values and locks are kept in a store (data_access/cache_store.py): Redis
through our own client, or an in-process cachelib backend.

Errors of the cache backend (Redis down) are never fatal: the value is then
computed without a cache, and the backend is left alone for a few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from data_access.cache_store import MISSING, Store

log = logging.getLogger(__name__)

POLL_S = 0.01


class _Breaker:
    """After a backend failure, leave that backend alone for `open_s` seconds.

    A Redis that stops answering then costs one socket timeout every few
    seconds per worker, not one per cache call (a page makes dozens). The
    failure is logged at most once a minute."""

    def __init__(self, open_s: float = 5.0, log_every_s: float = 60.0) -> None:
        self.open_s = open_s
        self.log_every_s = log_every_s
        self.open_until: dict[int, float] = {}
        self.last_log = float("-inf")

    def is_open(self, store: Store) -> bool:
        return self.open_until.get(id(store), 0.0) > time.monotonic()

    def trip(self, store: Store, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        self.open_until[id(store)] = now + self.open_s
        if now - self.last_log >= self.log_every_s:
            self.last_log = now
            log.warning(
                "cache backend failed (%s): %s: %s; computing without it", what, type(exc).__name__, exc
            )


breaker = _Breaker()


class KeyLocks:
    """One thread lock per key in use, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}

    @contextmanager
    def hold(self, key: str, wait_s: float) -> Iterator[bool]:
        """Hold the key's lock, giving up after `wait_s`; yields whether this
        thread had to wait (another thread of this process held it meanwhile)."""
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        waited = not entry[0].acquire(blocking=False)
        acquired = not waited or entry[0].acquire(timeout=wait_s)
        try:
            yield waited
        finally:
            if acquired:
                entry[0].release()
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    self._locks.pop(key, None)


def lookup(store: Store, key: str) -> Any:
    """The cached value, or MISSING (also when the backend fails)."""
    if breaker.is_open(store):
        return MISSING
    try:
        return store.get(key)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "not cached"
        breaker.trip(store, "get", exc)
        return MISSING


def put(store: Store, key: str, value: Any, timeout: int | None) -> None:
    """Store `value` (None too), ignoring backend failures."""
    if breaker.is_open(store):
        return
    try:
        store.set(key, value, timeout)
    except Exception as exc:  # noqa: BLE001
        breaker.trip(store, "set", exc)


def lock_or_value(store: Store, key: str, expire_s: float) -> tuple[str | None, Any]:
    """(token, MISSING) if this process now owns the lock of `key`; (None, value) if
    the value is there after all (stored since our first lookup); else (None, MISSING).

    On Redis one script does both atomically, in one round trip. Raises when the
    backend fails (the caller then computes without a lock)."""
    token = uuid.uuid4().hex
    locked, value = store.lock_or_value(key, token, expire_s)
    return (token if locked else None), value


def release(store: Store, key: str, token: str) -> None:
    """Drop the lock of `key` if this process still owns it."""
    if breaker.is_open(store):
        return
    try:
        store.release(key, token)
    except Exception as exc:  # noqa: BLE001 - the lock then expires by itself
        breaker.trip(store, "unlock", exc)


def store_and_release(store: Store, key: str, value: Any, timeout: int | None, token: str) -> None:
    """Store `value` and drop our lock of `key`: in one script on Redis, else one after the other."""
    if breaker.is_open(store):
        return
    try:
        store.store_and_release(key, value, timeout, token)
    except Exception as exc:  # noqa: BLE001 - not stored; the lock expires by itself
        breaker.trip(store, "set", exc)


def compute_once(
    store: Store,
    locks: KeyLocks,
    key: str,
    compute: Callable[[], Any],
    timeout: int | None,
    wait_s: float,
    store_if: Callable[[Any], bool] = lambda _value: True,
) -> Any:
    """The cached value of `key`, computing and storing it once on a miss."""
    if store.shared and not breaker.is_open(store):
        # On Redis one script answers the value or takes the lock: a miss costs
        # a round trip less than a lookup followed by a lock.
        try:
            token, value = lock_or_value(store, key, expire_s=wait_s + 10)
        except Exception as exc:  # noqa: BLE001 - no shared lock: compute alone
            breaker.trip(store, "lock", exc)
            return _compute_and_put(store, key, compute, timeout, store_if)
        if value is not MISSING:
            return value
        if token is not None:
            return _compute_and_hand_over(store, key, compute, timeout, store_if, token)
    value = lookup(store, key)
    if value is not MISSING:
        return value
    with locks.hold(key, wait_s) as waited:
        # Whoever held the local lock before us may have stored it meanwhile.
        value = lookup(store, key) if waited else MISSING
        if value is not MISSING:
            return value
        return _compute_shared(store, key, compute, timeout, wait_s, store_if)


def _compute_shared(store, key, compute, timeout, wait_s, store_if) -> Any:
    """Compute under the shared lock, or wait for its owner's value."""
    deadline = time.monotonic() + wait_s
    while True:
        if breaker.is_open(store):  # no shared lock to be had: compute alone
            return _compute_and_put(store, key, compute, timeout, store_if)
        try:
            token, value = lock_or_value(store, key, expire_s=wait_s + 10)
        except Exception as exc:  # noqa: BLE001 - no shared lock: compute alone
            breaker.trip(store, "lock", exc)
            return _compute_and_put(store, key, compute, timeout, store_if)
        if value is not MISSING:  # stored by another worker since our lookup
            return value
        if token is not None:
            return _compute_and_hand_over(store, key, compute, timeout, store_if, token)
        # Another worker holds the lock: the next turn takes its value once stored.
        time.sleep(POLL_S)
        if time.monotonic() >= deadline:
            log.warning("waited %.1f s for another worker to compute %s; computing it here", wait_s, key)
            return _compute_and_put(store, key, compute, timeout, store_if)


def _compute_and_hand_over(store, key, compute, timeout, store_if, token: str) -> Any:
    """Compute under our lock, then store the value and release the lock together."""
    try:
        value = compute()
    except BaseException:
        release(store, key, token)
        raise
    if store_if(value):
        store_and_release(store, key, value, timeout, token)
    else:
        release(store, key, token)
    return value


def _compute_and_put(store, key, compute, timeout, store_if) -> Any:
    value = compute()
    if store_if(value):
        put(store, key, value, timeout)
    return value
