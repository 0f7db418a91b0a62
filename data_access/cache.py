"""The query cache: created unbound here, attached to the server by the app factory.

Backends (CACHE_TYPE): SimpleCache, in-process, the embedded default;
RedisCache, shared by every worker and host; NullCache, no caching. Every
memoized query takes the data version as an argument, so a load anywhere
makes every worker miss at once, without any delete.

`@cache.memoize_query()` keys a result by the function's qualified name and its
arguments (bound to the signature, so `f(1)` and `f(a=1)` share a key), the
same in every process. A miss computes the value once however many requests
want it at the same moment (data_access/single_flight.py), None included.
Values, locks and the generation live in a store (data_access/cache_store.py):
on Redis, a redis-py client of ours, which flask-caching's RedisCache uses too.

With COMPASS_QUERY_STATS=1 each computation, i.e. each call that reaches the
database, increments a per-function counter in the cache backend, so the
counts of every worker sharing Redis add up (web/operations.py serves them).

The generation: a token in the shared backend that `reset()` replaces. Workers
read it at most every COMPASS_GENERATION_TTL seconds and put it in the keys of
their in-process copies (web/callback_cache.py), so after a reset no worker
serves a copy made before it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_caching import Cache

from data_access.cache_store import Store, redis_client, store_for
from data_access.single_flight import MISSING, KeyLocks, compute_once, lookup

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
QUERY_CODE = ("data_access", "model")  # the packages whose code decides what a query returns
_OPTIONS = "compass_cache_options"
_STORE = "compass_cache_store"
STATS_PREFIX = "stats:"
GENERATION_KEY = "generation"


@dataclass(frozen=True)
class CacheOptions:
    """Per-app settings of the cache (one Cache object may serve several test apps)."""

    query_stats: bool = False
    lock_wait_s: float = 20.0
    generation_ttl_s: float = 1.0


def memo_key(name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> str:
    """A key for `name` called with these arguments, stable across processes.

    The arguments are plain values (str, int, None, tuples), whose repr is
    stable; Python's hash() is not (it is randomised per process). The key
    names the release's query code: after a deploy that changes what a query
    returns (a new column), no worker reads a frame the previous release
    cached in Redis and fails on the missing column."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    digest = hashlib.sha256(repr(tuple(bound.arguments.items())).encode()).hexdigest()[:32]
    return f"memo:{query_code_fingerprint()}:{name}:{digest}"


@functools.cache
def query_code_fingerprint() -> str:
    """A short hash of the code that shapes cached query results (data_access, model)."""
    digest = hashlib.sha256()
    for folder in QUERY_CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class CompassCache(Cache):
    """flask-caching's Cache with a stampede-safe query decorator and query counters.

    flask-caching's own `memoize` is left as it is: `memoize_query` keys and
    locks differently (see the module doc), so it has a name of its own."""

    def __init__(self) -> None:
        super().__init__()
        self._locks = KeyLocks()
        self.memoized_names: list[str] = []
        self._generations: dict[int, tuple[str, float]] = {}  # id(store) -> (token, read at)
        self._generations_lock = threading.Lock()

    def init_app(self, app: Flask, config: dict | None = None) -> None:
        config = dict(config or {})
        # The configuration as flask-caching merges it: the app's, then ours.
        client = redis_client({**app.config, **(self.config or {}), **config})
        if client is not None:  # flask-caching's RedisCache uses our client, not one of its own
            config.update(CACHE_REDIS_HOST=client, CACHE_REDIS_URL=None)
        super().init_app(app, config)
        app.extensions[_OPTIONS] = CacheOptions(
            query_stats=bool(config.get("COMPASS_QUERY_STATS", False)),
            lock_wait_s=float(config.get("COMPASS_LOCK_WAIT", CacheOptions.lock_wait_s)),
            generation_ttl_s=float(config.get("COMPASS_GENERATION_TTL", CacheOptions.generation_ttl_s)),
        )
        with app.app_context():  # flask-caching's backend for this app
            app.extensions[_STORE] = store_for(self.cache, client)

    @property
    def options(self) -> CacheOptions:
        return current_app.extensions.get(_OPTIONS, CacheOptions())

    @property
    def store(self) -> Store:
        """The current app's store (data_access/cache_store.py): its values, locks, generation."""
        return current_app.extensions[_STORE]

    def memoize_query(self, timeout: int | None = None) -> Callable:
        """Decorator: cache the function's result by its arguments (see module doc)."""

        def decorator(f: Callable) -> Callable:
            name = f"{f.__module__}.{f.__qualname__}"
            signature = inspect.signature(f)
            self.memoized_names.append(name)

            @functools.wraps(f)
            def memoized(*args: Any, **kwargs: Any) -> Any:
                def compute() -> Any:
                    self.count_query(name)
                    return f(*args, **kwargs)

                return self.get_or_compute(memo_key(name, signature, args, kwargs), compute, timeout)

            memoized.uncached = f  # type: ignore[attr-defined]
            return memoized

        return decorator

    def get_or_compute(
        self,
        key: str,
        compute: Callable[[], Any],
        timeout: int | None = None,
        store_if: Callable[[Any], bool] = lambda _value: True,
    ) -> Any:
        """The cached value of `key`, computed once on a miss (see single_flight)."""
        store = self.store
        if not store.enabled:
            return compute()
        return compute_once(store, self._locks, key, compute, timeout, self.options.lock_wait_s, store_if)

    def count_query(self, name: str) -> None:
        """Add one to `name`'s counter when COMPASS_QUERY_STATS is on."""
        if not self.options.query_stats:
            return
        try:
            self.cache.inc(STATS_PREFIX + name)
        except Exception as exc:  # noqa: BLE001 - diagnostics must never break a page
            log.warning("query counter not updated: %s", exc)

    @property
    def shared(self) -> bool:
        """Whether the backend is shared between processes (Redis), not in-process."""
        return self.store.shared

    def generation(self) -> str:
        """The shared backend's generation token, re-read at most every TTL."""
        store = self.store
        now = time.monotonic()
        known = self._generations.get(id(store))
        if known is not None and now - known[1] < self.options.generation_ttl_s:
            return known[0]
        value = lookup(store, GENERATION_KEY)  # MISSING: never reset, or Redis down
        fallback = known[0] if known else "0"
        token = fallback if value is MISSING else str(value)
        with self._generations_lock:
            self._generations[id(store)] = (token, now)
        return token

    def reset(self) -> None:
        """Empty the cache and start a new generation; returns once every worker
        has stopped using its in-process copies (one generation TTL later)."""
        store = self.store
        self.cache.clear()  # every key under the prefix: the store's keys too
        store.set(GENERATION_KEY, uuid.uuid4().hex, timeout=0)
        with self._generations_lock:
            self._generations.pop(id(store), None)
        if self.shared:
            time.sleep(self.options.generation_ttl_s + 0.05)

    def query_counts(self) -> dict[str, int]:
        """{memoized function: computations since the last reset}, every name listed."""
        names = sorted(set(self.memoized_names))
        values = self.cache.get_many(*(STATS_PREFIX + name for name in names)) if names else []
        return {name: int(value or 0) for name, value in zip(names, values, strict=True)}


cache = CompassCache()


def init_cache(server: Flask, config: dict) -> None:
    """Attach the cache to `server` with a flask-caching config dict."""
    cache.init_app(server, config=config)
