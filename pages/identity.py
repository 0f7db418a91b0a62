"""What a page link shows, known before the page is built.

A link whose query string carries a notice (an unknown key such as a click id
`fbclid=...`, a bad value) shows the canonical view it falls back to, plus the
notice. Such responses never enter the shared cache (only canonical views do,
so junk cannot fill Redis). But a shared link with a tracking parameter is
opened by many people, each with a different value: rebuilding the page every
time made such links 20 times dearer than canonical ones. `view_identity`
names exactly what such a link shows (the path, the validated view and its
notices), from the same context functions the pages' layouts use, so web/ can
keep the response a worker rendered for it, in that worker only
(web/callback_cache.py).

Each page registers the function that turns its query into its context
(`register`); its layout calls the same function, so the two cannot drift.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from pages.view import PageContext

log = logging.getLogger(__name__)
MAX_SEARCH = 2000  # longer query strings are rendered, never kept
_CONTEXTS: dict[str, Callable[..., PageContext]] = {}  # route key -> context(query, **path_vars)


def register(route: str) -> Callable[[Callable[..., PageContext]], Callable[..., PageContext]]:
    """Decorator: `context(query, **path_variables)` is how the page at `route`
    (a pages.paths constant) reads its query string."""

    def decorate(context: Callable[..., PageContext]) -> Callable[..., PageContext]:
        _CONTEXTS[route.strip("/")] = context
        return context

    return decorate


def parse_search(search: str) -> dict[str, object]:
    """The query keys as Dash's pages router hands them to a layout (a string, or a
    list when a key repeats; blank values kept)."""
    if not search.startswith("?"):
        return {}
    parsed = parse_qs(search[1:], keep_blank_values=True)
    return {key: found[0] if len(found) == 1 else found for key, found in parsed.items()}


def _route(pathname: str) -> tuple[str, dict[str, str]] | None:
    """The registered route of `pathname` and its path variables, or None."""
    path = pathname.strip("/")
    if path in _CONTEXTS and "<" not in path:
        return path, {}
    head, _, tail = path.partition("/")
    for route in _CONTEXTS:
        prefix, _, variable = route.partition("/")
        if prefix == head and variable.startswith("<") and tail and "/" not in tail:
            return route, {variable.strip("<>"): tail}
    return None


def view_identity(pathname: object, search: object) -> str | None:
    """A string naming everything the page at `pathname` + `search` shows, when its
    query string carries a notice; None for a canonical view (cached as usual),
    an unknown path, or anything unusual (rendered, never kept)."""
    if not isinstance(pathname, str) or not isinstance(search, str) or len(search) > MAX_SEARCH:
        return None
    found = _route(pathname)
    if found is None:
        return None
    route, variables = found
    query = parse_search(search)
    if any(name in query for name in variables):
        return None  # Dash lets the query override a path variable: not worth keeping
    try:
        ctx = _CONTEXTS[route](query, **variables)
    except Exception:  # noqa: BLE001 - the data cannot be read: the page itself says so, uncached
        log.debug("no identity for %s: the view could not be resolved", pathname, exc_info=True)
        return None
    if not ctx.view.notices:
        return None
    values = sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in ctx.values.items())
    return repr((pathname, ctx.lang, ctx.year, ctx.year_chosen, values, ctx.view.notices))


def registered_routes() -> Mapping[str, Callable[..., PageContext]]:
    """Every registered route (tests check that each page registered its own)."""
    return dict(_CONTEXTS)


def view_of(pathname: str, query: Mapping[str, object]) -> tuple[str, dict[str, str], PageContext] | None:
    """(route, path variables, validated context) of the page at `pathname` for
    `query` (keys as parse_search gives them), or None for a path no page has.
    Link previews (pages/previews.py) read a view through it, as the page does."""
    found = _route(pathname) if isinstance(pathname, str) else None
    if found is None:
        return None
    route, variables = found
    return route, variables, _CONTEXTS[route](query, **variables)
