"""Indicator explorer (/indicators): choose indicators, countries, years and a
breakdown; see them as bars by country, lines over years or a map, and as a
sortable table. Every control lives in the query string (pages/indicators_view.py);
the controls' callbacks (pages/indicators_callbacks.py) only write a new URL, in the browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.announce import ANNOUNCE
from components.explorer_controls import SCALE_COMMON, checklist, indicator_options, list_box, place_options
from components.explorer_figures import explorer_chart, graph_filename
from components.explorer_missing import missing_combinations, missing_sentences
from components.explorer_table import explorer_table
from components.export_menu import export_links
from components.figures import graph_config
from components.formatting import format_number
from components.i18n import LIST_COMMA
from components.labels import BREAKDOWNS, label
from components.suppression import suppression_notes
from data_access import catalog
from data_access import explorer as data
from model.places import PROGRAMME
from model.suppression import FEWER_THAN
from pages import identity, ids, paths
from pages.export_paths import data_links, explorer_data_url, explorer_export_url
from pages.indicators_view import (
    NAV_DEFAULTS,
    canonical,
    cutoff_year,
    explorer_frame,
    explorer_params,
    explorer_pinned,
    map_places,
    nav_controls,
    parse_sort,
    sort_url,
)
from pages.intros import intro_header
from pages.previews import route_title
from pages.urlstate import as_tuple
from pages.view import PageContext, guarded, no_data, resolve, reused, shell

dash.register_page(__name__, path=paths.INDICATORS, title=route_title(paths.INDICATORS), name="Indicators")


def _fieldset(legend: str, controls: list) -> html.Fieldset:
    return html.Fieldset(
        [html.Legend(legend, className="form-label fw-semibold fs-6 mb-1"), *controls],
        className="explorer-control",
    )


def _chosen_names(indicators: pd.DataFrame, values, t: Callable[[str], str]) -> str:
    """The chosen indicators' names, in the list's order: seen at once, wherever the list is scrolled."""
    chosen = set(as_tuple(values["indicators"]))
    return t(LIST_COMMA).join(
        name for code, name in zip(indicators.code, indicators.name, strict=True) if code in chosen
    )


def _every_year(ctx: PageContext) -> str:
    """What no ticked year means: every year, or every year up to a pinned link's cutoff."""
    until = cutoff_year(ctx.values)
    if until:
        return ctx.t("None ticked: every year up to {year}.").format(year=until)
    return ctx.t("None ticked: every year.")


def _controls(ctx: PageContext) -> html.Div:
    t, values, lang = ctx.t, ctx.values, ctx.lang
    indicators = catalog.indicator_definitions(lang)
    places = data.country_options(lang)
    year_options = [{"label": str(y), "value": str(y)} for y in sorted(data.result_years(), reverse=True)]
    breakdowns = [{"label": t("Totals"), "value": ""}] + [
        {"label": label(BREAKDOWNS, dim, t), "value": dim} for dim in data.breakdown_options()
    ]
    charts = [
        {"label": t("Bars by country"), "value": "bars"},
        {"label": t("Lines over years"), "value": "lines"},
        {"label": t("Map"), "value": "map"},
    ]
    row = [
        dbc.Col(
            _fieldset(
                t("Indicators, by theme"),
                [
                    html.Div(
                        t("Chosen: {indicators}").format(indicators=_chosen_names(indicators, values, t)),
                        id=f"{ids.EXPLORER_INDICATORS}-chosen",
                        className="form-text mt-0 mb-1",
                    ),
                    list_box(
                        ids.EXPLORER_INDICATORS,
                        checklist(
                            ids.EXPLORER_INDICATORS,
                            indicator_options(indicators, t, lang),
                            values["indicators"],
                            "explorer-indicator-list",
                        ),
                    ),
                ],
            ),
            lg=6,
        ),
        dbc.Col(
            _fieldset(
                t("Countries"),
                [
                    list_box(
                        ids.EXPLORER_COUNTRIES,
                        checklist(
                            ids.EXPLORER_COUNTRIES,
                            place_options(places, t),
                            values["countries"],
                            "explorer-country-list",
                        ),
                        t("None ticked: every country and programme-wide."),
                    )
                ],
            ),
            md=7,
            lg=3,
        ),
        dbc.Col(
            _fieldset(
                t("Years"),
                [
                    checklist(
                        ids.EXPLORER_YEARS, year_options, values["years"], "explorer-year-list", inline=True
                    ),
                    html.Div(_every_year(ctx), className="form-text mt-1"),
                ],
            ),
            md=5,
            lg=3,
        ),
        dbc.Col(
            _fieldset(
                t("Breakdown"),
                [
                    dbc.RadioItems(
                        id=ids.EXPLORER_BREAKDOWN,
                        options=breakdowns,
                        value=values["breakdown"] or "",
                        inline=True,
                    ),
                    None
                    if len(breakdowns) > 1
                    else html.Div(t("No published figure is broken down yet."), className="form-text mt-0"),
                ],
            ),
            md=6,
        ),
        dbc.Col(
            _fieldset(
                t("Chart"),
                [
                    dbc.RadioItems(
                        id=ids.EXPLORER_CHART_TYPE, options=charts, value=values["chart"], inline=True
                    ),
                    checklist(
                        ids.EXPLORER_SCALE,
                        [{"label": t("One scale for all panels of the same unit"), "value": SCALE_COMMON}],
                        [SCALE_COMMON] if values["scale"] == SCALE_COMMON else [],
                        "explorer-scale mt-1",
                    ),
                ],
            ),
            md=6,
        ),
    ]
    return html.Div(dbc.Row(row, className="g-3"), className="explorer-controls card card-body mb-3")


