"""Health of the database and the cache, for a load balancer's checks (/healthz).

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

from sqlalchemy import Engine

from data_access.cache_store import Store
from data_access.version import current_version

log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
_executor: ThreadPoolExecutor | None = None


@dataclass
class HealthReport:
    """What /healthz answers: overall status, each dependency, the data version."""

    database: dict[str, Any]
    cache: dict[str, Any]
    data_version: int | None = None
    status: str = field(init=False)

    def __post_init__(self) -> None:
        if not self.database["ok"]:
            self.status = "down"  # cannot serve a page: take this host out
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
    return HealthReport(database=database, cache=check_cache(store, timeout_s), data_version=version)
