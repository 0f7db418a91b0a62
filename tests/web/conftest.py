"""Fixtures of the delivery layer's tests."""

from __future__ import annotations

import pytest

from tests.helpers import make_app


@pytest.fixture
def stats_app(writable_sqlite):
    """An app in diagnostics mode (query counters, /_stats), on a database of the test's own."""
    return make_app(writable_sqlite, query_stats=True)
