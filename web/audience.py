"""Who is asking: resolve each request's audience before anything is read.

Resolvers (the staff session, a donor link) are registered by the parts of
web/ that own them; the first to name an audience wins, else the request is
public. The audience is handed to data_access (`set_request_audience`), whose
data version carries it into every query and every cache key built from that
version (model/audience.py), so no route can forget it. A response for
anyone but the public is marked private (`keep_private`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, Response, request

from data_access.db import request_audience, set_request_audience
from model.audience import PUBLIC, Audience

# Files that are the same for every reader: shared caches may keep them.
SAME_FOR_EVERYONE = ("/_dash-component-suites/", "/assets/")

Resolver = Callable[[Request], Audience | None]
_RESOLVERS = "compass_audience_resolvers"


def add_audience_resolver(server: Flask, resolver: Resolver) -> None:
    """Ask `resolver` (after those added before it) who the reader of a request is."""
    server.extensions.setdefault(_RESOLVERS, []).append(resolver)


def resolve_audience(server: Flask, req: Request) -> Audience:
    """The first audience a resolver names for `req`, else the public."""
    for resolver in server.extensions.get(_RESOLVERS, ()):
        audience = resolver(req)
        if audience is not None:
            return audience
    return PUBLIC


def install_audience(server: Flask) -> None:
    """Set the audience of every request before its view runs (step 1 of install_web)."""
    server.extensions.setdefault(_RESOLVERS, [])

    @server.before_request
    def _set_audience() -> None:
        if server.extensions[_RESOLVERS]:  # none: everyone is the public (the default)
            set_request_audience(resolve_audience(server, request))

    @server.after_request
    def _private_unless_public(response: Response) -> Response:
        return keep_private(response, request_audience(), request.path)


def keep_private(response: Response, audience: Audience, path: str) -> Response:
    """A response built for staff or a donor link is kept by no shared cache (a
    proxy, a CDN in front of the app): only the public's responses may be, and
    only where the route says so. Every response varies by the cookie that
    names its audience."""
    if path.startswith(SAME_FOR_EVERYONE):
        return response
    headers = response.headers
    if audience is not PUBLIC and audience != PUBLIC:  # identity first: the usual case
        headers["Cache-Control"] = "private, no-store"
        headers.pop("ETag", None)
    vary = headers.get("Vary")
    if not vary:  # the usual case: set, without parsing a header set
        headers["Vary"] = "Cookie"
    elif "cookie" not in vary.lower():
        headers["Vary"] = f"{vary}, Cookie"
    return response
