"""Figures of the indicator explorer: bars by country, lines over years, a map.

Pure builders: a results frame in, a Plotly figure out. The page and the
chart export fetch the frame (pages.indicators_view.explorer_frame) and hand it
to `explorer_chart`, so both draw the same figure. Nothing is ever added up: a
point is one indicator, place, period and breakdown; when several sources state
it, the mark sits at the highest stated figure and its label and hover text
list every distinct figure with its source.
Qualifiers are written out ("more than 1,400") wherever a number is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.bar_panels import TITLE_LINE_PX, panel_bars, panel_title, unit_ranges
from components.explorer_points import figure_points, hover_text, mark_name, place_colours
from components.figures import _base_layout, empty_figure, style_country_map
from components.formatting import format_period
from components.labels import UNITS, label
from components.theme import NO_DATA_GREY, SEQUENTIAL, reading_direction
from model.places import PROGRAMME

LINE_PANEL_PX = 260  # one indicator's panel of lines


def _unit_title(unit: str, t: Callable[[str], str]) -> str:
    return label(UNITS, unit, t)


def _panels(points: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(code, group) for code, group in points.groupby("indicator_code", sort=False)]


def explorer_bars(
    points: pd.DataFrame, lang: str, t: Callable[[str], str], title: str, common_scale: bool = False
) -> go.Figure:
    """One panel per indicator, one horizontal bar per place and period, each with
    its figure written out (qualifier included) and a target mark where there is
    one (components.bar_panels, as the Overview draws its country figures).
    `common_scale`: panels of the same unit share one x range."""
    return panel_bars(points, lang, t, title, common_scale=common_scale)


def explorer_lines(
    points: pd.DataFrame, lang: str, t: Callable[[str], str], title: str, common_scale: bool = False
) -> go.Figure:
    """One panel per indicator, one line per place (and breakdown value) over the years;
    `common_scale`: panels of the same unit share their y range. Every year of the
    range has its tick, also one without a figure (where the line breaks).

    Single-year figures are joined by lines. A figure for a span of years
    (2021-2022) is cumulative: it is drawn as an open marker at its end year,
    not joined to the yearly figures, and its hover text says so.
    """
    panels = _panels(points)
    colours = place_colours(points)
    ranges = unit_ranges([group for _, group in panels], common_scale)
    titles = [panel_title(group, t) for _, group in panels]
    # A panel title wrapped on more lines (a long name, or Arabic, which takes more
    # characters) rises above its panel: room for it, or it covers what is above.
    first_extra = TITLE_LINE_PX * titles[0].count("<br>")
    gap_extra = TITLE_LINE_PX * max((title.count("<br>") for title in titles[1:]), default=0)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=titles,
        vertical_spacing=min(0.3, (90 + gap_extra) / (LINE_PANEL_PX * len(panels))) if len(panels) > 1 else 0,
        shared_xaxes=True,
    )
    shown: set[str] = set()
    for row, (_code, group) in enumerate(panels, start=1):
        for (place, _breakdown, span), series in group.groupby(
            ["place", "breakdown_value", "span"], sort=False
        ):
            series = series.sort_values(["period_end", "period_start"])
            first = series.iloc[0]
            xs, ys, hovers, labels = _with_gaps(series, lang, t, span)
            name = mark_name(first, with_year=False)
            if span:
                name = t("{place} (cumulative, at end year)").format(place=name)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers" if span else "lines+markers",
                    connectgaps=False,
                    marker={
                        "color": colours[place],
                        "size": 10 if span else 8,
                        "symbol": "circle-open" if span else "circle",
                        "line": {"width": 2, "color": colours[place]},
                    },
                    line={"color": colours[place], "dash": "dot" if place == PROGRAMME else "solid"},
                    text=labels,
                    hovertext=hovers,
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=name,
                    legendgroup=name,
                    showlegend=name not in shown,
                ),
                row=row,
                col=1,
            )
            shown.add(name)
        unit = group.iloc[0].unit
        fig.update_yaxes(
            rangemode="tozero",
            tickformat=",~g",
            title={"text": _unit_title(unit, t)},
            row=row,
            col=1,
            **({"range": [0, ranges[unit]]} if unit in ranges else {}),
        )
    years = list(range(min(points.year), max(points.year) + 1))
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years], showticklabels=True)
    _base_layout(fig, lang, title)
    fig.update_layout(
        height=max(320, LINE_PANEL_PX * len(panels) + 120 + first_extra + gap_extra * (len(panels) - 1)),
        margin={"l": 10, "r": 10, "t": 60 + first_extra, "b": 10},
        legend={"orientation": "h", "y": -0.08 if len(panels) == 1 else -0.03, "yanchor": "top", "x": 0},
        hovermode="closest",
    )
    fig.update_annotations(font_size=13, x=0, xanchor="left")
    return reading_direction(fig, lang)  # years still run left to right, as in Arabic print


def _with_gaps(series: pd.DataFrame, lang: str, t: Callable[[str], str], span: bool) -> tuple[list, ...]:
    """x, y, hover text and labels of a line, with a break (None) at every year
    without a figure, so a line never suggests figures that were not published."""
    xs, ys, hovers, labels = [], [], [], []
    previous = None
    for point in series.itertuples():
        if not span and previous is not None and point.year > previous + 1:
            xs.append(previous + 1)
            ys.append(None)
            hovers.append("")
            labels.append("")
        xs.append(point.year)
        ys.append(point.value)
        hovers.append(hover_text(point, lang, t, _span_note(point, t) if span else None))
        labels.append(point.label)
        previous = point.year
    return xs, ys, hovers, labels


def _span_note(point, t: Callable[[str], str]) -> str:
    return t("Cumulative figure for {period}, plotted at its end year ({year}).").format(
        period=format_period(point.period_start, point.period_end), year=point.year
    )


def map_points(points: pd.DataFrame) -> pd.DataFrame:
    """What the map draws: the first indicator's country figures, the latest
    period of each country (a single year before a span ending the same year),
    and only the first breakdown value when the figures are broken down."""
    if points.empty:
        return points
    first = points[points.indicator_code == points.indicator_code.iloc[0]]
    first = first[first.place != PROGRAMME]
    if first.breakdown_dim.ne("").any():
        first = first[first.breakdown_value == sorted(first.breakdown_value)[0]]
    ordered = first.sort_values(["place", "period_end", "period_start"], kind="stable")
    return ordered.groupby("place", sort=False).tail(1)


def explorer_map(
    points: pd.DataFrame, places: pd.DataFrame, lang: str, t: Callable[[str], str], title: str
) -> go.Figure:
    """A choropleth of one indicator (the first chosen): each country's latest
    figure in the chosen years; countries without a figure are grey and say so.
    `places` (iso3, name) are the countries to draw."""
    shown = map_points(points)
    without = places[~places.iso3.isin(set(shown.place))]
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=without.iso3.tolist(),
            z=[0] * len(without),
            locationmode="ISO-3",
            colorscale=[[0, NO_DATA_GREY], [1, NO_DATA_GREY]],
            showscale=False,
            text=without.name.tolist(),
            hovertemplate="<b>%{text}</b><br>" + t("No figure for this choice") + "<extra></extra>",
            marker_line_color="white",
            name=t("No figure"),
        )
    )
    if not shown.empty:
        unit = shown.iloc[0].unit
        fig.add_trace(
            go.Choropleth(
                locations=shown.place.tolist(),
                z=shown.value.tolist(),
                locationmode="ISO-3",
                colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
                zmin=0,
                text=shown.label.tolist(),
                hovertext=[hover_text(p, lang, t) for p in shown.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=shown[["indicator_code", "place", "year"]].to_numpy().tolist(),
                colorbar={
                    "title": {"text": _unit_title(unit, t)},
                    "thickness": 10,
                    "len": 0.6,
                    "tickformat": ",~g",
                },
                marker_line_color="white",
                name=shown.iloc[0].indicator_name,
            )
        )
    style_country_map(fig)
    _base_layout(fig, lang, title)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=420)
    return reading_direction(fig, lang)


def chart_title(chart: str, points: pd.DataFrame, t: Callable[[str], str]) -> str:
    """The figure's title for the chosen chart type."""
    if chart == "map" and not points.empty:
        return escape(
            t("{indicator}: latest figure per country").format(indicator=points.iloc[0].indicator_name)
        )
    if chart == "lines":
        return t("Figures over the years")
    return t("Figures by country and period")


def explorer_chart(
    frame: pd.DataFrame,
    chart: str,
    places: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    common_scale: bool = False,
) -> go.Figure:
    """The chart of the view: `frame` from data_access.explorer.explorer_results;
    `places` (iso3, name) the countries the map draws; `common_scale`: panels of
    one unit share their scale (bars and lines)."""
    points = figure_points(frame, lang, t)
    if points.empty:
        return empty_figure(lang, t("No figures were published for this choice."))
    title = chart_title(chart, points, t)
    if chart == "map":
        return explorer_map(points, places, lang, t, title)
    if chart == "lines":
        return explorer_lines(points, lang, t, title, common_scale)
    return explorer_bars(points, lang, t, title, common_scale)


def graph_filename(values: Mapping[str, object]) -> str:
    """The name of a downloaded image: 'compass-migrants_return_assistance-LBY-NGA-2022'."""
    parts = ["compass"]
    for key in ("indicators", "countries", "years"):
        parts += [str(v) for v in _as_tuple(values.get(key))]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts))
    return name[:120]


def _as_tuple(value: object) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(value)
    return (value,)
