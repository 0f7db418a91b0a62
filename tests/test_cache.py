"""Query caching: a repeated call is a hit, a load invalidates, Redis is shared."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from contextlib import contextmanager

import pandas as pd
import pytest
from cachelib import SimpleCache
from flask_caching import Cache
from sqlalchemy import Engine, event, update

from data_access import queries as q
from data_access import schema as s
from data_access.cache import CompassCache, memo_key, query_code_fingerprint
from data_access.cache import cache as shared_cache
from data_access.cache_store import LocalStore
from data_access.engine import make_engine
from data_access.loader import load_reference
from data_access.reference import read_reference
from data_access.single_flight import MISSING, KeyLocks, compute_once, lock_or_value
from data_access.version import bump_version, cached_version
from tests.helpers import REPO, changed_reference, make_app, required_env


@contextmanager
def data_statements(engine: Engine):
    """Collect the SQL statements run on `engine`, except the data-version read."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if "data_version" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def call(app, fn, *args):
    """Call a query function the way a page does: inside a request."""
    with app.server.test_request_context("/"):
        return fn(*args)


def test_repeated_call_is_a_hit(sqlite_engine):
    app = make_app(sqlite_engine)
    with data_statements(sqlite_engine) as seen:
        first = call(app, q.country_results, "LBY", 2022, "en")
        assert len(seen) == 1
        second = call(app, q.country_results, "lby", 2022, "en")  # same key after normalising
        assert len(seen) == 1
        call(app, q.country_results, "LBY", 2022, "fr")  # another language is another key
        assert len(seen) == 2
    assert first.equals(second)


def test_null_cache_always_queries(sqlite_engine):
    app = make_app(sqlite_engine, cache_type="NullCache")
    with data_statements(sqlite_engine) as seen:
        call(app, q.available_years)
        once = len(seen)
        call(app, q.available_years)
    assert once >= 1 and len(seen) == 2 * once


def test_loading_data_invalidates(writable_sqlite, tmp_path):
    app = make_app(writable_sqlite)
    before = call(app, q.indicator_across, "migrants_protection_assistance", "en")
    assert before.value.tolist() == [29117.0]
    load_reference(writable_sqlite, read_reference(changed_reference(tmp_path)))
    with data_statements(writable_sqlite) as seen:
        after = call(app, q.indicator_across, "migrants_protection_assistance", "en")
    assert len(seen) == 1  # a miss: the data version is part of the key
    assert after.value.tolist() == [29118.0]


def _redis_app(url: str, engine: Engine, prefix: str, **overrides):
    return make_app(
        engine, cache_type="RedisCache", cache_redis_url=url, cache_key_prefix=prefix, **overrides
    )


def test_two_app_instances_share_hits_through_redis(writable_sqlite, tmp_path):
    redis_url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    # Two apps with their own engines and caches, like two gunicorn workers or hosts.
    engine_a = make_engine(str(writable_sqlite.url))
    engine_b = make_engine(str(writable_sqlite.url))
    app_a = _redis_app(redis_url, engine_a, prefix)
    app_b = _redis_app(redis_url, engine_b, prefix)
    with data_statements(engine_a) as seen_a:
        from_a = call(app_a, q.programme_kpis, 2022, "fr")
    with data_statements(engine_b) as seen_b:
        from_b = call(app_b, q.programme_kpis, 2022, "fr")
    assert len(seen_a) == 2 and seen_b == []  # b was served from what a cached
    assert from_a == from_b
    # A load through either engine bumps the version: both miss afterwards.
    load_reference(engine_a, read_reference(changed_reference(tmp_path)))
    with data_statements(engine_b) as seen_b:
        call(app_b, q.programme_kpis, 2022, "fr")
    assert len(seen_b) == 2
    with app_a.server.app_context():
        from data_access.cache import cache

        cache.clear()


def test_redis_is_really_used(writable_sqlite):
    redis_url = required_env("TEST_REDIS_URL")
    import redis

    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    app = _redis_app(redis_url, writable_sqlite, prefix)
    call(app, q.available_years)
    client = redis.Redis.from_url(redis_url)
    keys = client.keys(f"{prefix}*")
    assert keys, "no key written to Redis"
    client.delete(*keys)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cached_kpis_are_equal_to_fresh_ones(sqlite_engine, lang):
    cached = make_app(sqlite_engine)
    fresh = make_app(sqlite_engine, cache_type="NullCache")
    assert call(cached, q.programme_kpis, 2023, lang) == call(cached, q.programme_kpis, 2023, lang)
    assert call(cached, q.programme_kpis, 2023, lang) == call(fresh, q.programme_kpis, 2023, lang)


# --- Stampede protection, None results, stable keys, the data version TTL ---

