"""The indicator explorer's view state: its query-string controls and the links
that change them. Pure functions (no Dash), shared by the layout and its callbacks.

A view is the validated dict of the URL's controls (`pages.urlstate.Param`):
indicators, countries, years (sorted tuples), breakdown, chart, scale
("common": panels of one unit share their scale) and sort; plus `until`, a
copied link's data cutoff ("every year" up to it, pages/share.py).
`explorer_frame` turns it into the figures it shows, for the page and its exports. The
explorer's links leave out `year` (its own `years` control replaces it) and
the default chart, so they stay short; the choices themselves (indicators,
"all countries", "all years") are always written, so a shared link keeps
showing the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from components.explorer_controls import SCALE_COMMON
from data_access import catalog
from data_access import explorer as data
from model.places import PROGRAMME
from pages import ids, paths
from pages.share import key_control, pinned_link, with_cutoff
from pages.urlstate import CUTOFF_KEY, Param, as_tuple

KEYS = ("indicators", "countries", "years", "breakdown", "chart", "scale", "sort")
CHARTS = ("bars", "lines", "map")
DEFAULT_CHART = "bars"
SORT_COLUMNS = ("indicator", "country", "period", "breakdown", "value", "target", "share")
NUMERIC_COLUMNS = ("value", "target", "share")  # first click sorts these from the largest


def normalize_place(value: str) -> str:
    """'lby' -> 'LBY'; 'Programme' -> 'programme' (the programme-wide place)."""
    value = value.strip()
    return PROGRAMME if value.lower() == PROGRAMME else value.upper()


def explorer_params() -> list[Param]:
    """The explorer's controls; their choices are what the database holds now."""
    return [
        Param(
            "indicators",
            lambda: set(catalog.indicator_definitions("en").code),
            multi=True,
            default=data.default_indicators(),
            normalize=lambda v: v.strip().lower(),
        ),
        Param(
            "countries",
            lambda: set(data.country_options("en").iso3) | {PROGRAMME},
            multi=True,
            default=(),
            normalize=normalize_place,
        ),
        Param("years", lambda: {str(y) for y in data.result_years()}, multi=True, default=()),
        Param("breakdown", lambda: set(data.breakdown_options()), normalize=lambda v: v.strip().lower()),
        Param("chart", lambda: set(CHARTS), default=DEFAULT_CHART, normalize=lambda v: v.strip().lower()),
        Param("scale", lambda: {SCALE_COMMON}, normalize=lambda v: v.strip().lower()),
        Param(
            "sort",
            lambda: set(SORT_COLUMNS) | {f"-{c}" for c in SORT_COLUMNS},
            normalize=lambda v: v.strip().lower(),
        ),
    ]


def explorer_frame(values: Mapping[str, object], lang: str) -> pd.DataFrame:
    """The figures a view shows, one row per source: the one conversion of a
    view into the explorer's query, so the page, its table export and its chart
    export always list the same rows."""
    return data.explorer_results(
        as_tuple(values.get("indicators")),
        as_tuple(values.get("countries")),
        tuple(int(y) for y in as_tuple(values.get("years"))),
        values.get("breakdown") or None,
        lang,
        until=int(str(values[CUTOFF_KEY])) if values.get(CUTOFF_KEY) else None,
    )


def map_places(values: Mapping[str, object], lang: str) -> pd.DataFrame:
    """The countries the map draws (iso3, name): those chosen, else every country offered."""
    places = data.country_options(lang)
    chosen = [c for c in as_tuple(values.get("countries")) if c != PROGRAMME]
    return places[places.iso3.isin(chosen)] if chosen else places


def canonical(values: Mapping[str, object]) -> dict[str, object]:
    """The view as its link writes it: sorted tuples, no empty values, no default chart."""
    chart = values.get("chart") or DEFAULT_CHART
    return {
        "indicators": tuple(sorted(set(as_tuple(values.get("indicators"))))),
        "countries": tuple(sorted({normalize_place(c) for c in as_tuple(values.get("countries"))})),
        "years": tuple(sorted(set(as_tuple(values.get("years"))))),
        CUTOFF_KEY: values.get(CUTOFF_KEY) or None,
        "breakdown": values.get("breakdown") or None,
        "chart": None if chart == DEFAULT_CHART else chart,
        "scale": SCALE_COMMON if values.get("scale") == SCALE_COMMON else None,
        "sort": values.get("sort") or None,
    }


def explorer_url(values: Mapping[str, object], lang: str | None) -> str:
    """The link to the explorer showing `values`, e.g.
    '/indicators?indicators=migrants_return_assistance&countries=LBY,NGA&chart=lines&lang=fr'."""
    return paths.indicators_url(None, lang, **canonical(values))


def explorer_pinned(values: Mapping[str, object], years: Sequence[int], lang: str) -> str:
    """The link Copy link copies (and a link preview's canonical address): the
    view, with the data cutoff written out when no year is ticked (pages/share.py)."""
    view = with_cutoff(canonical(values), not as_tuple(values.get("years")), years)
    return pinned_link("indicators", None, None, lang, view)


def cutoff_year(values: Mapping[str, object]) -> str | None:
    """The year "every year" stops at, when the view shows every year up to it."""
    return None if as_tuple(values.get("years")) else (values.get(CUTOFF_KEY) or None)


def nav_controls(values: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """The explorer's controls, for the browser (pages/share.py): the query key
    each sets and what it shows for `values` (a validated view)."""
    return {
        ids.EXPLORER_INDICATORS: key_control("indicators", values.get("indicators")),
        ids.EXPLORER_COUNTRIES: key_control("countries", values.get("countries")),
        ids.EXPLORER_YEARS: key_control("years", values.get("years")),
        ids.EXPLORER_BREAKDOWN: key_control("breakdown", values.get("breakdown")),
        ids.EXPLORER_CHART_TYPE: key_control("chart", values.get("chart") or DEFAULT_CHART),
        ids.EXPLORER_SCALE: key_control("scale", values.get("scale")),
    }


# Values the explorer's links leave out (canonical): the browser drops them too.
NAV_DEFAULTS = {"chart": DEFAULT_CHART}


def next_sort(current: str | None, column: str) -> str:
    """The sort a click on `column`'s header asks for: the other direction when
    the table is already sorted by it, else ascending (descending for numbers).
    Written as the column for ascending and '-column' for descending."""
    if current == column:
        return f"-{column}"
    if current == f"-{column}":
        return column
    return f"-{column}" if column in NUMERIC_COLUMNS else column


def sort_url(values: Mapping[str, object], lang: str | None, column: str) -> str:
    """The link of a table header: the same view, sorted by `column`."""
    sort = values.get("sort")
    return explorer_url({**values, "sort": next_sort(str(sort) if sort else None, column)}, lang)


def parse_sort(sort: object) -> tuple[str, bool] | None:
    """'-value' -> ('value', False), 'country' -> ('country', True); None for no
    sort (the published order)."""
    if not sort:
        return None
    text = str(sort)
    column = text.removeprefix("-")
    if column not in SORT_COLUMNS:
        return None
    return column, not text.startswith("-")
