"""Shared fixtures: databases (SQLite always; PostgreSQL when TEST_DATABASE_URL is
set, and required when CI=true), apps built by the factory, Redis when
TEST_REDIS_URL is set (required in CI). The functions they use, and test modules
import, are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from components import export_render
from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from tests.helpers import IN_CI, fresh_postgres, make_app, required_env


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory) -> Engine:
    """A SQLite database prepared once for the session (read-only use)."""
    path = tmp_path_factory.mktemp("db") / "compass.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    return engine


@pytest.fixture(scope="session")
def postgres_engine() -> Engine:
    """A PostgreSQL database prepared once for the session (read-only use)."""
    engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    return engine


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request) -> Engine:
    """The prepared reference database, on each backend in turn."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def writable_sqlite(tmp_path) -> Engine:
    """A SQLite database of the test's own, migrated and loaded (may be modified)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    return engine


@pytest.fixture
def app_context(engine) -> Iterator:
    """An app context (cache + engine bound) on each backend in turn."""
    app = make_app(engine)
    with app.server.test_request_context("/"):
        yield app


@pytest.fixture
def targeted_app(writable_sqlite, write_targets) -> Iterator:
    """An app context on the test's own database, once the requesting module's
    `write_targets` fixture (a function of the engine) has added its targets."""
    write_targets(writable_sqlite)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        yield app


@pytest.fixture
def sqlite_context(sqlite_engine) -> Iterator:
    """An app context on the session SQLite database only (for layout tests)."""
    app = make_app(sqlite_engine)
    with app.server.test_request_context("/"):
        yield app


@pytest.fixture(scope="module")
def renderer():
    """The warm chart renderer (exports, link previews); skipped without chromium, except in CI where it must be there."""
    if export_render.browser_path() is None:
        message = "chromium is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield export_render
    export_render.shutdown()
