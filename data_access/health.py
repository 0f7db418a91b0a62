"""Health of the database and the cache, for a load balancer's checks (/healthz).

The database is asked twice: for the data version (does it answer at all?) and
for one row of each summary table the pages read (can pages be served?), the
latter with a statement timeout below the budget, so a locked or slow table
shows as "degraded" instead of "ok" while every page would fail.

Each check runs in a helper thread and is abandoned after `timeout_s`, so a
database or Redis that stops answering (rather than refusing) cannot make the
check itself hang. Nothing here is cached: every call asks both again. Errors
are reported by exception class only; the details go to the log, not to
whoever can reach /healthz.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from data_access.cache_store import Store
from data_access.engine import limit_statements
from data_access.schema import result_counts, result_summary
from data_access.version import current_version

log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
DATA_UNAVAILABLE = "the summary tables the pages read did not answer in time (locked or slow)"
_executor: ThreadPoolExecutor | None = None


@dataclass
class HealthReport:
    """What /healthz answers: overall status, each dependency, the data version."""

    database: dict[str, Any]
    cache: dict[str, Any]
    data_version: int | None = None
    data: dict[str, Any] = field(default_factory=lambda: {"ok": True})
    status: str = field(init=False)

    def __post_init__(self) -> None:
        if not self.database["ok"]:
            self.status = "down"  # cannot serve a page: take this host out
        elif not self.data["ok"]:
            # Pages answer at once with "temporarily unavailable". The tables are
            # shared by every host: taking them all out would take the site down.
            self.status = "degraded"
        elif not self.cache["ok"]:
            self.status = "degraded"  # serves every page, uncached: keep it in
        else:
            self.status = "ok"

    @property
    def http_status(self) -> int:
        return 503 if self.status == "down" else 200

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "database": self.database,
            "data": self.data,
            "cache": self.cache,
            "data_version": self.data_version,
        }


def _run(check: Callable[[], Any], timeout_s: float) -> tuple[Any, float, str | None]:
    """(result, milliseconds, error class name or None) of `check`, bounded in time."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")
    start = time.perf_counter()
    future = _executor.submit(check)
    try:
        result = future.result(timeout=timeout_s)
        error = None
    except FutureTimeout:
        result, error = None, "Timeout"
    except Exception as exc:  # noqa: BLE001 - a failed dependency is the answer, not a crash
        log.warning("health check failed: %s: %s", type(exc).__name__, exc)
        result, error = None, type(exc).__name__
    return result, round((time.perf_counter() - start) * 1000, 1), error


def check_database(engine: Engine, timeout_s: float = TIMEOUT_S) -> tuple[dict[str, Any], int | None]:
    """The database entry of the report, and the data version read from it."""
    version, ms, error = _run(lambda: current_version(engine), timeout_s)
    entry: dict[str, Any] = {"ok": error is None, "backend": engine.dialect.name, "latency_ms": ms}
    if error:
        entry["error"] = error
    return entry, version


def _read_summaries(engine: Engine, timeout_ms: int) -> None:
    with engine.connect() as conn:
        limit_statements(conn, timeout_ms)
        conn.execute(select(result_counts).limit(1)).all()
        conn.execute(select(result_summary.c.id).limit(1)).all()


def check_data(engine: Engine, timeout_s: float = TIMEOUT_S) -> dict[str, Any]:
    """The data entry of the report: one row of each summary table, read in time.

    The statement timeout ends the read itself before the budget does, so a
    locked table does not leave a thread of the check's pool waiting."""
    _, ms, error = _run(lambda: _read_summaries(engine, max(1, int(timeout_s * 500))), timeout_s)
    entry: dict[str, Any] = {"ok": error is None, "latency_ms": ms}
    if error:
        entry["error"] = error
        entry["reason"] = DATA_UNAVAILABLE
    return entry


def check_cache(store: Store, timeout_s: float = TIMEOUT_S) -> dict[str, Any]:
    """The cache entry of the report: a Redis PING, or a lookup in-process."""
    if not store.enabled:
        return {"ok": True, "backend": store.kind, "shared": False, "enabled": False}
    _, ms, error = _run(store.ping, timeout_s)
    entry: dict[str, Any] = {
        "ok": error is None,
        "backend": store.kind,
        "shared": store.shared,
        "latency_ms": ms,
    }
    if error:
        entry["error"] = error
    return entry


def health_report(engine: Engine, store: Store, timeout_s: float = TIMEOUT_S) -> HealthReport:
    """Check both dependencies now; `store` is the cache's (data_access.cache.cache.store)."""
    database, version = check_database(engine, timeout_s)
    data = check_data(engine, timeout_s) if database["ok"] else {"ok": False}
    return HealthReport(
        database=database, cache=check_cache(store, timeout_s), data_version=version, data=data
    )
