"""Shared fixtures: databases (SQLite always; PostgreSQL when TEST_DATABASE_URL is
set, and required when CI=true), apps built by the factory, Redis when
TEST_REDIS_URL is set (required in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app import build_dash
from config import REFERENCE_DIR, Settings
from data_access.engine import make_engine
from data_access.loader import prepare_database

IN_CI = os.environ.get("CI", "").lower() == "true"


def required_env(name: str) -> str:
    """An environment variable the test needs: skipped locally when missing, failing in CI."""
    value = os.environ.get(name, "").strip()
    if not value:
        if IN_CI:
            pytest.fail(f"{name} must be set in CI (.ci/run sets it)")
        pytest.skip(f"{name} not set")
    return value


def fresh_postgres(url: str) -> Engine:
    """An engine on an emptied PostgreSQL database (schema public dropped and recreated)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


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


def test_settings(**overrides) -> Settings:
    """Settings for tests: in-process cache unless overridden."""
    base = {"cache_type": "SimpleCache", "cache_key_prefix": "compass-test:"}
    base.update(overrides)
    return Settings(**base)


def make_app(engine: Engine, **overrides):
    """A Dash app from the real factory, on `engine`."""
    return build_dash(test_settings(**overrides), engine)


@pytest.fixture
def app_context(engine) -> Iterator:
    """An app context (cache + engine bound) on each backend in turn."""
    app = make_app(engine)
    with app.server.test_request_context("/"):
        yield app


@pytest.fixture
def sqlite_context(sqlite_engine) -> Iterator:
    """An app context on the session SQLite database only (for layout tests)."""
    app = make_app(sqlite_engine)
    with app.server.test_request_context("/"):
        yield app


REPO = Path(__file__).resolve().parents[1]
