"""Overview (/): headline figures of a year, map, per-country chart, programme-wide
figures with sources, and partner activities."""

from __future__ import annotations

import functools
from collections.abc import Mapping

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.activities import activity_list
from components.export_menu import export_links
from components.figures import (
    country_chart_notes,
    country_indicator_bars,
    country_results_only,
    graph_config,
)
from components.kpi import kpi_grid
from components.shell import page_section
from components.tables import coverage_table, results_table
from data_access import queries as q
from pages import export_paths, identity, ids, paths
from pages.overview_map import map_control, overview_params, overview_pinned, results_map
from pages.previews import route_title
from pages.view import PageContext, guarded, no_data, resolve, reused, shell

dash.register_page(__name__, path=paths.OVERVIEW, title=route_title(paths.OVERVIEW), name="Overview")

ACTIVITIES_SHOWN = 8
IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = (("csv", "CSV"), ("xlsx", "Excel"))
MAP_EXPORTS = "overview-map-exports"
COUNTRY_CHART_EXPORTS = "overview-country-chart-exports"
COUNTRY_CHART_NOTES = "overview-country-chart-notes"
PROGRAMME_EXPORTS = "overview-programme-exports"
ACTIVITIES_EXPORTS = "overview-activities-exports"


def _data_links(ctx: PageContext, dataset: str, what: str) -> list[tuple[str, str, str]]:
    t = ctx.t
    return [
        (
            name,
            export_paths.dataset_export_url(dataset, fmt, ctx.year, ctx.lang),
            t("Download {what} as {format}").format(what=what, format=name),
        )
        for fmt, name in DATA_FORMATS
    ]


def _downloads(ctx: PageContext, figure: str | None, dataset: str, what: str, element_id: str) -> html.Div:
    """'Download the chart: PNG · SVG · PDF   Download the data: CSV · Excel' under a chart or table."""
    t = ctx.t
    groups = []
    if figure:
        images = [
            (
                fmt.upper(),
                export_paths.figure_export_url(figure, fmt, ctx.year, ctx.lang),
                t("Download {what} as {format}").format(what=what, format=fmt.upper()),
            )
            for fmt in IMAGE_FORMATS
        ]
        groups.append(export_links(t("Download the chart:"), images))
    groups.append(export_links(t("Download the data:"), _data_links(ctx, dataset, what)))
    return html.Div(groups, id=element_id, className="d-flex flex-wrap column-gap-4 mt-1")


def _chart_caption(ctx: PageContext, title: str, drawn: pd.DataFrame) -> html.Figcaption:
    """Names the chart for screen readers (its title is drawn inside the SVG) and
    links to its figures as a table: the explorer with the same indicators and year."""
    href = paths.indicators_url(
        lang=ctx.lang, indicators=sorted(drawn.indicator_code.unique()), years=[ctx.year]
    )
    return html.Figcaption(
        [f"{title}. ", dcc.Link(ctx.t("The same figures as a table"), href=href)],
        className="small chart-caption",
    )


def _charts(ctx: PageContext) -> list:
    t, lang, year = ctx.t, ctx.lang, ctx.year
    coverage = q.country_coverage(year, lang)
    # Totals, and only the countries' own results: "partner countries: 14" in a Malian
    # article is a fact about the programme, not a Malian result.
    country_figures = q.country_level_results(year, lang, breakdowns=False, programme_facts=False)
    bars_title = t("Country figures, {year}").format(year=year)
    # Country links carry the year only when the URL chose it: else each opens on its own.
    country_href = functools.partial(paths.country_url, year=ctx.link_year, lang=lang)
    map_graph = html.Div(
        [
            *results_map(ctx, country_figures, coverage, country_href),
            _downloads(
                ctx, None, "coverage", t("What each country published, {year}").format(year=year), MAP_EXPORTS
            ),
        ]
    )
    table = coverage_table(coverage, lang, t, country_href)
    if country_results_only(country_figures).empty:  # programme facts alone are no country chart
        bars = dbc.Alert(
            t("No country-level figures were published for {year}.").format(year=year), color="light"
        )
    else:
        bars = html.Div(
            [
                html.Figure(
                    [
                        dcc.Graph(
                            id=ids.COUNTRY_CHART,
                            figure=country_indicator_bars(country_figures, lang, t, bars_title),
                            config=graph_config(f"compass-country-figures-{year}-{lang}"),
                            className="chart",
                        ),
                        _chart_caption(ctx, bars_title, country_results_only(country_figures)),
                    ],
                    className="mb-0",
                ),
                html.Ul(
                    [html.Li(note) for note in country_chart_notes(country_figures, t, lang)],
                    id=COUNTRY_CHART_NOTES,
                    className="small text-body-secondary chart-notes",
                ),
                _downloads(ctx, "country-figures", "country-figures", bars_title, COUNTRY_CHART_EXPORTS),
            ]
        )
    return [
        dbc.Row([dbc.Col(map_graph, lg=7), dbc.Col(table, lg=5)], className="g-3"),
        html.Div(bars, className="mt-3"),
    ]


