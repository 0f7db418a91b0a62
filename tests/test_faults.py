"""Data correctness under faults: a rebuilt database, a missing SQLite file, locked tables."""

from __future__ import annotations

import json
import time
import uuid

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from tests.helpers import STATS_AUTH, changed_reference, fresh_postgres, make_app, required_env, router_body

FIGURE_A = {"en": "29,117", "fr": "29\u202f117"}
FIGURE_B = {"en": "29,118", "fr": "29\u202f118"}


def _overview(client, lang: str) -> str:
    response = client.post("/_dash-update-component", json=router_body("/", f"?year=2021&lang={lang}"))
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_a_rebuilt_database_never_shows_the_old_figures(tmp_path):
    """Drop and recreate the schema, load other figures with the same number of
    loads: the data version number is the same, the pages show the new figures."""
    url = required_env("TEST_DATABASE_URL")
    redis_url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    engine = fresh_postgres(url)
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    app = make_app(
        engine,
        cache_type="RedisCache",
        cache_redis_url=redis_url,
        cache_key_prefix=prefix,
        data_version_ttl_ms=0,
    )
    client = app.server.test_client()
    try:
        for lang in ("en", "fr"):
            assert FIGURE_A[lang] in _overview(client, lang)  # now cached in Redis
        engine.dispose()
        engine_b = fresh_postgres(url)  # `make db` on a new, empty database
        prepare_database(engine_b, changed_reference(tmp_path), loaded_by="tests")
        engine.dispose()
        for lang in ("en", "fr"):
            assert FIGURE_B[lang] in _overview(client, lang), lang  # (A's figure is in a narrative too)
    finally:
        with app.server.app_context():
            from data_access.cache import cache

            cache.clear()


# --- locked summary tables (PostgreSQL) ---------------------------------------------------

UNAVAILABLE = {
    "en": "The data is temporarily unavailable. Please try again in a minute.",
    "fr": "Les données sont momentanément indisponibles. Veuillez réessayer dans une minute.",
}


def _page_text(client, lang: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = client.post(
        "/_dash-update-component", json=router_body("/countries/LBY", f"?year=2022&lang={lang}")
    )
    assert response.status_code == 200
    return time.perf_counter() - start, json.dumps(response.get_json(), ensure_ascii=False)


def test_locked_summary_tables_make_health_degraded_and_pages_answer_quickly(postgres_engine):
    app = make_app(
        postgres_engine,
        page_statement_timeout_ms=1000,
        cache_key_prefix=f"compass-test-{uuid.uuid4().hex[:8]}:",
    )
    client = app.server.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"  # the app's first request, before the lock
    locker = make_engine(required_env("TEST_DATABASE_URL"))
    try:
        with locker.connect() as conn:  # another session holds the lock, as a long migration would
            conn.exec_driver_sql("LOCK TABLE result_summary, result_counts IN ACCESS EXCLUSIVE MODE")
            start = time.perf_counter()
            response = client.get("/healthz", headers=STATS_AUTH)  # with the details (the error)
            assert time.perf_counter() - start < 2.0  # within its 2 s budget
            body = response.get_json()
            assert response.status_code == 200 and body["status"] == "degraded", body
            assert body["database"]["ok"] is True and body["data"]["ok"] is False and body["data"]["error"]
            for lang in ("en", "fr"):
                seconds, page = _page_text(client, lang)
                assert UNAVAILABLE[lang] in page and seconds < 4, (lang, seconds)
            conn.rollback()  # the lock is released
        seconds, page = _page_text(client, "en")
        assert "Libya" in page and UNAVAILABLE["en"] not in page  # the error page was not cached
        assert client.get("/healthz").get_json()["status"] == "ok"
    finally:
        locker.dispose()


def test_exports_keep_the_long_statement_timeout(postgres_engine):
    """The page timeout is set on the page's own connection, never left on a pooled one."""
    app = make_app(postgres_engine, page_statement_timeout_ms=1000, statement_timeout_ms=15_000)
    client = app.server.test_client()
    for _ in range(3):
        _page_text(client, "en")
    with postgres_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "15s"


# --- a SQLite file that goes missing -------------------------------------------------------

NO_DATA = "No data has been loaded yet."


def test_a_missing_sqlite_file_shows_no_data_and_the_app_recovers_by_itself(tmp_path):
    path = tmp_path / "compass.db"
    preparer = make_engine(f"sqlite:///{path}")  # `make db`: the only one that creates the file
    prepare_database(preparer, REFERENCE_DIR, loaded_by="tests")
    preparer.dispose()
    app = make_app(make_engine(f"sqlite:///{path}"), data_version_ttl_ms=0)
    client = app.server.test_client()
    assert FIGURE_A["en"] in _overview(client, "en")  # a pooled connection is now open on the file
    moved = tmp_path / "compass.db.moved"
    path.rename(moved)
    try:
        page = _overview(client, "en")
        assert NO_DATA in page and FIGURE_A["en"] not in page
        assert client.get("/healthz").status_code == 503
        assert not path.exists()  # no empty database created in its place
    finally:
        moved.rename(path)
    deadline = time.monotonic() + 5
    while FIGURE_A["en"] not in _overview(client, "en") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert FIGURE_A["en"] in _overview(client, "en")  # back without a restart
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_the_app_never_creates_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "compass.db"
    client = make_app(make_engine(f"sqlite:///{path}")).server.test_client()
    assert NO_DATA in _overview(client, "en")
    assert client.get("/healthz").status_code == 503
    assert not path.exists()