def _notes(ctx: PageContext, frame: pd.DataFrame) -> html.Ul | None:
    """What the reader should know to read this view honestly."""
    t, values = ctx.t, ctx.values
    notes = []
    never_summed = frame[~frame.summable].indicator_name.drop_duplicates().tolist()
    if never_summed:
        notes.append(
            t(
                "Not summable: {indicators}. These figures must never be added together; each is shown as published."
            ).format(indicators=t(LIST_COMMA).join(never_summed))
        )
    if values["chart"] == "bars" and (~frame.qualifier.isin(["exact", FEWER_THAN])).any():
        notes.append(
            t(
                "Hatched bars are figures published as a bound or an estimate "
                "(\u201cmore than\u201d, \u201cup to\u201d, \u201cabout\u201d); the bar is drawn at the number stated."
            )
        )
    if (frame.sources > 1).any():
        notes.append(
            t("Where several sources state a figure, each is listed with its source; none is added up.")
        )
    if (frame.period_start.map(lambda d: d.year) != frame.year).any():
        notes.append(
            t(
                "Figures for a span of years (such as 2021\u20132022) are cumulative, as published; "
                "the lines chart places them at their end year."
            )
        )
    if values["chart"] == "map":
        first = frame.indicator_name.iloc[0]
        if frame.indicator_code.nunique() > 1:
            notes.append(
                t(
                    "The map shows one indicator: {indicator}. To map another, choose only that one; "
                    "the table lists them all."
                ).format(indicator=first)
            )
        if (frame.scope == "programme").any():
            notes.append(t("Programme-wide figures are not on the map; they are in the table."))
        if values["breakdown"]:
            notes.append(t("With a breakdown, the map shows its first value; the table lists them all."))
    notes += suppression_notes(frame, t)
    if not notes:
        return None
    return html.Ul([html.Li(n) for n in notes], className="small text-body-secondary explorer-notes")


def _download_links(ctx: PageContext) -> html.Div:
    """The chart as a file with its title, filters, source and date drawn in, and
    the table's rows as CSV and Excel, for the same query."""
    return html.Div(
        [
            _chart_links(ctx),
            export_links(
                ctx.t("Download the data:"),
                data_links(
                    lambda fmt: explorer_data_url(fmt, dict(ctx.values), ctx.lang),
                    ctx.t,
                    ctx.t("the figures of this view"),
                ),
                element_id="explorer-data-exports",
            ),
        ],
        className="d-flex flex-wrap column-gap-4 mt-1",
    )


def _chart_links(ctx: PageContext) -> html.P:
    """The chart as a file with its title, filters, source and date drawn in."""
    links: list = [ctx.t("Download the chart:") + " "]
    for i, fmt in enumerate(("png", "svg", "pdf")):
        links += [" \u00b7 "] if i else []
        links.append(
            html.A(
                fmt.upper(),
                href=explorer_export_url(fmt, dict(ctx.values), ctx.lang),
                className="explorer-export",
            )
        )
    return html.P(links, className="small")


