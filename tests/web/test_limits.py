"""Bounds on what one client can ask (web/limits.py, web/callback_cache.py): request
size, only canonical views in the response cache, the export rate limit."""

from __future__ import annotations

import io
import json
import uuid

import pytest
import redis

from config import Settings
from tests.helpers import counts, free_port, make_app, required_env, router_body

CALLBACK = "/_dash-update-component"
COUNTRY_QUERY = "data_access.queries._country_results"


def padded_body(size: int) -> bytes:
    """A real page-render body of exactly `size` bytes (an extra field Dash ignores)."""
    body = router_body("/countries/LBY", "?year=2022")
    bare = len(json.dumps({**body, "pad": ""}).encode())
    return json.dumps({**body, "pad": "x" * (size - bare)}).encode()


# --- request size ------------------------------------------------------------------------------


def test_a_body_just_under_the_limit_is_served_and_one_just_over_gets_a_short_413(sqlite_engine):
    client = make_app(sqlite_engine, max_request_bytes=8192).server.test_client()
    under = client.post(CALLBACK, data=padded_body(8192), content_type="application/json")
    assert under.status_code == 200 and b"Libya" in under.data
    for path in (CALLBACK, "/", "/_stats/reset", "/export/brief/lby.pdf"):
        over = client.post(path, data=padded_body(8193), content_type="application/json")
        assert over.status_code == 413, path
        assert over.mimetype == "text/plain" and over.get_data(as_text=True) == "Request too large.\n"


def test_a_chunked_body_over_the_limit_gets_413_and_one_under_is_served(sqlite_engine):
    """No Content-Length (Transfer-Encoding: chunked, as gunicorn hands it on)."""
    client = make_app(sqlite_engine, max_request_bytes=8192).server.test_client()

    def chunked(size: int):
        return client.post(
            CALLBACK,
            input_stream=io.BytesIO(padded_body(size)),
            content_type="application/json",
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )

    under = chunked(8192)
    assert under.status_code == 200 and b"Libya" in under.data
    over = chunked(8193)
    assert over.status_code == 413 and over.get_data(as_text=True) == "Request too large.\n"


# --- only canonical views are cached -------------------------------------------------------------


def test_junk_query_strings_are_answered_but_never_stored(writable_sqlite):
    app = make_app(writable_sqlite, query_stats=True)
    client = app.server.test_client()
    canonical = router_body("/countries/LBY", "?year=2022")
    assert client.post(CALLBACK, json=canonical).status_code == 200
    stored = stored_responses(app)
    assert len(stored) == 1
    for n in range(200):
        junk = router_body("/countries/LBY", f"?year=2022&zz={n}")
        response = client.post(CALLBACK, json=junk)
        assert response.status_code == 200 and b"Libya" in response.data
    bad_values = [f"?year=20{n:02d}" for n in range(30, 60)] + [f"?year=2022&lang=x{n}" for n in range(20)]
    for search in bad_values:
        assert client.post(CALLBACK, json=router_body("/countries/LBY", search)).status_code == 200
    assert stored_responses(app) == stored  # not one more response kept
    before = counts(client)
    again = client.post(CALLBACK, json=canonical)
    assert again.status_code == 200 and counts(client) == before  # the canonical view: a hit


def test_unknown_paths_and_countries_are_answered_but_never_stored(writable_sqlite):
    app = make_app(writable_sqlite, query_stats=True)
    client = app.server.test_client()
    assert client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022")).status_code == 200
    stored = stored_responses(app)
    for n in range(100):
        for path, text in (
            (f"/nowhere{n}", b"Page not found"),
            (f"/countries/Q{n:02d}", b"Country not found"),
        ):
            response = client.post(CALLBACK, json=router_body(path, "?year=2022"))
            assert response.status_code == 200 and text in response.data
    assert stored_responses(app) == stored


def stored_responses(app) -> set[str]:
    """Keys of the response cache in the app's SimpleCache (flask-caching keeps them there)."""
    with app.server.app_context():
        from data_access.cache import cache

        return {k for k in cache.cache._cache if "resp:" in k}


def test_spacing_key_order_and_extra_fields_make_no_new_entry(writable_sqlite):
    app = make_app(writable_sqlite, query_stats=True)
    client = app.server.test_client()
    body = router_body("/countries/TUN", "?year=2023")
    first = client.post(CALLBACK, json=body)
    before = counts(client)
    variants = [
        json.dumps(body, indent=2),
        json.dumps(dict(reversed(body.items()))),
        json.dumps({**body, "junk": uuid.uuid4().hex}),
    ]
    for variant in variants:
        response = client.post(CALLBACK, data=variant, content_type="application/json")
        assert response.data == first.data
    assert counts(client) == before and len(stored_responses(app)) == 1


def test_a_response_over_the_entry_bound_is_sent_not_kept(writable_sqlite):
    app = make_app(writable_sqlite, query_stats=True, response_cache_max_bytes=1000)
    client = app.server.test_client()
    body = router_body("/countries/LBY", "?year=2022")
    first = client.post(CALLBACK, json=body)
    assert first.status_code == 200 and len(first.data) > 1000
    assert stored_responses(app) == set()


