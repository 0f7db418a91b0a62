"""Routes of the export files and the functions that build links to them.

Kept beside `pages/paths.py` (which owns the page routes) until the two are
merged; the query string is the page's own (year, lang, country), written by
the same canonical `paths.page_url`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pages import indicators_view, partners_view, paths

EXPORT_PREFIX = "/export/"
EXPORT_FIGURE = "/export/figure/<figure>.<fmt>"  # png | svg | pdf
EXPORT_DATASET = "/export/<dataset>.<fmt>"  # csv | xlsx
EXPORT_BRIEF = "/export/brief/<iso3>.<fmt>"  # pdf | pptx
DATA_FORMATS = (("csv", "CSV"), ("xlsx", "Excel"))


def _values(country: str | None) -> dict[str, str]:
    return {"country": country.upper()} if country else {}


def figure_export_url(
    figure: str, fmt: str, year: int | None = None, lang: str | None = None, country: str | None = None
) -> str:
    """e.g. '/export/figure/country-figures.png?year=2022&country=LBY&lang=fr'."""
    path = EXPORT_FIGURE.replace("<figure>", figure).replace("<fmt>", fmt)
    return paths.page_url(path, year, lang, _values(country))


RESULTS_MAP = "results-map"  # the Overview's map of one indicator's results (its `map` key)


def results_map_export_url(fmt: str, year: int | None, lang: str | None, indicator: str | None) -> str:
    """e.g. '/export/figure/results-map.png?year=2022&map=stakeholders_trained&lang=fr'."""
    path = EXPORT_FIGURE.replace("<figure>", RESULTS_MAP).replace("<fmt>", fmt)
    return paths.page_url(path, year, lang, {"map": indicator} if indicator else {})


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


def explorer_data_url(fmt: str, values: Mapping[str, object], lang: str | None) -> str:
    """The explorer's table as a file, for the same query as the page, e.g.
    '/export/explorer.csv?indicators=migrants_return_assistance&countries=MLI,NGA&lang=fr'."""
    path = EXPORT_DATASET.replace("<dataset>", "explorer").replace("<fmt>", fmt)
    view = indicators_view.canonical(values)
    view["chart"] = None  # the chart does not change the rows
    return paths.page_url(path, None, lang, view)


def partners_data_url(fmt: str, values: Mapping[str, object], lang: str | None) -> str:
    """The partner directory as a file, for the same query as the page, e.g.
    '/export/partners.xlsx?countries=LBY&types=local_ngo&lang=fr'."""
    path = EXPORT_DATASET.replace("<dataset>", "partners").replace("<fmt>", fmt)
    view = partners_view.canonical(values)
    year = view.pop("year")
    return paths.page_url(path, int(year) if year else None, lang, view)


def data_links(href: Callable[[str], str], t: Callable[[str], str], what: str) -> list[tuple[str, str, str]]:
    """(text, href, description) of a dataset's CSV and Excel links, for `components.export_menu`."""
    return [
        (name, href(fmt), t("Download {what} as {format}").format(what=what, format=name))
        for fmt, name in DATA_FORMATS
    ]
