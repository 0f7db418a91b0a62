"""Bars in small multiples: one panel per indicator, so one unit per panel.

Shared by the Overview's country figures and the explorer's bars, so both draw
figures alike: linear axes from zero, one bar per place and period, coloured by
place (components.theme.place_colour), hatched where the figure is a bound or an
estimate ("more than"), each bar labelled above it with its place and figure
(qualifier written out). A cumulative figure (a span of years) comes after the
yearly ones of its panel, lighter, and its label says "cumulative": it is never
placed among yearly figures as if it were one. Nothing is added up.

Long titles and labels are wrapped (by characters, estimated) so that they fit
a 375 px phone: plotly never wraps text and clips what leaves the figure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.explorer_points import hover_text, mark_name, place_colours
from components.labels import UNITS, label
from components.theme import base_layout, reading_direction

BAR_PX = 46  # one bar's row: its one-line label above, the bar below
BAR_THICKNESS_PX = 22
LABEL_LINE_PX = 16  # each further line of a wrapped label
TICKS_PX = 26  # x tick labels under a panel (the unit is in the panel's title)
SPACE_PX = 18  # between a panel's ticks and the next panel's title
TITLE_LINE_PX = 18  # each line of a panel's title
TOP_PX = 40  # the figure's title
BOTTOM_PX = 10
TITLE_CHARS = 42  # a panel title wraps beyond this (13 px text in a 375 px phone's chart)
LABEL_CHARS = 46  # a bar label wraps beyond this (12 px text)
CUMULATIVE_OPACITY = 0.7
PERCENT = "percent"


def wrap_lines(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, words kept whole."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def panel_title(group: pd.DataFrame, t: Callable[[str], str]) -> str:
    """'Indicator (unit)', and 'not summable' when it may not be added up; HTML, wrapped."""
    first = group.iloc[0]
    lines = wrap_lines(f"{first.indicator_name} ({label(UNITS, first.unit, t)})", TITLE_CHARS)
    if not first.summable:
        suffix = "\u00b7 " + t("not summable")
        if len(lines[-1]) + len(suffix) + 1 <= TITLE_CHARS:
            lines[-1] += " " + suffix
        else:
            lines.append(suffix)
    return "<br>".join(escape(line) for line in lines)


def bar_name(point, t: Callable[[str], str], with_year: bool) -> str:
    """What a bar's label says before its figure: place (period, breakdown), and
    'cumulative' for a span of years, whose period is always written."""
    name = mark_name(point, with_year=with_year or point.span)
    return t("{name}, cumulative").format(name=name) if point.span else name


def bar_label(name: str, figure: str) -> tuple[str, int]:
    """The HTML label of a bar and its number of lines: 'Name – <b>figure</b>' on
    one line when it fits, else the name wrapped and the figure on its own line."""
    if len(name) + len(figure) + 3 <= LABEL_CHARS:
        return f"{escape(name)} \u2013 <b>{escape(figure)}</b>", 1
    lines = [escape(line) for line in wrap_lines(name, LABEL_CHARS)]
    lines += [f"<b>{escape(line)}</b>" for line in wrap_lines(figure, LABEL_CHARS)]
    return "<br>".join(lines), len(lines)


def _panels(points: pd.DataFrame) -> list[pd.DataFrame]:
    """Each indicator's points, the yearly figures first, then the cumulative ones."""
    return [
        group.sort_values("span", kind="stable")
        for _code, group in points.groupby("indicator_code", sort=False)
    ]


def _label_room(row_px: int) -> float:
    """Px above the first bar's centre: half the bar, then its label's lines."""
    return BAR_THICKNESS_PX / 2 + 26 + (row_px - BAR_PX)


def _stack(bars_px: list[float], titles: list[str]) -> tuple[list[tuple[float, float]], float]:
    """Each panel's vertical domain (paper fractions, top down) and the plot's
    height in px: its title's lines, its bars, its ticks, a space, the next one.
    Laid out in pixels, so a panel of one bar is as tight as one of ten."""
    spans, cursor = [], 0.0
    for i, (bars, title) in enumerate(zip(bars_px, titles, strict=True)):
        cursor += TITLE_LINE_PX * (title.count("<br>") + 1) + (SPACE_PX if i else 0)
        spans.append((cursor, cursor + bars))
        cursor += bars + TICKS_PX
    return [(1 - end / cursor, 1 - start / cursor) for start, end in spans], cursor


def _axis_refs(row: int) -> dict:
    suffix = "" if row == 1 else str(row)
    return {"xref": f"x{suffix}", "yref": f"y{suffix}"}


def unit_ranges(panels: list[pd.DataFrame], common: bool) -> dict[str, float]:
    """The top of each unit's axis when panels share one scale (else empty);
    a percentage axis always runs to 100 at least."""
    tops: dict[str, float] = {}
    for group in panels:
        unit = group.iloc[0].unit
        top = max(group.value.max(), group.target.max() if group.target.notna().any() else 0)
        if common or unit == PERCENT:
            tops[unit] = max(tops.get(unit, 0.0), float(top))
    return {unit: (max(top, 100.0) if unit == PERCENT else top) * 1.05 for unit, top in tops.items()}


