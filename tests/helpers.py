"""Helpers that more than one test module uses: the environment and apps for
tests, facts of the reference data, searches of a layout tree, and HTML read
with the standard library's parser. Fixtures live in conftest.py; test
modules import from here, never from each other or from conftest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app import build_dash
from config import Settings
from data_access.engine import make_engine

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


# --- the environment and the app -------------------------------------------------------


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


def test_settings(**overrides) -> Settings:
    """Settings for tests: in-process cache unless overridden."""
    base = {"cache_type": "SimpleCache", "cache_key_prefix": "compass-test:"}
    base.update(overrides)
    return Settings(**base)


test_settings.__test__ = False  # a helper, not a test, in whichever module imports it


def make_app(engine: Engine, **overrides):
    """A Dash app from the real factory, on `engine`."""
    return build_dash(test_settings(**overrides), engine)
