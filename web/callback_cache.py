"""A response cache in front of Dash's `/_dash-update-component`.

Every server-side callback of this app is a pure function of its request body
(inputs, state, triggering property) and of the data: the pages router renders
a layout from the path and query string (the controls write the URL in the
browser, pages/navigation.py). None reads headers, cookies, the session, the clock or
randomness (pages/view.py and the pages read only the URL, the settings and
data_access); who asks is in the data version (its audience), and the one
thing a page says about its reader, the signed-in staff member's email
(pages.contract.signed_in_as), keeps that response out of every cache. So an
identical body, on the same data version and the same code, always gets identical bytes, and they can be served without running Dash:
no layout built, no JSON serialised, no query function called.

- key: code fingerprint + data version + SHA-256 of what Dash reads of the
  body (DISPATCH_KEYS, in one canonical JSON form): spacing, key order and
  extra fields make no new entry;
- value: the exact response bytes and content type, 200 responses only, at most
  RESPONSE_CACHE_MAX_BYTES, and only for canonical views: never a page replaced
  by an error message nor a page whose query string carried a notice (an unknown
  key, a bad value), which the page reports through
  `pages.contract.do_not_cache()`. Such requests are answered, not stored, so
  junk query strings cannot fill the cache (Redis should still run with
  maxmemory and allkeys-lru: see the README's Production section);
- shared through the configured cache (Redis in production), computed once on
  a miss however many identical requests arrive (data_access/single_flight.py);
- with Redis, each worker also keeps the responses it served in a bounded
  in-process LRU (LOCAL_BYTES), so a warm request costs no network round trip.
  This copy can never be stale: its key names the data version and the code; it
  also names the cache generation, so /_stats/reset makes every worker cold;
- a page link whose query string carries a notice (an unknown key such as a
  click id `fbclid=<unique>`, a bad value) is never stored in the shared cache;
  but each worker keeps what it rendered for such a link in its bounded LRU
  under the link's view identity (pages/identity.py: the path, the validated
  view and its notices), so the next link that differs only in ignored junk
  costs a lookup, not a page. Bounded by LOCAL_BYTES per worker, never Redis;
- only callbacks whose every output is in PURE_OUTPUTS are cached: a new
  callback is not cached until someone has checked it and listed its outputs
  (tests/test_production.py fails until every server callback is classified).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import dash
from dash import Dash
from flask import Response, g, request
from sqlalchemy.exc import SQLAlchemyError

from config import ROOT, Settings
from data_access.cache import cache
from data_access.db import request_data_version
from data_access.lru import SizedLRU
from pages.contract import response_cacheable, response_reusable
from pages.identity import view_identity
from web.dash_adapters import (
    PAGES_ROUTER_OUTPUT,
    PAGES_ROUTER_OUTPUTS,
    ROUTER_PATHNAME,
    ROUTER_SEARCH,
    callback_outputs,
    is_server_callback,
    wrap_view,
)

ENDPOINT_NAME = "_dash-update-component"
# Outputs of callbacks verified pure (see the module doc). Component id + property.
PURE_OUTPUTS = frozenset(
    {
        *PAGES_ROUTER_OUTPUTS,  # the Dash pages router: layout(path, query), and the page title
    }
)
# Server-side callbacks checked and deliberately left uncached (none today).
NEVER_CACHED: frozenset[str] = frozenset()
LOCAL_BYTES = 32 * 1024 * 1024
# The parts of a callback body that Dash's dispatch reads (dash.Dash.dispatch).
DISPATCH_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")
_FINGERPRINTED = ("components", "data_access", "pages", "translations", "web")


def code_fingerprint(settings: Settings) -> str:
    """A short hash of what shapes a response besides its body and the data:
    the source of the pages and components, the translations, Dash's version and
    the settings that pick defaults. Hosts running the same release share keys;
    during a rolling deploy two releases never read each other's responses."""
    digest = hashlib.sha256(
        f"{dash.__version__}|{settings.default_language}|{settings.default_year}".encode()
    )
    for folder in _FINGERPRINTED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".po", ".mo") and path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