def _activities(ctx: PageContext) -> list:
    t = ctx.t
    frame = q.activities(ctx.year, ctx.lang)
    if frame.empty:
        return [html.P(t("No partner activities were published for {year}.").format(year=ctx.year))]
    shown = frame.head(ACTIVITIES_SHOWN)
    note = (
        t("Showing {shown} of {total}; each country page lists all of its activities.").format(
            shown=len(shown), total=len(frame)
        )
        if len(frame) > len(shown)
        else None
    )
    items = activity_list(shown, ctx.lang, t, lambda iso3: paths.country_url(iso3, ctx.year, ctx.lang))
    what = t("Partner activities, {year}").format(year=ctx.year)
    return [
        items,
        html.P(note, className="small text-body-secondary mt-2") if note else None,
        _downloads(ctx, None, "activities", what, ACTIVITIES_EXPORTS),
    ]


@identity.register(paths.OVERVIEW)
def view_context(query: Mapping[str, object]) -> PageContext:
    """The validated view of the Overview (pages/identity.py keys links by it)."""
    return resolve(query, overview_params())


@guarded
def layout(**query) -> html.Div:
    """The Overview for the year and language of the query string."""
    ctx = view_context(query)
    if ctx.year is None:
        return shell(ctx, "overview", None, no_data(ctx))
    content = reused(ctx, "overview", None, lambda: _content(ctx))
    return shell(ctx, "overview", None, content, controls=map_control(ctx), pinned=overview_pinned(ctx))


def _content(ctx: PageContext) -> list:
    """Everything inside the shell, for a year with data."""
    t, lang, year = ctx.t, ctx.lang, ctx.year
    programme = q.programme_results(year, lang, breakdowns=False)
    return [
        html.H1(t("COMPASS programme results"), className="h2"),
        html.P(
            t(
                "Cooperation on Migration and Partnerships to Achieve Sustainable Solutions \u00b7 {year}"
            ).format(year=year),
            className="lead",
        ),
        page_section(
            t("Headline figures, {year}").format(year=year),
            [kpi_grid(q.programme_kpis(year, lang), year, lang, t)],
            "kpis",
        ),
        page_section(t("Results by country, {year}").format(year=year), _charts(ctx), "countries"),
        page_section(
            t("Every programme-wide figure published for {year}").format(year=year),
            [
                html.P(
                    t("Spans such as 2021\u20132022 are cumulative figures, shown as published."),
                    className="small text-body-secondary",
                ),
                results_table(
                    programme,
                    lang,
                    t,
                    t("Programme-wide figures and their sources"),
                    table_id="programme-figures",
                )
                if not programme.empty
                else html.P(t("No programme-wide figures were published for {year}.").format(year=year)),
                _downloads(
                    ctx,
                    None,
                    "programme-figures",
                    t("Every programme-wide figure published for {year}").format(year=year),
                    PROGRAMME_EXPORTS,
                )
                if not programme.empty
                else None,
            ],
            "programme",
        ),
        page_section(t("Partner activities, {year}").format(year=year), _activities(ctx), "activities"),
    ]
