"""Query caching: a repeated call is a hit, a load invalidates, Redis is shared."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from data_access import queries as q
from data_access.engine import make_engine
from data_access.loader import load_reference
from data_access.reference import read_reference
from tests.conftest import make_app, required_env
from tests.test_loader_and_engine import _changed_reference


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
        call(app, q.available_years)
    assert len(seen) == 2


def test_loading_data_invalidates(writable_sqlite, tmp_path):
    app = make_app(writable_sqlite)
    before = call(app, q.indicator_across, "migrants_protection_assistance", "en")
    assert before.value.tolist() == [29117.0]
    load_reference(writable_sqlite, read_reference(_changed_reference(tmp_path)))
    with data_statements(writable_sqlite) as seen:
        after = call(app, q.indicator_across, "migrants_protection_assistance", "en")
    assert len(seen) == 1  # a miss: the data version is part of the key
    assert after.value.tolist() == [29118.0]


def _redis_app(url: str, engine: Engine, prefix: str):
    return make_app(engine, cache_type="RedisCache", cache_redis_url=url, cache_key_prefix=prefix)


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
    load_reference(engine_a, read_reference(_changed_reference(tmp_path)))
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
