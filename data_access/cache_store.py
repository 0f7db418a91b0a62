"""Where single flight keeps values and locks: one adapter per kind of backend.

- `LocalStore`: an in-process cachelib backend (SimpleCache, NullCache),
  through its public get/set/add/delete.
- `RedisStore`: Redis, through a redis-py client of our own (`redis_client`).
  flask-caching's RedisCache is handed that same client as its host (a client
  in place of an address, as its RedisCache documents): one connection pool
  per process, and /healthz pings the client the cache really uses.

Every key single flight writes or reads on Redis (memo:, resp:, lock:, the
generation) goes through our client and `encode`/`decode`, so what a Lua script
stores and what GET reads are in a format we own, never half cachelib's. Key
names carry the backend's key prefix, so cachelib's public `clear()` (the
cache reset) removes them with the rest; the query counters stay cachelib's
(`inc`, `get_many`), read only through it.

Both store a None result as a stand-in string: the in-process backends answer
None for a missing key, and on Redis it keeps our values readable by the
previous release during a rolling deploy (see `_TAG`).
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import Any, Protocol

import redis
from cachelib import BaseCache, NullCache, RedisCache

MISSING: Any = object()  # "not in the cache", distinct from a cached None
_NONE = "__compass_cached_none__"  # what a None result is stored as

# One round trip: the value if stored, else take the lock (SET NX with expiry).
# A value not in our format (ARGV[3] = its first byte) counts as absent.
_LOCK_OR_GET_SCRIPT = """
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, #ARGV[3]) == ARGV[3] then return {1, value} end
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
# The first byte of every value we store on Redis: the tag cachelib's RedisCache
# puts before a pickle, so that during a rolling deploy the previous release
# (which read these keys through cachelib) and this one read each other's values.
_TAG = b"!"


class Store(Protocol):
    """What single flight needs of a backend; every method may raise on a backend failure."""

    shared: bool  # shared between processes and hosts (and locks atomically in one round trip)
    enabled: bool  # False for NullCache: nothing is ever stored
    kind: str  # the backend's name, for /healthz

    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any, timeout: int | None) -> None: ...
    def lock_or_value(self, key: str, token: str, expire_s: float) -> tuple[bool, Any]: ...
    def release(self, key: str, token: str) -> None: ...
    def store_and_release(self, key: str, value: Any, timeout: int | None, token: str) -> None: ...
    def ping(self) -> None: ...


def lock_name(key: str) -> str:
    return f"lock:{key}"


def encode(value: Any) -> bytes:
    """A value as stored on Redis: the tag, then the pickle (None as its stand-in)."""
    return _TAG + pickle.dumps(_NONE if value is None else value, pickle.HIGHEST_PROTOCOL)


def decode(raw: bytes | None) -> Any:
    """The reverse of `encode`; MISSING for no value or one not in our format."""
    if raw is None or not raw.startswith(_TAG):
        return MISSING
    return _unwrapped(pickle.loads(raw[len(_TAG) :]))


def _unwrapped(value: Any) -> Any:
    """A stored value as the caller sees it (the None stand-in becomes None)."""
    return None if isinstance(value, str) and value == _NONE else value


class LocalStore:
    """An in-process cachelib backend, through its public API only."""

    shared = False

    def __init__(self, backend: BaseCache) -> None:
        self.backend = backend
        self.enabled = not isinstance(backend, NullCache)
        self.kind = type(backend).__name__

    def get(self, key: str) -> Any:
        value = self.backend.get(key)
        return MISSING if value is None else _unwrapped(value)

    def set(self, key: str, value: Any, timeout: int | None) -> None:
        self.backend.set(key, _NONE if value is None else value, timeout=timeout)

    def lock_or_value(self, key: str, token: str, expire_s: float) -> tuple[bool, Any]:
        """(True, MISSING) if we now own the lock; (False, value) if the value was
        stored since our first lookup; (False, MISSING) if another owns the lock."""
        if not self.backend.add(lock_name(key), token, timeout=max(1, int(expire_s))):
            return False, MISSING
        value = self.get(key)
        if value is not MISSING:
            self.release(key, token)
            return False, value
        return True, MISSING

    def release(self, key: str, token: str) -> None:
        if self.backend.get(lock_name(key)) == token:
            self.backend.delete(lock_name(key))

    def store_and_release(self, key: str, value: Any, timeout: int | None, token: str) -> None:
        self.set(key, value, timeout)
        self.release(key, token)

    def ping(self) -> None:
        self.backend.has("healthz")


class RedisStore:
    """The Redis of a RedisCache, through our own client; the locks are atomic scripts."""

    shared = True
    enabled = True
    kind = "RedisCache"

    def __init__(self, client: redis.Redis, prefix: str, default_timeout: int) -> None:
        self.client = client
        self.prefix = prefix
        self.default_timeout = default_timeout

    @classmethod
    def for_backend(cls, backend: RedisCache, client: redis.Redis) -> RedisStore:
        """A store on `backend`'s client, with its key prefix and default timeout."""
        prefix = backend.key_prefix() if callable(backend.key_prefix) else backend.key_prefix
        return cls(client, prefix or "", backend.default_timeout)

    def name(self, key: str) -> str:
        """The Redis key of `key`: named as cachelib names its own."""
        return f"{self.prefix}{key}"

    def get(self, key: str) -> Any:
        return decode(self.client.get(self.name(key)))

    def set(self, key: str, value: Any, timeout: int | None) -> None:
        seconds = self._seconds(timeout)
        self.client.set(self.name(key), encode(value), ex=seconds or None)

    def lock_or_value(self, key: str, token: str, expire_s: float) -> tuple[bool, Any]:
        """As LocalStore.lock_or_value, in one script (one round trip, atomic)."""
        names = (self.name(key), self.name(lock_name(key)))
        answer = self.client.eval(_LOCK_OR_GET_SCRIPT, 2, *names, token, int(expire_s * 1000), _TAG)
        if answer[0] == 1:
            return False, decode(answer[1])
        return answer[0] == 2, MISSING

    def release(self, key: str, token: str) -> None:
        self.client.eval(_RELEASE_SCRIPT, 1, self.name(lock_name(key)), token)

    def store_and_release(self, key: str, value: Any, timeout: int | None, token: str) -> None:
        names = (self.name(key), self.name(lock_name(key)))
        self.client.eval(_STORE_AND_RELEASE_SCRIPT, 2, *names, encode(value), token, self._seconds(timeout))

    def ping(self) -> None:
        self.client.ping()

    def _seconds(self, timeout: int | None) -> int:
        """Seconds to keep a value, 0 for ever: None is the backend's default, as in cachelib."""
        return max(int(self.default_timeout if timeout is None else timeout), 0)


def redis_client(config: Mapping[str, Any]) -> redis.Redis | None:
    """A client of CACHE_REDIS_URL with CACHE_OPTIONS (socket timeouts), as
    flask-caching's RedisCache factory builds one; None without a URL.
    Nothing connects before the first command."""
    url = config.get("CACHE_REDIS_URL")
    return redis.Redis.from_url(url, **(config.get("CACHE_OPTIONS") or {})) if url else None


def store_for(backend: BaseCache, client: redis.Redis | None) -> Store:
    """The store of a flask-caching backend; `client` is the one a RedisCache was given."""
    if not isinstance(backend, RedisCache):
        return LocalStore(backend)
    if client is None:
        raise ValueError("CACHE_TYPE=RedisCache needs CACHE_REDIS_URL (config.py sets it)")
    return RedisStore.for_backend(backend, client)
