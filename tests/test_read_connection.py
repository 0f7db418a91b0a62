"""One read connection per request: a cold page checks out one pooled connection,
not one per query, and that connection holds no lock or snapshot between
statements (a load in the same context is seen, and never waits on it)."""

from __future__ import annotations

import gc
import runpy

import pytest
from sqlalchemy import event, select, text, update

from data_access import queries as q
from data_access import schema as s
from data_access.cache import cache
from data_access.db import get_engine, read_connection
from tests.helpers import REPO, make_app


def _count_checkouts(engine) -> tuple[list, object]:
    checkouts: list = []

    def counted(*_args) -> None:
        checkouts.append(1)

    event.listen(engine.pool, "checkout", counted)
    return checkouts, counted


def test_a_cold_country_page_checks_out_one_connection(engine):
    app = make_app(engine)
    country = __import__("pages.country", fromlist=["layout"])
    checkouts, listener = _count_checkouts(engine)
    try:
        with app.server.test_request_context("/"):
            cache.reset()
            checkouts.clear()
            country.layout(iso3="LBY", year="2022", lang="fr")
            queries_run = len(checkouts)
    finally:
        event.remove(engine.pool, "checkout", listener)
    # The data version may be read on a connection of its own; every query shares one.
    assert 1 <= queries_run <= 2


def test_a_load_in_the_same_context_is_seen(writable_sqlite):
    app = make_app(writable_sqlite)
    version = select(s.data_version.c.version).where(s.data_version.c.id == 1)
    with app.server.test_request_context("/"):
        with read_connection() as conn:
            before = conn.execute(version).scalar()
        with get_engine().begin() as writer:
            writer.execute(update(s.data_version).values(version=s.data_version.c.version + 1))
        with read_connection() as conn:
            assert conn.execute(version).scalar() == before + 1


def test_the_shared_connection_holds_no_lock_between_statements(postgres_engine):
    app = make_app(postgres_engine)
    with app.server.test_request_context("/"):
        assert not q.countries("en").empty  # read through the shared connection
        with get_engine().begin() as other:
            other.execute(text("SET LOCAL lock_timeout = '2s'"))
            # Times out if the request's connection still holds its read lock.
            other.execute(text("LOCK TABLE countries IN ACCESS EXCLUSIVE MODE"))


def test_a_failed_statement_drops_the_shared_connection(sqlite_engine):
    app = make_app(sqlite_engine)
    with app.server.test_request_context("/"):
        with read_connection() as conn:
            first = conn
        with pytest.raises(Exception, match="no_such_table"), read_connection() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))
        assert first.closed
        with read_connection() as conn:
            assert conn is not first and conn.execute(text("SELECT 1")).scalar() == 1
    assert conn.closed  # closed with the context


def test_gunicorn_freezes_the_preloaded_app_before_forking(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret")  # the production profile refuses the default
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