def _figures(ctx: PageContext, frame: pd.DataFrame) -> list:
    t, lang, values = ctx.t, ctx.lang, ctx.values
    graph = dcc.Graph(
        id=ids.EXPLORER_GRAPH,
        figure=explorer_chart(
            frame, values["chart"], map_places(values, lang), lang, t, values["scale"] == SCALE_COMMON
        ),
        config=graph_config(graph_filename(values)),
        className="chart",
    )
    sort = parse_sort(values["sort"])
    count = len(frame)
    return [
        _notes(ctx, frame),
        html.Section(
            [
                html.Figure(
                    [
                        graph,
                        # Names the chart for screen readers and leads to its equivalent, the table.
                        html.Figcaption(
                            [
                                t("Chart of the figures chosen above."),
                                " ",
                                html.A(t("The same figures as a table"), href="#explorer-table-title"),
                            ],
                            className="small chart-caption",
                        ),
                    ],
                    className="mb-0",
                ),
                _download_links(ctx),
            ],
            id="explorer-chart",
            **{"aria-label": t("Chart")},
        ),
        html.Section(
            [
                html.H2(t("The same figures as a table"), id="explorer-table-title", className="h4 mt-4"),
                html.P(
                    [
                        html.Span(
                            t.plural("{count} figure.", "{count} figures.", count).format(
                                count=format_number(count, lang)
                            ),
                            **{ANNOUNCE: "count"},
                        ),
                        " ",
                        t("One row per figure and source, never added up. Select a column heading to sort."),
                    ],
                    className="small text-body-secondary",
                ),
                explorer_table(
                    frame,
                    lang,
                    t,
                    t("Published figures for the chosen indicators, countries and years"),
                    sort,
                    lambda column: sort_url(values, lang, column),
                    ids.EXPLORER_TABLE,
                ),
            ],
            **{"aria-labelledby": "explorer-table-title"},
        ),
    ]


def _content(ctx: PageContext) -> list:
    t, values = ctx.t, ctx.values
    frame = explorer_frame(values, ctx.lang)
    head = [
        *intro_header(paths.INDICATORS, t),
        _controls(ctx),
        _missing(ctx, frame),
    ]
    if frame.empty:
        return head + [
            dbc.Alert(
                html.Span(
                    t(
                        "No figures were published for this choice. Try other years, countries or a breakdown."
                    ),
                    **{ANNOUNCE: "count"},
                ),
                color="light",
                className="no-data",
            )
        ]
    return head + _figures(ctx, frame)


def _missing(ctx: PageContext, frame: pd.DataFrame) -> html.Div | None:
    """A notice for every chosen indicator, place and year without a figure."""
    t, values = ctx.t, ctx.values
    missing = missing_combinations(
        frame,
        as_tuple(values["indicators"]),
        as_tuple(values["countries"]),
        [int(y) for y in as_tuple(values["years"])],
    )
    if not missing:
        return None
    indicators = catalog.indicator_definitions(ctx.lang)
    places = data.country_options(ctx.lang)
    place_names = {PROGRAMME: t("Programme-wide"), **dict(zip(places.iso3, places.name, strict=True))}
    sentences = missing_sentences(
        missing, dict(zip(indicators.code, indicators.name, strict=True)), place_names, t
    )
    alert = dbc.Alert(
        [
            html.Strong(t("Not every choice has a figure:")),
            html.Ul([html.Li(s) for s in sentences], className="mb-0"),
        ],
        color="info",
        className="explorer-missing small",
    )
    return html.Div(alert, id=ids.EXPLORER_MISSING, role="status")


def _for_shell(ctx: PageContext) -> PageContext:
    """The view as the explorer's links write it, so the shell's language links and
    view state carry the same short query: no default chart, and no single `year`
    (the explorer's own `years` control replaces the navbar's year filter)."""
    return replace(ctx, view=replace(ctx.view, year=None, values=canonical(ctx.values)))


@identity.register(paths.INDICATORS)
def view_context(query: Mapping[str, object]) -> PageContext:
    """The validated view of the explorer (pages/identity.py keys links by it)."""
    return resolve(query, explorer_params(), cutoff=True)


@guarded
def layout(**query) -> html.Div:
    """The explorer for the view in the query string."""
    ctx = view_context(query)
    if ctx.year is None or not ctx.values["indicators"]:
        return shell(ctx, "indicators", None, no_data(ctx))
    content = reused(ctx, "indicators", None, lambda: [html.Div(_content(ctx), className="explorer-page")])
    return shell(
        _for_shell(ctx),
        "indicators",
        None,
        content,
        controls=nav_controls(ctx.values),
        defaults=NAV_DEFAULTS,
        pinned=explorer_pinned(ctx.values, ctx.years, ctx.lang),
    )
