"""KPI cards: a headline figure with its qualifier written out, period and source.

Where sources disagree the card shows every figure with its own source; where
nothing was published it says so, never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.formatting import format_figure, format_period
from components.sources import source_block, sources_badge
from model.kpi import Figure, Kpi


def _source_item(f: Figure, unit: str, lang: str, t: Callable[[str], str]) -> html.Li:
    figure = format_figure(f.value, f.qualifier, unit, lang)
    period = format_period(f.period_start, f.period_end)
    return html.Li(
        [
            html.Span(f"{figure} \u00b7 {period} \u00b7 ", className="text-body-secondary"),
            source_block(
                f.source_title, f.source_url, f.source_quote, f.source_note, t, note_lang=f.source_note_lang
            ),
        ]
    )


def kpi_card(kpi: Kpi, year: int, lang: str, t: Callable[[str], str]) -> dbc.Col:
    """One card: the year's figure(s), cumulative figures ending that year, sources."""
    body: list = [
        html.H3(kpi.name, className="h6 card-title text-body-secondary mb-2", title=kpi.definition or None)
    ]
    if kpi.figures:
        body += [
            html.P(format_figure(value, qualifier, kpi.unit, lang), className="kpi-value mb-1")
            for value, qualifier in kpi.distinct_values
        ]
        badge = sources_badge(len(kpi.distinct_values), t)
        if badge:
            body.append(html.Div(badge))
    else:
        body.append(html.P(t("Not published for {year}").format(year=year), className="kpi-missing mb-1"))
    for f in kpi.cumulative:
        body.append(
            html.P(
                t("Cumulative {period}: {figure}").format(
                    period=format_period(f.period_start, f.period_end),
                    figure=format_figure(f.value, f.qualifier, kpi.unit, lang),
                ),
                className="small mb-1 kpi-cumulative",
            )
        )
    every = kpi.figures + kpi.cumulative
    if every:
        body.append(
            html.Details(
                [
                    html.Summary(t("Sources ({count})").format(count=len(every))),
                    html.Ul([_source_item(f, kpi.unit, lang, t) for f in every], className="kpi-sources"),
                ],
                className="small mt-1",
            )
        )
    return _col(body, missing=not kpi.figures)


def _col(body: list, missing: bool = False) -> dbc.Col:
    card = dbc.Card(dbc.CardBody(body), className="kpi-card h-100" + (" kpi-card-missing" if missing else ""))
    return dbc.Col(card)


def kpi_grid(kpis: Sequence[Kpi], year: int, lang: str, t: Callable[[str], str]) -> dbc.Row:
    """The cards in a responsive grid: 1 column on phones, up to 4 on wide screens."""
    return dbc.Row(
        [kpi_card(k, year, lang, t) for k in kpis],
        className="row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 kpi-grid",
    )


def count_card(label: str, value: str, note: str | None = None) -> dbc.Col:
    """A small card for a count (partners, activities) on the country page."""
    body = [
        html.H3(label, className="h6 card-title text-body-secondary mb-2"),
        html.P(value, className="kpi-value mb-0"),
    ]
    if note:
        body.append(html.P(note, className="small text-body-secondary mb-0"))
    return dbc.Col(dbc.Card(dbc.CardBody(body), className="kpi-card h-100"))


def figure_cards(results: pd.DataFrame, lang: str, t: Callable[[str], str]) -> list[dbc.Col]:
    """One card per indicator and period: every distinct published figure, the
    number of sources, and a warning when they disagree (totals only).

    Grouped over plain rows: a pandas groupby and row lookups cost more than the
    cards themselves on a cold country page."""
    groups: dict[tuple, list] = {}
    for row in results.itertuples(index=False):
        if row.breakdown_dim == "":
            groups.setdefault((row.indicator_code, row.period_start, row.period_end), []).append(row)
    return [_figure_card(rows, lang, t) for rows in groups.values()]


def _figure_card(rows: list, lang: str, t: Callable[[str], str]) -> dbc.Col:
    first = rows[0]
    values = list(dict.fromkeys((row.value, row.qualifier) for row in rows))
    body = [
        html.H3(
            first.indicator_name,
            className="h6 card-title text-body-secondary mb-2",
            title=first.definition or None,
        )
    ]
    body += [html.P(format_figure(v, q, first.unit, lang), className="kpi-value mb-1") for v, q in values]
    badge = sources_badge(len(values), t)
    if badge:
        body.append(html.Div(badge))
    note = format_period(first.period_start, first.period_end)
    if len(rows) > 1:
        note += " \u00b7 " + t("{count} sources").format(count=len(rows))
    body.append(html.P(note, className="small text-body-secondary mb-0"))
    return _col(body)
