"""Who is asking: resolve each request's audience before anything is read.

Resolvers (the staff session, a donor link) are registered by the parts of
web/ that own them; the first to name an audience wins, else the request is
public. The audience is handed to data_access (`set_request_audience`), whose
data version carries it into every query and every cache key built from that
version (model/audience.py), so no route can forget it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, request

from data_access.db import set_request_audience
from model.audience import PUBLIC, Audience

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
        if server.extensions[_RESOLVERS]:  # the public: nothing to set (the default)
            set_request_audience(resolve_audience(server, request))
