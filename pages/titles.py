"""Browser-tab titles in the reader's language ("Indicateurs · Tableau de bord COMPASS").

Dash calls a page's callable `title` with the path variables alone, never the
query string (the pages router in dash/dash.py, the index page's meta tags in
dash/_pages.py), so `?lang=fr` does not reach it as an argument. The title
asks the delivery layer for the query of the page being rendered
(`pages.contract.page_query`: the query string posted to the router callback,
or that of the index page being served). Either way it is a function of the
request, as the callback response cache requires (web/callback_cache.py), and
a missing or bad `lang` gives the default language, as on the page itself
(pages/urlstate.parse_lang).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import current_app, has_app_context

from components.i18n import N_, Translator, get_translator
from data_access import queries as q
from pages.contract import page_query
from pages.urlstate import parse_lang

log = logging.getLogger(__name__)

APP_TITLE = N_("COMPASS Dashboard")
PAGE_TITLE = N_("{page} \u00b7 COMPASS Dashboard")
NOT_FOUND = N_("Page not found")
# What a shared link's preview says under the title (meta description, og:description).
DESCRIPTION = N_("Published results of IOM's COMPASS programme, each figure with its source.")


def page_title(page: str | None = None) -> Callable[..., str]:
    """A page's `title` function: `page` (a msgid, marked with N_) and the app's
    name in the request's language; the app's name alone when `page` is None."""

    def title(**_path_variables) -> str:
        t = get_translator(request_language())
        return titled(t(page) if page else None, t)

    return title


def country_name(iso3: str, lang: str) -> str:
    """The name of a COMPASS country in `lang`, else the code itself. A title must
    never fail a page: when the names cannot be read, the code is shown."""
    try:
        names = q.countries(lang)
    except Exception as exc:  # noqa: BLE001 - the page reports the database itself
        log.warning("country title without the name of %s: %s", iso3, exc)
        return iso3
    found = names.loc[names.iso3 == iso3, "name"]
    return str(found.iloc[0]) if len(found) else iso3


def titled(page: str | None, t: Translator) -> str:
    return t(PAGE_TITLE).format(page=page) if page else t(APP_TITLE)


def default_language() -> str:
    """DEFAULT_LANGUAGE of the running app ("en" outside one)."""
    settings = current_app.config.get("COMPASS_SETTINGS") if has_app_context() else None
    return settings.default_language if settings else "en"


def request_language() -> str:
    """The `lang` of the page being rendered, validated; the default language without one."""
    lang, _notices = parse_lang(page_query(), default_language())
    return lang
