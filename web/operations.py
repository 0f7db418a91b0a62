"""Routes for operators and the benchmark, not for people: /healthz and /_stats.

/healthz (always): {"status": "ok"|"degraded"|"down", "database": {...},
"data": {...}, "cache": {...}, "data_version": n}. HTTP 200 while the database
answers, even with the cache down or the summary tables locked or slow
("degraded": pages still answer, uncached or with "temporarily unavailable",
and taking every host out for a shared dependency would take the whole site
down); HTTP 503 when the database does not answer, so the balancer takes this
host out. Never cached, never a traceback.

/_stats (only with COMPASS_QUERY_STATS=1):
- GET /_stats/queries -> {"<module>.<function>": computations, ...} for every
  memoized query function, counted in the cache backend (summed over the
  workers and hosts sharing Redis; per process with SimpleCache);
- POST /_stats/reset -> {"reset": true}: clears the whole cache (counters,
  query results, callback responses) and starts a new cache generation; it
  answers once every worker has dropped its in-process copies (after
  DATA_VERSION_TTL_MS), so the next requests are cold everywhere (with a
  shared Redis; SimpleCache is per process and only this worker's is cleared).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify

from config import Settings
from data_access.cache import cache
from data_access.db import get_engine
from data_access.health import health_report

log = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"
STATS_QUERIES_PATH = "/_stats/queries"
STATS_RESET_PATH = "/_stats/reset"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def healthz() -> Response:
    """Database and cache status for a load balancer."""
    try:
        report = health_report(get_engine(), cache.store)
        response = jsonify(report.as_json())
        response.status_code = report.http_status
    except Exception:  # noqa: BLE001 - a health check answers, whatever happens
        log.exception("health check crashed")
        response = jsonify(
            {"status": "down", "database": {"ok": False}, "cache": {"ok": False}, "data_version": None}
        )
        response.status_code = 503
    return _no_store(response)


def query_stats() -> Response:
    return _no_store(jsonify(cache.query_counts()))


def reset_stats() -> Response:
    cache.reset()
    return _no_store(jsonify({"reset": True}))


def register_operation_routes(server: Flask, settings: Settings) -> None:
    """/healthz always; the /_stats routes only in diagnostics mode."""
    server.add_url_rule(HEALTHZ_PATH, "healthz", healthz, methods=["GET"])
    if settings.query_stats:
        server.add_url_rule(STATS_QUERIES_PATH, "stats_queries", query_stats, methods=["GET"])
        server.add_url_rule(STATS_RESET_PATH, "stats_reset", reset_stats, methods=["POST"])