def test_junk_query_strings_add_no_redis_keys(writable_sqlite):
    url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    app = make_app(
        writable_sqlite,
        cache_type="RedisCache",
        cache_redis_url=url,
        cache_key_prefix=prefix,
        query_stats=True,
    )
    client = app.server.test_client()
    store = redis.Redis.from_url(url)
    try:
        assert client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022")).status_code == 200
        keys = set(store.scan_iter(f"{prefix}*resp:*"))
        assert len(keys) == 1
        for n in range(200):
            assert (
                client.post(CALLBACK, json=router_body("/countries/LBY", f"?year=2022&zz={n}")).status_code
                == 200
            )
        assert set(store.scan_iter(f"{prefix}*resp:*")) == keys
    finally:
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)


# --- the export rate limit ----------------------------------------------------------------------


def test_the_n_plus_first_brief_in_a_minute_gets_429(sqlite_engine):
    client = make_app(sqlite_engine, export_rate_limit="3/minute").server.test_client()
    assert_limited(client)


def test_the_rate_limit_is_shared_through_redis(sqlite_engine):
    """Two apps (two workers) on one Redis count together; keys carry the cache prefix."""
    url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    settings = dict(
        cache_type="RedisCache", cache_redis_url=url, cache_key_prefix=prefix, export_rate_limit="3/minute"
    )
    first = make_app(sqlite_engine, **settings).server.test_client()
    second = make_app(sqlite_engine, **settings).server.test_client()
    store = redis.Redis.from_url(url)
    try:
        for client in (first, second, first):
            assert client.get("/export/brief/zzz.pdf").status_code == 404
        refused = second.get("/export/brief/zzz.pdf")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert any(store.scan_iter(f"{prefix}limits*"))
    finally:
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)


def assert_limited(client) -> None:
    # Unknown countries: the cheapest brief requests, counted like any other.
    for _ in range(3):
        assert client.get("/export/brief/zzz.pdf").status_code == 404
    refused = client.get("/export/brief/zzz.pdf")
    assert refused.status_code == 429 and refused.mimetype == "text/plain"
    assert "Too many exports" in refused.get_data(as_text=True) and b"<" not in refused.data
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/export/figure/nothing.png").status_code == 429  # figures share the budget
    french = client.get("/export/brief/zzz.pdf?lang=fr")
    assert french.status_code == 429 and "Trop d" in french.get_data(as_text=True)
    # Not limited: data exports, pages, callbacks, health.
    assert client.get("/export/nothing.csv").status_code == 404
    assert client.get("/").status_code == 200
    assert client.post(CALLBACK, json=router_body("/countries/LBY")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    # Another client (behind the trusted proxy, 127.0.0.1) has its own budget.
    other = client.get("/export/brief/zzz.pdf", headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 404


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(sqlite_engine):
    app = make_app(sqlite_engine, export_rate_limit="2/minute", forwarded_allow_ips="10.0.0.1")
    client = app.server.test_client()
    for n in range(2):
        assert (
            client.get("/export/brief/zzz.pdf", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            == 404
        )
    assert client.get("/export/brief/zzz.pdf", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429


def test_an_empty_limit_switches_it_off(sqlite_engine):
    client = make_app(sqlite_engine, export_rate_limit="").server.test_client()
    assert all(client.get("/export/brief/zzz.pdf").status_code == 404 for _ in range(25))


def test_with_redis_down_exports_are_not_refused(sqlite_engine):
    """The limit is counted in Redis; a Redis outage lifts it rather than refusing exports."""
    closed = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(
        sqlite_engine, cache_type="RedisCache", cache_redis_url=closed, export_rate_limit="1/minute"
    )
    client = app.server.test_client()
    assert [client.get("/export/brief/zzz.pdf").status_code for _ in range(3)] == [404, 404, 404]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("EXPORT_RATE_LIMIT", "twenty a minute", "EXPORT_RATE_LIMIT must look like 20/minute"),
        ("MAX_REQUEST_BYTES", "256KB", "MAX_REQUEST_BYTES must be a whole number"),
        ("RESPONSE_CACHE_MAX_BYTES", "1e6", "RESPONSE_CACHE_MAX_BYTES must be a whole number"),
    ],
)
def test_a_bad_setting_stops_the_start_with_a_clear_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit, match=message):
        Settings.from_env()


def test_the_bounds_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("EXPORT_RATE_LIMIT", "100/hour;5/minute")
    monkeypatch.setenv("MAX_REQUEST_BYTES", "4096")
    monkeypatch.setenv("RESPONSE_CACHE_MAX_BYTES", "0")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1,10.0.0.2")
    settings = Settings.from_env()
    assert settings.export_rate_limit == "100/hour;5/minute" and settings.max_request_bytes == 4096
    assert settings.response_cache_max_bytes == 0 and settings.forwarded_allow_ips == "10.0.0.1,10.0.0.2"
    monkeypatch.setenv("EXPORT_RATE_LIMIT", " ")
    assert Settings.from_env().export_rate_limit == ""
