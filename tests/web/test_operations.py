"""Operator routes (web/operations.py): /healthz and the diagnostics routes /_stats/*."""

from __future__ import annotations

import uuid

from data_access.engine import make_engine
from tests.helpers import STATS_AUTH, counts, free_port, make_app, required_env, router_body

COUNTRY_QUERY = "data_access.queries._country_results"


# --- /_stats ---


def test_stats_routes_exist_only_in_diagnostics_mode(sqlite_engine, stats_app):
    plain = make_app(sqlite_engine).server.test_client()
    assert plain.get("/_stats/queries").get_json(silent=True) is None  # Dash's page catch-all, not JSON
    assert plain.post("/_stats/reset").status_code in (404, 405)
    client = stats_app.server.test_client()
    client.post("/_dash-update-component", json=router_body("/countries/NER"))
    assert counts(client)[COUNTRY_QUERY] == 1
    assert client.post("/_stats/reset", headers=STATS_AUTH).get_json() == {"reset": True}
    assert set(counts(client).values()) == {0}
    client.post("/_dash-update-component", json=router_body("/countries/NER"))
    assert counts(client)[COUNTRY_QUERY] == 1  # the cache was cleared too: cold again


def test_stats_routes_need_the_token(sqlite_engine, stats_app):
    client = stats_app.server.test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}):
        for answer in (
            client.get("/_stats/queries", headers=headers),
            client.post("/_stats/reset", headers=headers),
        ):
            assert answer.status_code == 403 and "Authorization: Bearer" in answer.get_data(as_text=True)
            assert answer.headers["Cache-Control"] == "no-store"
    assert client.get("/_stats/queries", headers=STATS_AUTH).status_code == 200
    locked = make_app(sqlite_engine, query_stats=True, stats_token="").server.test_client()
    for headers in ({}, {"Authorization": "Bearer "}, STATS_AUTH):
        answer = locked.get("/_stats/queries", headers=headers)
        assert answer.status_code == 403 and "COMPASS_STATS_TOKEN" in answer.get_data(as_text=True)


def test_stats_reset_refuses_cross_origin_posts(stats_app):
    client = stats_app.server.test_client()
    client.post("/_dash-update-component", json=router_body("/countries/NER"))
    for origin in ("http://evil.example", "null", "https://localhost", "http://localhost:1"):
        headers = {**STATS_AUTH, "Origin": origin, "Content-Type": "text/plain"}
        answer = client.post("/_stats/reset", headers=headers)
        assert answer.status_code == 403 and "Cross-origin" in answer.get_data(as_text=True)
    assert counts(client)[COUNTRY_QUERY] == 1  # nothing was reset
    same = client.post("/_stats/reset", headers={**STATS_AUTH, "Origin": "http://localhost"})
    assert same.get_json() == {"reset": True}


# --- /healthz ---


def health(app, headers=STATS_AUTH) -> tuple[int, dict, str]:
    """/healthz as the holder of the stats token sees it (with every detail)."""
    response = app.server.test_client().get("/healthz", headers=headers)
    return response.status_code, response.get_json(), response.headers.get("Cache-Control", "")


def test_healthz_tells_the_public_only_status_and_flags(sqlite_engine, tmp_path):
    status, body, _ = health(make_app(sqlite_engine), headers={})
    public = {"status": "ok", "database": {"ok": True}, "data": {"ok": True}, "cache": {"ok": True}}
    assert status == 200 and body == public
    status, body, _ = health(make_app(sqlite_engine), headers={"Authorization": "Bearer wrong"})
    assert body == public
    unmigrated = make_engine(f"sqlite:///{tmp_path / 'missing.db'}")
    status, body, _ = health(make_app(unmigrated), headers={})
    assert status == 503 and body["status"] == "down" and body["database"] == {"ok": False}
    assert set(body) <= {"status", "database", "data", "cache"} and body["cache"] == {"ok": True}
    assert all(set(part) == {"ok"} for name, part in body.items() if name != "status")


def test_healthz_when_everything_answers(sqlite_engine):
    status, body, cache_control = health(make_app(sqlite_engine))
    assert status == 200 and body["status"] == "ok" and cache_control == "no-store"
    assert body["database"]["ok"] and body["database"]["backend"] == "sqlite"
    assert body["cache"] == {**body["cache"], "ok": True, "backend": "SimpleCache", "shared": False}
    assert body["data_version"] >= 1


def test_healthz_database_down_takes_the_host_out(tmp_path):
    closed_port = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/compass")
    status, body, _ = health(make_app(closed_port))
    assert status == 503 and body["status"] == "down" and body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError" and body["data_version"] is None
    assert body["cache"]["ok"] is True
    unmigrated = make_engine(f"sqlite:///{tmp_path / 'missing.db'}")  # no tables at all
    status, body, _ = health(make_app(unmigrated))
    assert status == 503 and body["status"] == "down"


def test_healthz_redis_down_is_degraded_but_serving(sqlite_engine):
    app = make_app(
        sqlite_engine,
        cache_type="RedisCache",
        cache_redis_url=f"redis://127.0.0.1:{free_port()}/0",
        cache_key_prefix="compass-test-down:",
    )
    status, body, _ = health(app)
    assert status == 200 and body["status"] == "degraded"
    assert body["cache"]["ok"] is False and body["cache"]["error"] == "ConnectionError"
    assert body["database"]["ok"] is True
    page = app.server.test_client().post("/_dash-update-component", json=router_body("/countries/LBY"))
    assert page.status_code == 200 and "Libya" in page.get_data(as_text=True)  # pages still work


def test_healthz_on_postgres_and_redis(postgres_engine):
    app = make_app(
        postgres_engine,
        cache_type="RedisCache",
        cache_redis_url=required_env("TEST_REDIS_URL"),
        cache_key_prefix=f"compass-test-{uuid.uuid4().hex[:8]}:",
    )
    status, body, _ = health(app)
    assert status == 200 and body["status"] == "ok"
    assert body["database"]["backend"] == "postgresql" and body["cache"]["shared"] is True
