"""Every route of the dashboard, and the one place that builds links to them.

A shared link is the route plus its query string (year, lang); nothing else
carries view state, so copying the address shares the view.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

OVERVIEW = "/"
COUNTRY = "/countries/<iso3>"
DATA = "/data"
# Flask route (not a Dash page): the import templates, by file name.
TEMPLATE_DOWNLOAD = "/downloads/templates/<name>"


def _with_query(path: str, year: int | None, lang: str | None) -> str:
    params = {k: v for k, v in (("year", year), ("lang", lang)) if v is not None}
    return f"{path}?{urlencode(params)}" if params else path


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


def view_url(page: str, iso3: str | None, year: int | None, lang: str | None) -> str:
    """Link to `page` ('overview', 'country' or 'data') for the given view."""
    if page == "country" and iso3:
        return country_url(iso3, year, lang)
    if page == "data":
        return data_url(year, lang)
    return overview_url(year, lang)
