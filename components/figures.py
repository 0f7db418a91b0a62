"""Pure figure builders: DataFrame in, Plotly figure out. No queries, no callbacks.

Qualifiers stay in the hover text and labels ("more than 7,000"): a bar can
only draw the number, so the words travel with it (and bounds are hatched).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import dash
import pandas as pd
import plotly.graph_objects as go

from components.bar_panels import panel_bars
from components.explorer_points import figure_points
from components.i18n import LIST_COMMA
from components.suppression import suppression_notes
from components.svg_map import MapCountry
from components.theme import NO_DATA_GREY, SEQUENTIAL, base_layout, reading_direction
from model.figures import is_programme_fact
from model.suppression import FEWER_THAN


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


_base_layout = base_layout  # the name the figure builders have always imported


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
    return reading_direction(fig, lang)


NOT_PUBLISHED_GREY = "#a6a6a6"  # on a file's map: darker than the land, unlike any blue of the scale


def results_map(
    countries: Sequence[MapCountry], unit: str, lang: str, t: Callable[[str], str], title: str
) -> go.Figure:
    """The Overview's map of results as a plotly figure, for the exported files:
    the same countries, figures and colours as the page's SVG (components/svg_map.py),
    where nothing is published, a flat grey (a file cannot hatch a choropleth; the
    export's note says what the grey means). No names on it: text on a map needs
    a scattergeo trace, which the page's partial plotly.js bundle leaves out and
    tests/web/test_frontend.py keeps out of components/."""
    shown = [c for c in countries if c.value is not None]
    without = [c for c in countries if c.value is None]
    fig = go.Figure()
    if without:
        fig.add_trace(
            go.Choropleth(
                locations=[c.iso3 for c in without],
                z=[0] * len(without),
                locationmode="ISO-3",
                colorscale=[[0, NOT_PUBLISHED_GREY], [1, NOT_PUBLISHED_GREY]],
                showscale=False,
                hovertext=[c.tooltip.replace("\n", "<br>") for c in without],
                hovertemplate="%{hovertext}<extra></extra>",
                marker_line_color="white",
                name=t("Not published"),
            )
        )
    if shown:
        fig.add_trace(
            go.Choropleth(
                locations=[c.iso3 for c in shown],
                z=[c.value for c in shown],
                locationmode="ISO-3",
                colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
                zmin=0,
                zmax=max(c.value for c in shown) or 1,
                hovertext=[c.tooltip.replace("\n", "<br>") for c in shown],
                hovertemplate="%{hovertext}<extra></extra>",
                colorbar={"title": {"text": unit}, "thickness": 10, "len": 0.5, "tickformat": ",~g"},
                marker_line_color="white",
                name=title,
            )
        )
    style_country_map(fig)
    _base_layout(fig, lang, title)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=420)
    return reading_direction(fig, lang)


def country_results_only(results: pd.DataFrame) -> pd.DataFrame:
    """The totals that are a country's own results: no breakdown rows, and no
    programme facts (model.figures.is_programme_fact) that a country's source restates."""
    keep = (results.breakdown_dim == "") & ~results.theme.map(is_programme_fact).astype(bool)
    return results[keep]


def country_indicator_bars(
    results: pd.DataFrame, lang: str, t: Callable[[str], str], title: str
) -> go.Figure:
    """A year's country figures as small multiples: one panel per indicator (one
    unit each, linear from zero), one bar per country, coloured by country in
    every language and labelled with its name and figure; hatched where the
    figure is a bound or an estimate, lighter and labelled where it is cumulative
    (components.bar_panels). Programme facts are not drawn as a country's bar."""
    points = figure_points(country_results_only(results), lang, t)
    if points.empty:
        return empty_figure(lang, t("No country-level figures were published for this year."))
    return panel_bars(points, lang, t, title, with_year=False)


def country_chart_notes(results: pd.DataFrame, t: Callable[[str], str], lang: str = "en") -> list[str]:
    """How to read `country_indicator_bars` for these results: scales, hatching,
    cumulative bars, and the programme facts left out, each only when it applies
    (listed with `lang`'s comma)."""
    totals = results[results.breakdown_dim == ""]
    drawn = country_results_only(results)
    notes = [
        t("Each panel is one indicator with its own scale: compare countries within a panel, not across.")
    ]
    if (~drawn.qualifier.isin(["exact", FEWER_THAN])).any():
        notes.append(
            t(
                "Hatched bars are figures published as a bound or an estimate "
                "(\u201cmore than\u201d, \u201cup to\u201d, \u201cabout\u201d); the bar is drawn at the number stated."
            )
        )
    if any(start.year != end.year for start, end in zip(drawn.period_start, drawn.period_end, strict=True)):
        notes.append(
            t(
                "Lighter bars labelled \u201ccumulative\u201d are figures for a span of years: "
                "they are not comparable with figures for one year."
            )
        )
    left_out = totals[~totals.index.isin(drawn.index)].indicator_name.drop_duplicates().tolist()
    if left_out:
        notes.append(
            t(
                "Not drawn as a country\u2019s result (facts about the programme as a whole or its context): {indicators}."
            ).format(indicators=t(LIST_COMMA).join(left_out))
        )
    notes += suppression_notes(drawn, t)
    return notes


def empty_figure(lang: str, message: str) -> go.Figure:
    """A blank figure that says why (for exports of a view with no figures)."""
    fig = go.Figure()
    _base_layout(fig, lang, "")
    fig.update_layout(
        height=280,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": escape(message), "showarrow": False, "xref": "paper", "yref": "paper"}],
    )
    return reading_direction(fig, lang)
