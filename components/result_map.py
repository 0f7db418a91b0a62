"""What the Overview's map shows: one indicator's result in each country.

Pure functions: a year's country results in, the choice of indicators and each
country's figure out, for the server-drawn map (components/svg_map.py). A
country's figure is never a sum: where several sources state it, the colour is
the highest stated figure and the tooltip lists each one; where a country has
both a figure for the year and a cumulative one ending that year, the map shows
the year's figure (the tooltip says when a figure is cumulative). A country
without a figure is "not published", never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from components.explorer_points import figure_points
from components.figures import country_results_only
from components.formatting import format_period
from components.labels import UNITS, label
from components.svg_map import MapCountry


@dataclass(frozen=True)
class MapIndicator:
    """An indicator the map can show for the year, with how many countries have a figure."""

    code: str
    name: str
    unit: str
    countries: int
    headline: float | None  # its headline card's rank, None for none


def map_indicators(results: pd.DataFrame) -> list[MapIndicator]:
    """The indicators with a country figure in `results` (a year's country totals),
    most countries first, then headline order, then name. Programme facts are left out."""
    own = country_results_only(results)
    options = []
    for code, group in own.groupby("indicator_code", sort=False):
        first = group.iloc[0]
        headline = None if pd.isna(first.headline) else float(first.headline)
        options.append(
            MapIndicator(code, first.indicator_name, first.unit, group.country_iso3.nunique(), headline)
        )
    return sorted(
        options, key=lambda o: (-o.countries, o.headline if o.headline is not None else 999, o.name)
    )


def default_map_indicator(options: Sequence[MapIndicator]) -> str | None:
    """The headline indicator with the most countries; without one, the indicator
    with the most countries; None when no country has a figure."""
    headline = [o for o in options if o.headline is not None]
    chosen = (headline or list(options))[:1]
    return chosen[0].code if chosen else None


def _country_point(points: pd.DataFrame, year: int) -> pd.Series:
    """The point the map colours: the figure for `year` itself before a cumulative one."""
    single = points[[start.year == year for start in points.period_start]]
    return (single if not single.empty else points.sort_values("period_start", ascending=False)).iloc[0]


def indicator_countries(
    results: pd.DataFrame,
    code: str | None,
    countries: pd.DataFrame,
    year: int,
    lang: str,
    t: Callable[[str], str],
    country_href: Callable[[str], str],
) -> list[MapCountry]:
    """Every country of `countries` (iso3, name) as the map shows it for indicator `code`."""
    own = country_results_only(results)
    points = figure_points(own[own.indicator_code == code], lang, t) if code else pd.DataFrame()
    by_place = dict(tuple(points.groupby("place"))) if not points.empty else {}
    shown = []
    for row in countries.itertuples():
        href = country_href(row.iso3)
        if row.iso3 not in by_place:
            text = t("Not published for {year}").format(year=year)
            shown.append(MapCountry(row.iso3, row.name, None, f"{row.name}\n{text}", href, text))
            continue
        point = _country_point(by_place[row.iso3], year)
        figure = point.label
        if point.span:
            figure = t("{figure} (cumulative {period})").format(
                figure=figure, period=format_period(point.period_start, point.period_end)
            )
        # A suppressed small count (NaN in the points) is not coloured: its text says "fewer than 10".
        value = None if pd.isna(point.value) else float(point.value)
        shown.append(MapCountry(row.iso3, row.name, value, f"{row.name}\n{figure}", href, figure))
    return shown


@dataclass(frozen=True)
class MapView:
    """Everything a map of results shows, for the page (SVG) and its export (plotly)."""

    code: str | None  # the indicator shown; None when no country has a figure
    title: str
    unit: str  # the unit's name in the page language
    countries: list[MapCountry]
    options: list[MapIndicator]


def map_view(
    results: pd.DataFrame,
    chosen: str | None,
    countries: pd.DataFrame,
    definitions: pd.DataFrame,
    year: int,
    lang: str,
    t: Callable[[str], str],
    country_href: Callable[[str], str],
) -> MapView:
    """The map of `chosen` (default: default_map_indicator) for a year's country
    totals `results`; `countries` (iso3, name) the countries drawn, `definitions`
    (code, name, unit) every indicator, for a choice without figures this year."""
    options = map_indicators(results)
    code = chosen or default_map_indicator(options)
    shown = indicator_countries(results, code, countries, year, lang, t, country_href)
    if not code:
        return MapView(
            None, t("No country published a figure for {year}").format(year=year), "", shown, options
        )
    known = definitions.set_index("code")
    name = known.name.get(code, code)
    unit = label(UNITS, known.unit.get(code, ""), t)
    title = t("{indicator} by country, {year}").format(indicator=name, year=year)
    return MapView(code, title, unit, shown, options)
