"""What a page asks of the delivery layer (web/), without importing it.

Pages and their layouts know nothing of HTTP; the few things they need to tell
or ask the delivery layer go through these functions:

- `do_not_cache()`: an error message shown in place of a page (the database is
  down) must not be cached, or it would outlive the outage; nor a page whose
  query string carried a notice (pages/view.resolve), or anyone could fill the
  cache with endless variants of one view (web/ reads `response_cacheable()`);
- `mark_reused()`: content shared between requests (pages/content_memo.py),
  whose static HTML web/ may keep (web/ reads `is_reused()`);
- `signed_in_as()`: the email of the staff member reading the page (the
  navbar's "Signed in as"), from the reader web/auth.py installs;
- `page_query()`: the query keys of the page being rendered, for the few places
  Dash does not pass them to (a page's title). web/ installs the reader
  (`QUERY_READER` in the app's extensions); without one, there is no query.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable, Mapping

from flask import current_app, g, has_app_context, has_request_context

_NOT_CACHEABLE = "compass_not_cacheable"
QUERY_READER = "compass_page_query_reader"  # app.extensions key: () -> {key: str | list}
ACCOUNT_READER = "compass_account_reader"  # app.extensions key: () -> signed-in email | None


NOTICE = "notice"  # do_not_cache reason: a view shown with a notice (pages/identity.py)
PERSONAL = "personal"  # do_not_cache reason: a response that names its reader


def do_not_cache(reason: str = "error") -> None:
    """Mark the response being built as not to be kept by the shared cache.

    `reason` NOTICE: a view with a notice, otherwise sound, which a worker may
    keep under its identity (pages/identity.py); anything else (an error shown
    in place of a page, an unknown address) is never kept anywhere."""
    if has_request_context():
        reasons: set[str] = g.setdefault(_NOT_CACHEABLE, set())
        reasons.add(reason)


def response_cacheable() -> bool:
    """False once a page asked for the current response not to be cached."""
    return not g.get(_NOT_CACHEABLE)


def response_reusable() -> bool:
    """True when the current response may be kept under its view identity: at
    most a notice kept it out of the shared cache."""
    return g.get(_NOT_CACHEABLE, set()) <= {NOTICE}


def page_query() -> Mapping[str, object]:
    """The query keys of the page being rendered, as Dash hands them to layouts
    (a string, or a list when a key repeats); {} outside a request."""
    if not has_app_context():
        return {}
    reader: Callable[[], Mapping[str, object]] | None = current_app.extensions.get(QUERY_READER)
    return reader() if reader and has_request_context() else {}


def signed_in_as() -> str | None:
    """The email of the signed-in staff member the page is for, None for anyone else.

    A response that shows it names one person, while cache entries are shared by
    an audience (every staff member): it is kept by no response cache."""
    if not (has_app_context() and has_request_context()):
        return None
    reader: Callable[[], str | None] | None = current_app.extensions.get(ACCOUNT_READER)
    email = reader() if reader else None
    if email:
        do_not_cache(PERSONAL)
    return email


_REUSED: weakref.WeakSet = weakref.WeakSet()


def mark_reused(nodes: Iterable[object]) -> None:
    """Tell the delivery layer that these components are shared between requests
    (pages/content_memo.py) and never change: it may keep what it derives from
    them (their static HTML) for as long as they live."""
    for node in nodes:
        with contextlib.suppress(TypeError):  # a string or number child: nothing to keep
            _REUSED.add(node)


def is_reused(node: object) -> bool:
    """True for a component passed to `mark_reused` that is still alive."""
    try:
        return node in _REUSED
    except TypeError:
        return False