calls: dict[str, int] = {}


@shared_cache.memoize_query()
def _slow_square(n: int, tag: str = "") -> int:
    """A memoized function whose computations are counted; slow enough to overlap."""
    calls[tag] = calls.get(tag, 0) + 1
    time.sleep(0.2)
    return n * n


@shared_cache.memoize_query()
def _nothing(tag: str) -> None:
    calls[tag] = calls.get(tag, 0) + 1


def _hammer(app, fn, args, threads: int = 20) -> list:
    """Call `fn(*args)` from `threads` threads released at the same moment."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def worker(i: int) -> None:
        with app.server.app_context():
            barrier.wait()
            results[i] = fn(*args)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


@pytest.mark.parametrize("backend", ["simple", "redis"])
def test_concurrent_identical_misses_compute_once(sqlite_engine, backend):
    app = (
        make_app(sqlite_engine)
        if backend == "simple"
        else _redis_app(
            required_env("TEST_REDIS_URL"), sqlite_engine, f"compass-test-{uuid.uuid4().hex[:8]}:"
        )
    )
    tag = f"stampede-{backend}-{uuid.uuid4().hex}"
    assert _hammer(app, _slow_square, (7, tag)) == [49] * 20
    assert calls[tag] == 1


def test_none_is_cached_too(sqlite_engine):
    app = make_app(sqlite_engine)
    tag = f"none-{uuid.uuid4().hex}"
    with app.server.app_context():
        assert _nothing(tag) is None and _nothing(tag) is None
    assert calls[tag] == 1


def test_keys_bind_arguments_to_the_signature(sqlite_engine):
    app = make_app(sqlite_engine)
    tag = f"bind-{uuid.uuid4().hex}"
    with app.server.app_context():
        assert _slow_square(3, tag) == _slow_square(n=3, tag=tag) == 9
        assert _slow_square(4, tag) == 16
    assert calls[tag] == 2


def test_keys_are_the_same_in_every_process():
    """Python's hash() differs between processes; a shared cache needs keys that do not."""
    code = (
        "import inspect; from data_access.cache import memo_key\n"
        "def f(iso3, year, lang, version): pass\n"
        "print(memo_key('m.f', inspect.signature(f), ('LBY', None, 'fr', 3), {}))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(keys) == 1 and next(iter(keys)).startswith(f"memo:{query_code_fingerprint()}:m.f:")


def test_a_release_with_other_query_code_uses_other_keys(tmp_path, monkeypatch):
    """A frame cached by the previous release (other columns) is never read after a deploy."""
    import inspect

    from data_access import cache as cache_module

    def f(iso3, version):
        pass

    before = memo_key("m.f", inspect.signature(f), ("LBY", 3), {})
    for folder in cache_module.QUERY_CODE:
        copied = tmp_path / folder
        copied.mkdir()
        for path in (REPO / folder).rglob("*.py"):
            target = copied / path.relative_to(REPO / folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    monkeypatch.setattr(cache_module, "ROOT", tmp_path)
    cache_module.query_code_fingerprint.cache_clear()
    try:
        assert memo_key("m.f", inspect.signature(f), ("LBY", 3), {}) == before  # same code, same key
        (tmp_path / "data_access" / "queries.py").write_text("# a new column\n", encoding="utf-8")
        cache_module.query_code_fingerprint.cache_clear()
        assert memo_key("m.f", inspect.signature(f), ("LBY", 3), {}) != before
    finally:
        cache_module.query_code_fingerprint.cache_clear()


def test_a_waiter_computes_itself_when_the_lock_owner_never_finishes(sqlite_engine):
    app = make_app(sqlite_engine)
    with app.server.app_context():
        store = shared_cache.store
        assert lock_or_value(store, "orphan", expire_s=60)[0]  # another worker took it, then died
        value = compute_once(store, KeyLocks(), "orphan", lambda: "computed", None, wait_s=0.3)
    assert value == "computed"


def test_a_failed_computation_does_not_block_the_next(sqlite_engine):
    app = make_app(sqlite_engine)
    locks = KeyLocks()

    def boom():
        raise RuntimeError("query failed")

    with app.server.app_context():
        store = shared_cache.store
        with pytest.raises(RuntimeError):
            compute_once(store, locks, "fails-once", boom, None, wait_s=30)
        # The lock was released: no 30 s wait, the value is computed at once.
        assert compute_once(store, locks, "fails-once", lambda: 5, None, wait_s=30) == 5


def test_redis_lock_expires_when_its_owner_dies(sqlite_engine):
    import redis

    url = required_env("TEST_REDIS_URL")
    app = _redis_app(url, sqlite_engine, f"compass-test-{uuid.uuid4().hex[:8]}:")
    with app.server.app_context():
        store = shared_cache.store
        assert lock_or_value(store, "k", expire_s=30)[0]
        assert lock_or_value(store, "k", expire_s=30)[0] is None  # held
        ttl_ms = redis.Redis.from_url(url).pttl(store.name("lock:k"))
        assert 0 < ttl_ms <= 30_000  # set atomically with its expiry
        shared_cache.clear()


def test_queries_still_answer_when_redis_is_down(sqlite_engine):
    app = _redis_app("redis://127.0.0.1:1/0", sqlite_engine, "compass-test-down:")
    with data_statements(sqlite_engine) as seen:
        years = call(app, q.available_years)
        once = len(seen)
        assert call(app, q.available_years) == years
    assert years and once >= 1 and len(seen) == 2 * once  # computed each time, uncached, but answered


def test_the_data_version_is_reused_for_its_ttl_and_a_load_here_is_seen_at_once(writable_sqlite):
    start = cached_version(writable_sqlite, ttl_s=600)
    with writable_sqlite.begin() as conn:  # another host's import: this process is not told
        conn.execute(update(s.data_version).values(version=s.data_version.c.version + 1))
    assert cached_version(writable_sqlite, ttl_s=600) == start  # reused within the TTL
    assert cached_version(writable_sqlite, ttl_s=0).number == start.number + 1  # TTL 0: read every time
    with writable_sqlite.begin() as conn:  # an import in this process
        bump_version(conn)
    assert cached_version(writable_sqlite, ttl_s=600).number == start.number + 2


class _FailingBackend(SimpleCache):
    """A cache whose every call fails, like a Redis that stopped answering; counts calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get(self, key):
        self.calls += 1
        raise ConnectionError("no answer")

    set = add = get  # type: ignore[assignment]


def test_a_failing_backend_is_left_alone_for_a_while():
    backend = _FailingBackend()
    store = LocalStore(backend)
    locks = KeyLocks()
    assert compute_once(store, locks, "a", lambda: 1, None, wait_s=5) == 1
    calls = backend.calls
    assert calls >= 1
    assert [compute_once(store, locks, k, lambda: 2, None, wait_s=5) for k in "bcdef"] == [2] * 5
    assert backend.calls == calls  # no further call: each would have cost a socket timeout


@pytest.mark.parametrize("backend_name", ["simple", "redis"])
def test_a_value_stored_since_the_first_lookup_is_taken_not_recomputed(sqlite_engine, backend_name):
    """Another worker may store the value and release its lock between our miss and
    our attempt to lock: we must take its value, not compute a second time."""
    if backend_name == "simple":
        app = make_app(sqlite_engine)
    else:
        prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
        app = _redis_app(required_env("TEST_REDIS_URL"), sqlite_engine, prefix)
    with app.server.app_context():
        store = shared_cache.store
        store.set("raced", {"rows": 3}, None)
        assert lock_or_value(store, "raced", expire_s=30) == (None, {"rows": 3})
        shared_cache.delete("raced")  # (cachelib names its keys as the store does)
        token, value = lock_or_value(store, "raced", expire_s=30)  # no lock was left behind
        assert token and value is MISSING
        shared_cache.clear()


@pytest.mark.parametrize("timeout, expiring", [(30, True), (0, False)])
def test_a_computed_value_is_stored_and_its_lock_dropped_together_on_redis(sqlite_engine, timeout, expiring):
    """On Redis the owner stores the value and releases its lock in one script:
    the value reads back with the asked expiry, and no lock is left."""
    import redis

    url = required_env("TEST_REDIS_URL")
    app = _redis_app(url, sqlite_engine, f"compass-test-{uuid.uuid4().hex[:8]}:")
    client = redis.Redis.from_url(url)
    with app.server.app_context():
        store = shared_cache.store
        try:
            for key, value in (("answer", {"n": 42}), ("nothing", None)):
                assert compute_once(store, KeyLocks(), key, lambda v=value: v, timeout, wait_s=5) == value
                assert compute_once(store, KeyLocks(), key, lambda: "recomputed", timeout, wait_s=5) == value
                assert client.exists(store.name(f"lock:{key}")) == 0
                ttl = client.ttl(store.name(key))
                assert (0 < ttl <= 30) if expiring else ttl == -1
        finally:
            shared_cache.clear()


# --- The cache on cachelib's public API only; what Redis holds, seen from another process ---

# cachelib's private names: its RedisCache's clients, timeout helper, key prefix
# helper and serializer (data_access/cache_store.py has our own client and format).
CACHELIB_PRIVATE = re.compile(
    r"\b(_write_client|_read_client|_normalize_timeout|_get_prefix)\b|\.serializer\b|cachelib\.serializers"
)
APP_CODE = ("data_access", "components", "pages", "web", "app.py", "config.py")


def test_the_app_uses_no_private_name_of_cachelib():
    paths = [
        path
        for name in APP_CODE
        for path in ([REPO / name] if name.endswith(".py") else sorted((REPO / name).rglob("*.py")))
    ]
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CACHELIB_PRIVATE.search(line)
    ]
    assert len(paths) > 50 and offenders == [], "\n".join(offenders)
    for old in (
        'getattr(backend, "_write_client", None)',
        "backend._normalize_timeout(t)",
        "b.serializer.dumps(v)",
    ):
        assert CACHELIB_PRIVATE.search(old)  # the check itself works
    assert not CACHELIB_PRIVATE.search(
        "self._serializers = {}; app.session_interface.get_signing_serializer(app)"
    )


def test_flask_cachings_own_memoize_is_left_alone():
    assert CompassCache.memoize is Cache.memoize  # ours is memoize_query, with its own semantics


# Run in another process: an app of its own on the same Redis and prefix reads
# what the test stored, then resets the cache.
READER = textwrap.dedent(
    """
    import pickle, sys
    from app import build_dash
    from config import Settings
    from data_access.cache import cache
    from data_access.engine import make_engine

    url, prefix, keys = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    settings = Settings(
        cache_type="RedisCache", cache_redis_url=url, cache_key_prefix=prefix, data_version_ttl_ms=100
    )
    app = build_dash(settings, make_engine("sqlite://"))
    with app.server.app_context():
        seen = {key: cache.get_or_compute(key, lambda: "recomputed") for key in keys}
        before = cache.generation()
        cache.reset()
        after = cache.generation()
    sys.stdout.buffer.write(pickle.dumps((seen, before, after)))
    """
)


def test_another_process_reads_what_single_flight_stored_and_sees_a_reset(sqlite_engine):
    url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    app = _redis_app(url, sqlite_engine, prefix, data_version_ttl_ms=100)
    frame = pd.DataFrame({"iso3": ["LBY", "TUN"], "value": [1.5, None]})
    stored = {"frame": frame, "nothing": None, "count": 7, "response": ("application/json", b'{"a": 1}')}
    with app.server.app_context():
        shared_cache.reset()  # a generation token of this app's making, in Redis
        generation = shared_cache.generation()
        for key, value in stored.items():
            assert shared_cache.get_or_compute(key, lambda v=value: v) is value
        run = subprocess.run(
            [sys.executable, "-c", READER, url, prefix, ",".join(stored)], cwd=REPO, capture_output=True
        )
        assert run.returncode == 0, run.stderr.decode()[-3000:]
        seen, before, after = pickle.loads(run.stdout)
        pd.testing.assert_frame_equal(seen.pop("frame"), frame)
        assert seen == {key: value for key, value in stored.items() if key != "frame"}
        assert seen["nothing"] is None and type(seen["count"]) is int  # not the stand-in, not bytes
        assert before == generation != "0" and after != before
        time.sleep(0.2)  # more than this app's generation TTL (data_version_ttl_ms=100)
        assert shared_cache.generation() == after
        # The reset (cachelib's clear) removed what was stored through our own client.
        assert shared_cache.get_or_compute("frame", lambda: "recomputed") == "recomputed"
        shared_cache.clear()


def test_the_previous_release_and_this_one_read_each_others_values_on_redis(sqlite_engine):
    """The previous release stored these keys through cachelib's RedisCache: during a
    rolling deploy both run on one Redis, so each must read the other's values."""
    app = _redis_app(required_env("TEST_REDIS_URL"), sqlite_engine, f"compass-test-{uuid.uuid4().hex[:8]}:")
    with app.server.app_context():
        shared_cache.set("old", {"rows": 3})  # as the previous release stored its values
        assert shared_cache.get_or_compute("old", lambda: "recomputed") == {"rows": 3}
        shared_cache.get_or_compute("new", lambda: {"rows": 4})
        assert shared_cache.get("new") == {"rows": 4}  # as the previous release reads them
        # None travels as this stand-in string both ways (the previous release's own).
        shared_cache.set("old-none", "__compass_cached_none__")
        assert shared_cache.get_or_compute("old-none", lambda: "recomputed") is None
        shared_cache.get_or_compute("new-none", lambda: None)
        assert shared_cache.get("new-none") == "__compass_cached_none__"
        shared_cache.set("old-int", 5)  # cachelib writes a whole number as text: not ours, a miss
        assert shared_cache.get_or_compute("old-int", lambda: 6) == 6 == shared_cache.get("old-int")
        shared_cache.clear()
