"""Pure figure builders: DataFrame in, Plotly figure out. No queries, no callbacks.

Qualifiers stay in the hover text and labels ("more than 7,000"): a bar can
only draw the number, so the words travel with it.
"""

from __future__ import annotations

from collections.abc import Callable

import dash
import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_figure, format_period
from components.theme import NO_DATA_GREY, PALETTE, SEQUENTIAL, figure_template, separators


def style_country_map(fig: go.Figure) -> go.Figure:
    """The geography of every country map: zoomed on the countries drawn, light land."""
    fig.update_geos(
        fitbounds="locations",
        showcountries=True,
        countrycolor="#ffffff",
        showland=True,
        landcolor="#f1f3f5",
        showframe=False,
        projection_type="natural earth",
    )
    return fig


def graph_config(filename: str) -> dict:
    """dcc.Graph config: local map shapes, no Plotly logo, a meaningful export name,
    and no "Share chart" button: it uploads the chart's data to Plotly Cloud."""
    return {
        "topojsonURL": dash.get_asset_url("geo/"),
        "displaylogo": False,
        "toImageButtonOptions": {"filename": filename},
        "modeBarButtonsToRemove": ["sendChartToCloud"],
        "responsive": True,
    }


def _base_layout(fig: go.Figure, lang: str, title: str) -> go.Figure:
    fig.update_layout(
        template=figure_template(),
        separators=separators(lang),
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
    )
    return fig


def coverage_map(coverage: pd.DataFrame, lang: str, t: Callable[[str], str], title: str) -> go.Figure:
    """The COMPASS countries shaded by how much was published for the year.

    Countries with nothing published are grey and say so in the hover text.
    """
    published = coverage.assign(items=coverage.figures + coverage.activities)
    has = published[published["items"] > 0]
    none = published[published["items"] == 0]
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=none.iso3,
            z=[0] * len(none),
            locationmode="ISO-3",
            colorscale=[[0, NO_DATA_GREY], [1, NO_DATA_GREY]],
            showscale=False,
            customdata=none[["iso3"]].to_numpy(),
            text=none.name,
            hovertemplate="<b>%{text}</b><br>" + t("Nothing published for this year") + "<extra></extra>",
            marker_line_color="white",
            name=t("Nothing published"),
        )
    )
    fig.add_trace(
        go.Choropleth(
            locations=has.iso3,
            z=has["items"],
            locationmode="ISO-3",
            colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
            zmin=0,
            customdata=has[["iso3", "figures", "activities", "partners"]].to_numpy(),
            text=has.name,
            hovertemplate=(
                "<b>%{text}</b><br>"
                + t("Figures published: %{customdata[1]}")
                + "<br>"
                + t("Partner activities: %{customdata[2]}")
                + "<br>"
                + t("Partners named: %{customdata[3]}")
                + "<extra></extra>"
            ),
            colorbar={"title": {"text": t("Items")}, "thickness": 10, "len": 0.5},
            marker_line_color="white",
            name=t("Published"),
        )
    )
    style_country_map(fig)
    _base_layout(fig, lang, title)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=380)
    return fig


def _one_bar_per_figure(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per country, indicator and period. Sources that state the same
    figure differently (109 / about 109) share the bar, and its label shows both."""
    frame = frame.assign(
        label=[
            format_figure(v, q, u, lang)
            for v, q, u in zip(frame.value, frame.qualifier, frame.unit, strict=True)
        ],
        # A cumulative span (2021-2022) says so: it is not a one-year figure.
        indicator_label=[
            name if start.year == end.year else f"{name} ({format_period(start, end)})"
            for name, start, end in zip(
                frame.indicator_name, frame.period_start, frame.period_end, strict=True
            )
        ],
    )
    keys = ["country_iso3", "country_name", "indicator_label"]
    return (
        frame.groupby(keys, sort=False)
        .agg(
            value=("value", "max"),
            label=("label", lambda x: " / ".join(dict.fromkeys(x))),
            sources=("label", "size"),
        )
        .reset_index()
    )


def country_indicator_bars(
    results: pd.DataFrame, lang: str, t: Callable[[str], str], title: str
) -> go.Figure:
    """Country-level figures of the year, one bar each, grouped by country.

    Different indicators share the axis, so the scale is logarithmic and every
    bar carries its exact figure, qualifier included, as text.
    """
    frame = _one_bar_per_figure(results[results.breakdown_dim == ""], lang)
    frame = frame.sort_values(["country_name", "value"], ascending=[False, True])
    fig = go.Figure()
    for i, (country, group) in enumerate(frame.groupby("country_name", sort=False)):
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=group.value,
                y=[f"{name} \u2013 {country}" for name in group.indicator_label],
                text=group.label,
                textposition="outside",
                textfont={"size": 12},
                cliponaxis=False,
                marker_color=PALETTE[i % len(PALETTE)],
                name=country,
                customdata=group[["country_iso3", "sources"]].to_numpy(),
                hovertemplate="<b>%{y}</b><br>%{text}<br>"
                + t("Sources: %{customdata[1]}")
                + "<extra></extra>",
            )
        )
    _base_layout(fig, lang, title)
    fig.update_layout(
        height=max(300, 30 * len(frame) + 90),
        xaxis={"type": "log", "title": {"text": t("Value (logarithmic scale)")}},
        yaxis={"title": None},
        showlegend=False,
        barmode="overlay",
        uniformtext={"mode": False},
        margin={"l": 10, "r": 140, "t": 40, "b": 10},
        bargap=0.25,
    )
    return fig