def panel_bars(
    points: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    title: str,
    *,
    with_year: bool = True,
    common_scale: bool = False,
) -> go.Figure:
    """One panel per indicator, one horizontal bar per place, period and breakdown
    (`points` from explorer_points.figure_points), a target mark where there is
    one. `with_year`: write every bar's period (False on a one-year chart, where
    only spans say theirs). `common_scale`: panels of the same unit share their x range."""
    panels = _panels(points)
    colours = place_colours(points)
    names = [[bar_name(p, t, with_year) for p in g.itertuples()] for g in panels]
    labels = [
        [bar_label(n, p.label) for n, p in zip(ns, g.itertuples(), strict=True)]
        for ns, g in zip(names, panels, strict=True)
    ]
    titles = [panel_title(g, t) for g in panels]
    row_px = [BAR_PX + LABEL_LINE_PX * (max(n for _, n in rows) - 1) for rows in labels]
    # A panel's axis runs from half a row below the last bar to the first label's top:
    # its height in px is exactly that, so a row is `px` tall whatever the panel.
    spans = [px * (len(g) - 0.5) + _label_room(px) for px, g in zip(row_px, panels, strict=True)]
    domains, total = _stack(spans, titles)
    fig = make_subplots(rows=len(panels), cols=1, subplot_titles=titles, vertical_spacing=0)
    for row, (bottom, top) in enumerate(domains, start=1):
        fig.update_yaxes(domain=[bottom, top], row=row, col=1)
    # make_subplots placed the titles for its own domains: put each on its panel,
    # left-aligned (also their wrapped lines).
    fig.layout.annotations = [
        {
            **annotation.to_plotly_json(),
            "y": top,
            "font": {"size": 13},
            "x": 0,
            "xanchor": "left",
            "align": "left",
        }
        for annotation, (_bottom, top) in zip(fig.layout.annotations, domains, strict=True)
    ]
    ranges = unit_ranges(panels, common_scale)
    target_in_legend = False
    # Bar labels are collected and set once: each add_annotation copies every
    # annotation before it (quadratic: 560 bars took minutes).
    bar_labels: list[dict] = []
    for row, (group, keys, rows, px) in enumerate(zip(panels, names, labels, row_px, strict=True), start=1):
        fig.add_trace(_bars(group, keys, colours, lang, t, BAR_THICKNESS_PX / px), row=row, col=1)
        targeted = group[group.target.notna()]
        if not targeted.empty:
            target_keys = [k for k, has in zip(keys, group.target.notna(), strict=True) if has]
            fig.add_trace(_targets(targeted, target_keys, t, not target_in_legend), row=row, col=1)
            target_in_legend = True
        bar_labels += [
            {
                **_axis_refs(row),
                "x": 0,
                "y": key,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": BAR_THICKNESS_PX / 2,
                "showarrow": False,
                "align": "left",
                "text": text,
                "font": {"size": 12},
                "name": "bar-label",
            }
            for key, (text, _lines) in zip(keys, rows, strict=True)
        ]
        # First bar at the top, with room above it for its label.
        top_room = _label_room(px) / px
        fig.update_yaxes(
            range=[len(group) - 0.5, -top_room], title=None, showticklabels=False, row=row, col=1
        )
        unit = group.iloc[0].unit
        axis = {"rangemode": "tozero", "tickformat": ",~g", "nticks": 5, "fixedrange": True, "title": None}
        if unit in ranges:
            axis["range"] = [0, ranges[unit]]
        top = axis["range"][1] if "range" in axis else group.value.max()
        if unit != PERCENT and top <= 5:
            axis["dtick"] = 1  # counts of a few: no 0.5 flight
        fig.update_xaxes(row=row, col=1, **axis)
    fig.layout.annotations = [*fig.layout.annotations, *bar_labels]
    base_layout(fig, lang, title)
    fig.update_layout(
        height=round(total) + TOP_PX + BOTTOM_PX,
        margin={"l": 10, "r": 20, "t": TOP_PX, "b": BOTTOM_PX},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        dragmode=False,
    )
    # Right to left, bars grow from the right and their labels start there.
    return reading_direction(fig, lang, mirror_x=True)


def _bars(
    group: pd.DataFrame, keys: list[str], colours: dict[str, str], lang: str, t, width: float
) -> go.Bar:
    return go.Bar(
        orientation="h",
        width=width,  # in rows: the same thickness in px whatever the row's height
        x=group.value.tolist(),
        y=keys,
        text=group.label.tolist(),
        textposition="none",  # written above the bar, with its place and period
        marker={
            "color": [colours[p] for p in group.place],
            "opacity": [CUMULATIVE_OPACITY if span else 1.0 for span in group.span],
            # Hatched: the figure is a bound or an estimate ("more than", "about").
            "pattern": {
                "shape": ["" if q == "exact" else "/" for q in group.qualifier],
                "fgcolor": "white",
                "solidity": 0.25,
            },
        },
        hovertext=[hover_text(p, lang, t) for p in group.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=group[["indicator_code", "place", "year"]].to_numpy().tolist(),
        name=group.iloc[0].indicator_name,
        showlegend=False,
    )


def _targets(targeted: pd.DataFrame, keys: list[str], t, in_legend: bool) -> go.Scatter:
    return go.Scatter(
        x=targeted.target.tolist(),
        y=keys,
        mode="markers",
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#212529"}},
        name=t("Target"),
        legendgroup="target",
        showlegend=in_legend,
        hovertext=[
            escape(t("Target: {target}").format(target=p.target_label)) for p in targeted.itertuples()
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )
