"""What a page asks of the delivery layer (web/), without importing it.

Pages and their layouts know nothing of HTTP; the few things they must tell the
delivery layer about the response being built go through these functions,
which web/ reads. Today there is one: an error message shown in place of a page
(the database is down) must not be cached, or it would outlive the outage.
"""

from __future__ import annotations

from flask import g, has_request_context

_NOT_CACHEABLE = "compass_not_cacheable"


def do_not_cache() -> None:
    """Mark the response being built as not to be kept by any cache."""
    if has_request_context():
        setattr(g, _NOT_CACHEABLE, True)


def response_cacheable() -> bool:
    """False once a page asked for the current response not to be cached."""
    return not g.get(_NOT_CACHEABLE, False)
