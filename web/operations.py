"""Routes for operators and the benchmark, not for people: /healthz and /_stats.

/healthz (always): {"status": "ok"|"degraded"|"down", "database": {"ok": ...},
"data": {"ok": ...}, "cache": {"ok": ...}} to anyone; with the stats token
(below) the details too: backends, latencies, error classes and reasons, and the
data version (they name the software a deployment runs, so the public does not
get them; failures go to the log). HTTP 200 while the database answers, even
with the cache down or the summary tables locked or slow ("degraded": pages
still answer, uncached or with "temporarily unavailable", and taking every
host out for a shared dependency would take the whole site
down); HTTP 503 when the database does not answer, so the balancer takes this
host out. Never cached, never a traceback.

/_stats (only with COMPASS_QUERY_STATS=1), only for requests carrying
`Authorization: Bearer <COMPASS_STATS_TOKEN>` (403 otherwise, and for every
request when no token is set), and never a cross-origin POST (an `Origin` that is
not this host: 403), so no web page a browser visits can empty the cache:
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

import hmac
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request

from config import Settings
from data_access.cache import cache
from data_access.db import get_engine
from data_access.health import health_report
from web.responses import plain_text

log = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"
STATS_QUERIES_PATH = "/_stats/queries"
STATS_RESET_PATH = "/_stats/reset"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def has_stats_token(settings: Settings) -> bool:
    """Whether this request carries the configured stats token (none configured: no)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not settings.stats_token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), settings.stats_token.encode())


def is_cross_origin() -> bool:
    """An `Origin` header naming another scheme, host or port than this request's."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    here = urlsplit(request.host_url)
    there = urlsplit(origin)
    return (there.scheme, there.netloc) != (here.scheme, here.netloc)


PARTS = ("database", "data", "cache")  # what /healthz checks; the public gets their ok flags


def healthz(settings: Settings) -> Response:
    """Database and cache status for a load balancer; the details for the token's holder."""
    try:
        report = health_report(get_engine(), cache.store)
        body = report.as_json()
        status = report.http_status
    except Exception:  # noqa: BLE001 - a health check answers, whatever happens
        log.exception("health check crashed")
        body = {
            "status": "down",
            "database": {"ok": False},
            "data": {"ok": False},
            "cache": {"ok": False},
            "data_version": None,
        }
        status = 503
    if not has_stats_token(settings):
        body = {
            "status": body["status"],
            **{part: {"ok": body[part]["ok"]} for part in PARTS if part in body},
        }
    response = jsonify(body)
    response.status_code = status
    return _no_store(response)


def query_stats() -> Response:
    return _no_store(jsonify(cache.query_counts()))


def reset_stats() -> Response:
    cache.reset()
    return _no_store(jsonify({"reset": True}))


def token_required(view: Callable[[], Response], settings: Settings) -> Callable[[], Response]:
    """`view` answered only for the stats token's holder, and never across origins."""

    def guarded() -> Response:
        if not settings.stats_token:
            return _no_store(
                plain_text(403, "Diagnostics are locked: set COMPASS_STATS_TOKEN on the server.")
            )
        if not has_stats_token(settings):
            return _no_store(plain_text(403, "Send the header: Authorization: Bearer <COMPASS_STATS_TOKEN>."))
        if request.method != "GET" and is_cross_origin():
            return _no_store(plain_text(403, "Cross-origin requests are refused."))
        return view()

    return guarded


def register_operation_routes(server: Flask, settings: Settings) -> None:
    """/healthz always; the /_stats routes only in diagnostics mode, behind the token."""
    server.add_url_rule(HEALTHZ_PATH, "healthz", lambda: healthz(settings), methods=["GET"])
    if settings.query_stats:
        queries = token_required(query_stats, settings)
        reset = token_required(reset_stats, settings)
        server.add_url_rule(STATS_QUERIES_PATH, "stats_queries", queries, methods=["GET"])
        server.add_url_rule(STATS_RESET_PATH, "stats_reset", reset, methods=["POST"])
