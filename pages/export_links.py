"""Routes of the export files and the functions that build links to them.

Kept beside `pages/paths.py` (which owns the page routes) until the two are
merged; the query string is the page's own (year, lang, country), written by
the same canonical `paths.page_url`.
"""

from __future__ import annotations

from pages import paths

EXPORT_PREFIX = "/export/"
EXPORT_FIGURE = "/export/figure/<figure>.<fmt>"  # png | svg | pdf
EXPORT_DATASET = "/export/<dataset>.<fmt>"  # csv | xlsx
EXPORT_BRIEF = "/export/brief/<iso3>.<fmt>"  # pdf | pptx


def _values(country: str | None) -> dict[str, str]:
    return {"country": country.upper()} if country else {}


def figure_export_url(
    figure: str, fmt: str, year: int | None = None, lang: str | None = None, country: str | None = None
) -> str:
    """e.g. '/export/figure/country-figures.png?year=2022&country=LBY&lang=fr'."""
    path = EXPORT_FIGURE.replace("<figure>", figure).replace("<fmt>", fmt)
    return paths.page_url(path, year, lang, _values(country))


def dataset_export_url(
    dataset: str, fmt: str, year: int | None = None, lang: str | None = None, country: str | None = None
) -> str:
    """e.g. '/export/country-figures.csv?year=2022&country=LBY&lang=fr'."""
    path = EXPORT_DATASET.replace("<dataset>", dataset).replace("<fmt>", fmt)
    return paths.page_url(path, year, lang, _values(country))


def brief_export_url(iso3: str, fmt: str, year: int | None = None, lang: str | None = None) -> str:
    """e.g. '/export/brief/LBY.pdf?year=2022&lang=fr'."""
    path = EXPORT_BRIEF.replace("<iso3>", iso3.upper()).replace("<fmt>", fmt)
    return paths.page_url(path, year, lang)


def explorer_export_url(fmt: str, values: dict, lang: str | None) -> str:
    """The explorer's chart as a file, for the same query as the page."""
    path = EXPORT_FIGURE.replace("<figure>", "explorer").replace("<fmt>", fmt)
    return paths.page_url(path, None, lang, values)
