"""The query string of the current request, read once the way every handler needs it."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs

from flask import current_app, request

from config import LANGUAGES
from web.dash_adapters import router_search


def query_args() -> dict[str, object]:
    """request.args as Dash hands query keys to page layouts: a string, or a list
    when the key repeats (Dash's pages router does the same for `layout(**query)`)."""
    return {key: values[0] if len(values) == 1 else values for key, values in request.args.lists()}


def page_query() -> Mapping[str, object]:
    """The query keys of the page being rendered: those posted to Dash's pages
    router (a callback request), else those of the index page being served.
    Installed as pages.contract's query reader (web/__init__.py)."""
    search = router_search()
    if search is None:
        return query_args()
    parsed = parse_qs(search.removeprefix("?"), keep_blank_values=True)
    return {key: found[0] if len(found) == 1 else found for key, found in parsed.items()}


def request_language() -> str:
    """The language a plain-text answer (an error, a refusal) is written in: the
    request's valid `lang`, else the configured default."""
    lang = request.args.get("lang", "")
    if isinstance(lang, str) and lang.strip().lower() in LANGUAGES:
        return lang.strip().lower()
    return current_app.config["COMPASS_SETTINGS"].default_language
