"""Browser-tab titles in the reader's language ("Indicateurs · Tableau de bord COMPASS").

Dash calls a page's callable `title` with the path variables alone, never the
query string (the pages router in dash/dash.py, the index page's meta tags in
dash/_pages.py), so `?lang=fr` does not reach it as an argument. The title
reads the language of the request instead: the query string posted to the
router callback, or that of the index page being served. Either way it is a
function of the request, as the callback response cache requires
(pages/callback_cache.py), and a missing or bad `lang` gives the default
language, as on the page itself (pages/urlstate.parse_lang).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from dash import ctx
from dash.exceptions import MissingCallbackContextException
from flask import current_app, has_app_context, has_request_context, request

from components.i18n import N_, Translator, get_translator
from pages.urlstate import parse_lang

APP_TITLE = N_("COMPASS Dashboard")
PAGE_TITLE = N_("{page} \u00b7 COMPASS Dashboard")

# The router callback's input that holds the URL's query string. Private to Dash
# (dash/dash.py: `Input(_ID_LOCATION, "search")`); public alternative: none, since
# Dash passes only path variables to a callable title. tests/test_titles.py goes
# through the real router, so a change in Dash fails there.
ROUTER_SEARCH = "_pages_location.search"


def page_title(page: str | None = None) -> Callable[..., str]:
    """A page's `title` function: `page` (a msgid, marked with N_) and the app's
    name in the request's language; the app's name alone when `page` is None."""

    def title(**_path_variables) -> str:
        t = get_translator(request_language())
        return titled(t(page) if page else None, t)

    return title


def country_title(iso3: str | None = None, **_) -> str:
    """'LBY · COMPASS Dashboard': the code from the path when it looks like one
    (the page itself says whether it is a COMPASS country)."""
    code = iso3.strip().upper() if isinstance(iso3, str) else ""
    shown = code if len(code) == 3 and code.isascii() and code.isalpha() else None
    return titled(shown, get_translator(request_language()))


def titled(page: str | None, t: Translator) -> str:
    return t(PAGE_TITLE).format(page=page) if page else t(APP_TITLE)


def request_language() -> str:
    """The `lang` of the page being rendered, validated; the default language without one."""
    settings = current_app.config.get("COMPASS_SETTINGS") if has_app_context() else None
    default = settings.default_language if settings else "en"
    lang, _notices = parse_lang(_page_query(), default)
    return lang


def _page_query() -> Mapping[str, object]:
    """The query keys of the page being rendered, as Dash hands them to layouts."""
    search = _router_search()
    if search is not None:
        return _one_or_list(parse_qs(search.removeprefix("?"), keep_blank_values=True))
    if has_request_context():
        return _one_or_list(request.args.to_dict(flat=False))
    return {}


def _router_search() -> str | None:
    """The query string posted to the pages router, or None outside a callback."""
    try:
        search = ctx.inputs.get(ROUTER_SEARCH)
    except (LookupError, MissingCallbackContextException):
        return None  # the index page being served (or no request at all)
    return search if isinstance(search, str) else None


def _one_or_list(values: Mapping[str, list[str]]) -> dict[str, object]:
    """A string per key, a list when the key repeats (what `parse_lang` expects)."""
    return {key: found[0] if len(found) == 1 else found for key, found in values.items()}
