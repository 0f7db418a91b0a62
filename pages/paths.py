"""Every route of the dashboard, and the one place that builds links to them.

A shared link is the route plus its query string (year, lang); nothing else
carries view state, so copying the address shares the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

from pages.urlstate import query_string

OVERVIEW = "/"
COUNTRY = "/countries/<iso3>"
DATA = "/data"
INDICATORS = "/indicators"
PARTNERS = "/partners"
# Flask route (not a Dash page): the import templates, by file name.
TEMPLATE_DOWNLOAD = "/downloads/templates/<name>"
# Flask routes (not Dash pages): staff sign-in and sign-out (web/auth.py).
LOGIN = "/login"
LOGOUT = "/logout"


def page_url(
    path: str, year: int | None = None, lang: str | None = None, values: Mapping[str, object] | None = None
) -> str:
    """`path` with the canonical query string: year, the page's controls, lang last."""
    query = query_string({"year": year, **(values if isinstance(values, Mapping) else {}), "lang": lang})
    return f"{path}?{query}" if query else path


def _with_query(path: str, year: int | None, lang: str | None) -> str:
    return page_url(path, year, lang)


def overview_url(year: int | None = None, lang: str | None = None) -> str:
    """Link to the Overview, e.g. '/?year=2022&lang=fr'."""
    return _with_query(OVERVIEW, year, lang)


def country_url(iso3: str, year: int | None = None, lang: str | None = None) -> str:
    """Link to a country page, e.g. '/countries/LBY?year=2022&lang=fr'."""
    return _with_query(COUNTRY.replace("<iso3>", iso3.upper()), year, lang)


def data_url(year: int | None = None, lang: str | None = None) -> str:
    """Link to the Data page (version, imports, sources, definitions), e.g. '/data?lang=fr'."""
    return _with_query(DATA, year, lang)


def template_download_url(name: str) -> str:
    """Link to download an import template, e.g. '/downloads/templates/results_template.csv'."""
    return TEMPLATE_DOWNLOAD.replace("<name>", quote(name))


def indicators_url(year: int | None = None, lang: str | None = None, **values: object) -> str:
    """Link to the indicator explorer with its controls, e.g. '/indicators?indicators=a,b&lang=fr'."""
    return page_url(INDICATORS, year, lang, values)


def partners_url(year: int | None = None, lang: str | None = None, **values: object) -> str:
    """Link to the partners page with its filters, e.g. '/partners?countries=LBY&lang=fr'."""
    return page_url(PARTNERS, year, lang, values)


def login_url(lang: str | None = None, next_view: str | None = None) -> str:
    """Link to the sign-in form, back to `next_view` after it, e.g. '/login?lang=fr&next=%2Fdata'."""
    query = urlencode([(k, v) for k, v in (("lang", lang), ("next", next_view)) if v])
    return f"{LOGIN}?{query}" if query else LOGIN


def logout_url(lang: str | None = None, next_view: str | None = None) -> str:
    """Where the sign-out form posts to (and what GET shows: a sign-out button)."""
    query = urlencode([(k, v) for k, v in (("lang", lang), ("next", next_view)) if v])
    return f"{LOGOUT}?{query}" if query else LOGOUT


PAGE_PATHS = {"overview": OVERVIEW, "data": DATA, "indicators": INDICATORS, "partners": PARTNERS}


def view_url(
    page: str,
    iso3: str | None,
    year: int | None,
    lang: str | None,
    values: Mapping[str, object] | None = None,
) -> str:
    """Link to `page` for the given view, keeping the page's own controls."""
    if page == "country" and isinstance(iso3, str) and iso3:
        return country_url(iso3, year, lang)
    return page_url(PAGE_PATHS.get(page, OVERVIEW) if isinstance(page, str) else OVERVIEW, year, lang, values)


def view_path(page: str, iso3: str | None) -> str:
    """The path of `page` (a country's with its code), without a query string."""
    return view_url(page, iso3, None, None)
