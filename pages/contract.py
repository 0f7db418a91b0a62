"""What a page asks of the delivery layer (web/), without importing it.

Pages and their layouts know nothing of HTTP; the few things they need to tell
or ask the delivery layer go through these functions:

- `do_not_cache()`: an error message shown in place of a page (the database is
  down) must not be cached, or it would outlive the outage; nor a page whose
  query string carried a notice (pages/view.resolve), or anyone could fill the
  cache with endless variants of one view (web/ reads `response_cacheable()`);
- `page_query()`: the query keys of the page being rendered, for the few places
  Dash does not pass them to (a page's title). web/ installs the reader
  (`QUERY_READER` in the app's extensions); without one, there is no query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import current_app, g, has_app_context, has_request_context

_NOT_CACHEABLE = "compass_not_cacheable"
QUERY_READER = "compass_page_query_reader"  # app.extensions key: () -> {key: str | list}


def do_not_cache() -> None:
    """Mark the response being built as not to be kept by any cache."""
    if has_request_context():
        setattr(g, _NOT_CACHEABLE, True)


def response_cacheable() -> bool:
    """False once a page asked for the current response not to be cached."""
    return not g.get(_NOT_CACHEABLE, False)


def page_query() -> Mapping[str, object]:
    """The query keys of the page being rendered, as Dash hands them to layouts
    (a string, or a list when a key repeats); {} outside a request."""
    if not has_app_context():
        return {}
    reader: Callable[[], Mapping[str, object]] | None = current_app.extensions.get(QUERY_READER)
    return reader() if reader and has_request_context() else {}