class CallbackCache:
    """Decides which callback requests are cached and serves them from the cache."""

    def __init__(self, app: Dash, settings: Settings) -> None:
        self.app = app
        self.timeout = settings.cache_timeout
        self.max_bytes = settings.response_cache_max_bytes
        self.fingerprint = code_fingerprint(settings)
        self._cacheable: dict[str, bool] = {}
        self.local = SizedLRU(LOCAL_BYTES)

    def is_cacheable(self, output: object) -> bool:
        if not is_server_callback(self.app, output):
            return False  # (decisions are kept for real callbacks only, not any posted string)
        if output not in self._cacheable:
            outputs = callback_outputs(self.app, output)
            self._cacheable[output] = bool(outputs) and all(o in PURE_OUTPUTS for o in outputs)
        return self._cacheable[output]

    def payload(self) -> dict | None:
        """The request body of a cacheable callback, or None."""
        try:
            payload = json.loads(request.get_data(cache=True))
        except ValueError:
            return None  # Dash answers that one with its own error
        if not isinstance(payload, dict) or not self.is_cacheable(payload.get("output")):
            return None
        return payload

    def key(self, payload: dict) -> str | None:
        """The cache key of a cacheable request, or None when the data cannot be read."""
        try:
            version = request_data_version()
        except SQLAlchemyError:
            return None  # database down: let the page show its own error notice, uncached
        canonical = json.dumps(
            [payload.get(name) for name in DISPATCH_KEYS], sort_keys=True, separators=(",", ":")
        ).encode()
        return f"resp:{self.fingerprint}:{version}:{hashlib.sha256(canonical).hexdigest()}"

    def view_key(self, payload: dict) -> str | None:
        """For the pages router: the worker-local key of a page link with a notice
        (pages/identity.py), or None for a canonical view or any other callback."""
        if payload.get("output") != PAGES_ROUTER_OUTPUT:
            return None
        inputs = payload.get("inputs")
        if not isinstance(inputs, list):
            return None
        values = {f"{i.get('id')}.{i.get('property')}": i.get("value") for i in inputs if isinstance(i, dict)}
        identity = view_identity(values.get(ROUTER_PATHNAME), values.get(ROUTER_SEARCH))
        if identity is None:
            return None
        digest = hashlib.sha256(identity.encode()).hexdigest()
        return f"{cache.generation()}:view:{self.fingerprint}:{request_data_version()}:{digest}"

    def wrap(self, view: Callable) -> Callable:
        """`view` (Dash's dispatch) behind the cache."""

        def cached_dispatch(*args, **kwargs):
            payload = self.payload()
            key = self.key(payload) if payload is not None else None
            if key is None:
                return view(*args, **kwargs)
            local_key = f"{cache.generation()}:{key}" if cache.shared else None
            value = self.local.get(local_key) if local_key else None
            if value is not None:
                return self.respond(key, value)
            view_key = self.view_key(payload)
            if view_key is not None:
                return self.dispatch_noticed(view_key, view, args, kwargs)
            rendered: dict[str, Response] = {}

            def render() -> tuple[str, bytes] | None:
                response = self.app.server.make_response(view(*args, **kwargs))
                rendered["response"] = response
                if (
                    response.status_code != 200
                    or response.is_streamed
                    or "Set-Cookie" in response.headers
                    or not response_cacheable()
                ):
                    return None
                body = response.get_data()
                if len(body) > self.max_bytes:
                    return None  # sent, never kept: bounds what one entry can take
                return response.mimetype, body

            value = cache.get_or_compute(key, render, self.timeout, store_if=lambda v: v is not None)
            if value is None:  # not cacheable: only ever rendered here
                return rendered["response"]
            if local_key:
                self.local.set(local_key, value)
            return self.respond(key, value)

        return cached_dispatch

    def dispatch_noticed(self, view_key: str, view: Callable, args: tuple, kwargs: dict) -> Response:
        """A page link with a notice: from this worker's LRU, or rendered and kept
        there (never in the shared cache) when nothing but the notice kept it out."""
        value = self.local.get(view_key)
        if value is not None:
            return self.respond(view_key, value)
        response = self.app.server.make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and not response.is_streamed
            and "Set-Cookie" not in response.headers
            and response_reusable()
        ):
            body = response.get_data()
            if len(body) <= self.max_bytes:
                self.local.set(view_key, (response.mimetype, body))
        return response

    @staticmethod
    def respond(key: str, value: tuple[str, bytes]) -> Response:
        """The cached bytes as a response; the compression layer may reuse its
        compressed copy of them, as the key names exactly these bytes."""
        g.compass_compress_key = key
        mimetype, body = value
        return Response(body, mimetype=mimetype)


def install_callback_cache(app: Dash, settings: Settings) -> None:
    """Put the response cache in front of Dash's callback endpoint (CALLBACK_CACHE=1)."""
    if not settings.callback_cache:
        return
    wrap_view(app, ENDPOINT_NAME, CallbackCache(app, settings).wrap)
