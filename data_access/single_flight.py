"""Compute a missing cache value once, however many requests want it at the same time.

When a popular link is opened by fifty people at once, every request misses
the cache together. Without a lock each one would run the same query. Here:

- inside one process, requests for the same key queue on a per-key thread lock;
- across processes and hosts, the first to `add` a lock key in the shared cache
  (Redis SET NX with an expiry, so a lock whose owner died expires) computes and
  stores the value; the others poll the cache for it with a short sleep;
- a waiter gives up after `wait_s` and computes itself, so a stuck or crashed
  owner slows requests down but never blocks them.

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

from cachelib import BaseCache

log = logging.getLogger(__name__)

MISSING: Any = object()  # "not in the cache", distinct from a cached None
_NONE = "__compass_cached_none__"  # what a None result is stored as
POLL_S = 0.01
_LOCK_OR_GET_SCRIPT = """
local value = redis.call('GET', KEYS[1])
if value then return {1, value} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {0}
"""
_RELEASE_SCRIPT = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)
# Store the value (ARGV[3] seconds, none when 0) and drop our lock: one round trip, not two.
_STORE_AND_RELEASE_SCRIPT = """
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1
"""


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

    def is_open(self, backend: BaseCache) -> bool:
        return self.open_until.get(id(backend), 0.0) > time.monotonic()

    def trip(self, backend: BaseCache, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        self.open_until[id(backend)] = now + self.open_s
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


def lookup(backend: BaseCache, key: str) -> Any:
    """The cached value, or MISSING (also when the backend fails)."""
    if breaker.is_open(backend):
        return MISSING
    try:
        value = backend.get(key)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "not cached"
        breaker.trip(backend, "get", exc)
        return MISSING
    if value is None:
        return MISSING
    return _decoded(value)


def _decoded(value: Any) -> Any:
    """A stored value as the caller sees it (the None stand-in becomes None)."""
    return None if isinstance(value, str) and value == _NONE else value


def store(backend: BaseCache, key: str, value: Any, timeout: int | None) -> None:
    """Store `value` (None too), ignoring backend failures."""
    if breaker.is_open(backend):
        return
    try:
        backend.set(key, _NONE if value is None else value, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        breaker.trip(backend, "set", exc)


def _redis_client(backend: BaseCache):
    """The Redis client behind a cachelib RedisCache, or None for other backends."""
    return getattr(backend, "_write_client", None)


def _redis_name(backend: BaseCache, key: str) -> str:
    prefix = backend.key_prefix() if callable(backend.key_prefix) else backend.key_prefix
    return f"{prefix or ''}{key}"


def lock_or_value(backend: BaseCache, key: str, expire_s: float) -> tuple[str | None, Any]:
    """(token, MISSING) if this process now owns the lock of `key`; (None, value) if
    the value is there after all (stored since our first lookup); else (None, MISSING).

    On Redis one script does both atomically, in one round trip. Raises when the
    backend fails (the caller then computes without a lock)."""
    token = uuid.uuid4().hex
    lock_key = f"lock:{key}"
    client = _redis_client(backend)
    if client is not None:
        names = (_redis_name(backend, key), _redis_name(backend, lock_key))
        answer = client.eval(_LOCK_OR_GET_SCRIPT, 2, *names, token, int(expire_s * 1000))
        if answer[0] == 1:
            return None, _decoded(backend.serializer.loads(answer[1]))
        return (token if answer[0] == 2 else None), MISSING
    if not backend.add(lock_key, token, timeout=max(1, int(expire_s))):
        return None, MISSING
    value = lookup(backend, key)
    if value is not MISSING:
        release(backend, key, token)
        return None, value
    return token, MISSING


def release(backend: BaseCache, key: str, token: str) -> None:
    """Drop the lock of `key` if this process still owns it."""
    lock_key = f"lock:{key}"
    if breaker.is_open(backend):
        return
    try:
        client = _redis_client(backend)
        if client is not None:
            client.eval(_RELEASE_SCRIPT, 1, _redis_name(backend, lock_key), token)
        elif backend.get(lock_key) == token:
            backend.delete(lock_key)
    except Exception as exc:  # noqa: BLE001 - the lock then expires by itself
        breaker.trip(backend, "unlock", exc)


def store_and_release(backend: BaseCache, key: str, value: Any, timeout: int | None, token: str) -> None:
    """Store `value` and drop our lock of `key`: in one script on Redis, else one after the other."""
    client = _redis_client(backend)
    if client is None or breaker.is_open(backend):
        store(backend, key, value, timeout)
        release(backend, key, token)
        return
    try:
        seconds = backend._normalize_timeout(timeout)  # as cachelib's own set() reads it
        dump = backend.serializer.dumps(_NONE if value is None else value)
        names = (_redis_name(backend, key), _redis_name(backend, f"lock:{key}"))
        client.eval(_STORE_AND_RELEASE_SCRIPT, 2, *names, dump, token, max(seconds, 0))
    except Exception as exc:  # noqa: BLE001 - not stored; the lock expires by itself
        breaker.trip(backend, "set", exc)


def compute_once(
    backend: BaseCache,
    locks: KeyLocks,
    key: str,
    compute: Callable[[], Any],
    timeout: int | None,
    wait_s: float,
    store_if: Callable[[Any], bool] = lambda _value: True,
) -> Any:
    """The cached value of `key`, computing and storing it once on a miss."""
    if _redis_client(backend) is not None and not breaker.is_open(backend):
        # On Redis one script answers the value or takes the lock: a miss costs
        # a round trip less than a lookup followed by a lock.
        try:
            token, value = lock_or_value(backend, key, expire_s=wait_s + 10)
        except Exception as exc:  # noqa: BLE001 - no shared lock: compute alone
            breaker.trip(backend, "lock", exc)
            return _compute_and_store(backend, key, compute, timeout, store_if)
        if value is not MISSING:
            return value
        if token is not None:
            return _compute_and_hand_over(backend, key, compute, timeout, store_if, token)
    value = lookup(backend, key)
    if value is not MISSING:
        return value
    with locks.hold(key, wait_s) as waited:
        # Whoever held the local lock before us may have stored it meanwhile.
        value = lookup(backend, key) if waited else MISSING
        if value is not MISSING:
            return value
        return _compute_shared(backend, key, compute, timeout, wait_s, store_if)


def _compute_shared(backend, key, compute, timeout, wait_s, store_if) -> Any:
    """Compute under the shared lock, or wait for its owner's value."""
    deadline = time.monotonic() + wait_s
    while True:
        if breaker.is_open(backend):  # no shared lock to be had: compute alone
            return _compute_and_store(backend, key, compute, timeout, store_if)
        try:
            token, value = lock_or_value(backend, key, expire_s=wait_s + 10)
        except Exception as exc:  # noqa: BLE001 - no shared lock: compute alone
            breaker.trip(backend, "lock", exc)
            return _compute_and_store(backend, key, compute, timeout, store_if)
        if value is not MISSING:  # stored by another worker since our lookup
            return value
        if token is not None:
            return _compute_and_hand_over(backend, key, compute, timeout, store_if, token)
        # Another worker holds the lock: the next turn takes its value once stored.
        time.sleep(POLL_S)
        if time.monotonic() >= deadline:
            log.warning("waited %.1f s for another worker to compute %s; computing it here", wait_s, key)
            return _compute_and_store(backend, key, compute, timeout, store_if)


def _compute_and_hand_over(backend, key, compute, timeout, store_if, token: str) -> Any:
    """Compute under our lock, then store the value and release the lock together."""
    try:
        value = compute()
    except BaseException:
        release(backend, key, token)
        raise
    if store_if(value):
        store_and_release(backend, key, value, timeout, token)
    else:
        release(backend, key, token)
    return value


def _compute_and_store(backend, key, compute, timeout, store_if) -> Any:
    value = compute()
    if store_if(value):
        store(backend, key, value, timeout)
    return value
