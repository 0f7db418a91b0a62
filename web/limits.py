"""Bounds on what one client can ask: request size and the rate of expensive exports.

- Request size: Flask's MAX_CONTENT_LENGTH (MAX_REQUEST_BYTES); a larger body,
  whether announced by Content-Length or streamed, gets a short plain-text 413
  before any route reads it.
- Rate: figure exports and country briefs (a headless browser or a PDF/PowerPoint
  build each) are limited per client address with flask-limiter
  (EXPORT_RATE_LIMIT), counted in the same Redis as the cache when there is one,
  in memory otherwise. Pages, callbacks and data exports (CSV/XLSX) are not
  limited: they are cheap or served from the cache. Over the limit: a plain-text
  429 with Retry-After.
- Failed sign-ins (web/auth.py) are counted by the same Limiter's storage, per
  account and per client (SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_CLIENT_LIMIT).
- Link-preview images (web/previews.py) spend the same limit, per client, only
  when one must be drawn (`spend_render_budget`); a cached image is always
  served, and a client over the limit gets the fallback image instead of a 429
  (an unfurler shows nothing for an error).
"""

from __future__ import annotations

import io
import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import parse_many
from werkzeug.exceptions import RequestEntityTooLarge

from components.i18n import get_translator
from config import Settings
from pages import export_paths
from web.requests import request_language
from web.responses import plain_text

LIMITED_PREFIXES = (
    export_paths.EXPORT_PREFIX + "figure/",
    export_paths.EXPORT_PREFIX + "brief/",
)
EXPORT_ENDPOINT = "export_file"  # web/exports.py
RENDER_BUDGET = "compass_render_budget"  # app.extensions key: () -> bool
LIMITER = "compass_limiter"  # app.extensions key: the app's Limiter


def client_address(trusted: str):
    """The key function: the client's address as the trusted proxy saw it.

    gunicorn's forwarded_allow_ips only trusts the proxy's scheme header, so
    REMOTE_ADDR is the proxy; from a trusted peer the client is the last
    X-Forwarded-For address not itself a trusted proxy (earlier ones are what
    the client claimed, and anyone can claim anything)."""
    proxies = {part.strip() for part in trusted.split(",") if part.strip()}

    def is_trusted(address: str) -> bool:
        return "*" in proxies or address in proxies

    def key() -> str:
        peer = request.remote_addr or ""
        if not is_trusted(peer):
            return peer
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if not is_trusted(hop):
                return hop
        return hops[0] if hops else peer

    return key


def limiter_storage(settings: Settings) -> str:
    """flask-limiter's storage: the cache's Redis when there is one, memory otherwise."""
    if settings.cache_type == "RedisCache":
        return settings.cache_redis_url or "redis://127.0.0.1:6379/0"
    return "memory://"


def too_large(exc: RequestEntityTooLarge):
    return plain_text(413, "Request too large.")


def too_many(exc: RateLimitExceeded):
    """429 with Retry-After, as seconds until the window frees a request; in the
    language of the export asked for (its `lang`), like the file would have been."""
    t = get_translator(request_language())
    response = plain_text(429, t("Too many exports from your address: please try again in a minute."))
    reset = getattr(getattr(exc, "limit", None), "reset_at", None)
    retry = max(1, math.ceil(reset - time.time())) if reset else 60
    response.headers["Retry-After"] = str(retry)
    return response


def bound_chunked_body(limit: int):
    """A body sent without Content-Length (chunked): read at most `limit` + 1 bytes of
    it now; over the limit, 413. Werkzeug would otherwise cut it silently at the limit
    and the route would see broken JSON (a 400 HTML page). Under it, the request goes
    on with the bytes read, as if they had been sent with their length."""
    environ = request.environ
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if request.content_length is not None or not chunked or "stream" in request.__dict__:
        return None
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        return too_large(RequestEntityTooLarge())
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
    return None


def install_limits(server: Flask, settings: Settings) -> Limiter:
    """Request-size bound on every route; the export rate limit when one is set; the
    Limiter (storage and counters) whatever the export limit, for failed sign-ins."""
    server.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    server.register_error_handler(RequestEntityTooLarge, too_large)

    @server.before_request
    def refuse_large_bodies():
        # Routes that never read their body (a POST to a page) are refused too.
        if (request.content_length or 0) > settings.max_request_bytes:
            return too_large(RequestEntityTooLarge())
        return bound_chunked_body(settings.max_request_bytes)

    limiter = Limiter(
        key_func=client_address(settings.forwarded_allow_ips),
        app=server,
        storage_uri=limiter_storage(settings),
        # On Redis, keys named like the cache's (CACHE_KEY_PREFIX), as quick to give up.
        storage_options={
            "key_prefix": f"{settings.cache_key_prefix}limits",
            "socket_connect_timeout": 1.0,
            "socket_timeout": 2.0,
        }
        if settings.cache_type == "RedisCache"
        else {},
        strategy="fixed-window",
        headers_enabled=True,
        # A Redis outage must not stop exports: the limit is then not applied.
        swallow_errors=True,
    )
    server.extensions[LIMITER] = limiter  # also counts failed sign-ins (web/auth.py)
    if not settings.export_rate_limit:
        return limiter
    server.register_error_handler(RateLimitExceeded, too_many)
    server.extensions[RENDER_BUDGET] = render_budget(limiter, settings)
    view = server.view_functions[EXPORT_ENDPOINT]
    server.view_functions[EXPORT_ENDPOINT] = limiter.limit(
        settings.export_rate_limit,
        scope="exports",
        exempt_when=lambda: not request.path.startswith(LIMITED_PREFIXES),
    )(view)
    return limiter


def render_budget(limiter: Limiter, settings: Settings):
    """() -> bool: one image drawn for the current client, False once over
    EXPORT_RATE_LIMIT (counted apart from the export route's, with the same
    limit, client key and storage). A storage failure allows it, as exports do."""
    items = parse_many(settings.export_rate_limit)
    key = client_address(settings.forwarded_allow_ips)

    def spend() -> bool:
        try:
            client = key()
            return all(limiter.limiter.hit(item, "previews", client) for item in items)
        except Exception:  # noqa: BLE001 - as swallow_errors: a Redis outage must not stop previews
            return True

    return spend


def spend_render_budget() -> bool:
    """True when the current client may have one more image drawn (no limit set: always)."""
    spend = current_app.extensions.get(RENDER_BUDGET)
    return spend() if spend else True
