"""KPI cards: a headline figure with its qualifier written out, period and source.

Where sources disagree the card shows every figure with its own source and says
so; where they state the same figure differently (1,013 and "about 1,000") it
shows the most precise one and the others beside it. Headline indicators with
nothing published share one line under the cards, never a 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.data_text import foreign_attributes
from components.formatting import format_figure, period_label
from components.i18n import LIST_COMMA, Translator
from components.sources import source_block, sources_badge
from components.suppression import marked_for_staff, suppressed_note
from components.visibility import internal_badge, is_internal
from model.figures import document_of, is_cumulative, sources_differ
from model.kpi import Figure, Kpi

NOT_PUBLISHED = "kpis-not-published"
CUMULATIVE_CARDS = "cumulative-cards"
# Most precise first: an exact figure, then a rounding, then a bound.
_PRECISION = {"exact": 0, "approx": 1, "more_than": 2, "up_to": 2}


def _source_item(f: Figure, unit: str, lang: str, t: Callable[[str], str]) -> html.Li:
    figure = format_figure(f.value, f.qualifier, unit, lang)
    period = period_label(f.period_start, f.period_end, lang, t)
    return html.Li(
        [
            html.Span(f"{figure} \u00b7 {period} \u00b7 ", className="text-body-secondary"),
            internal_badge(t) if f.internal else None,
            source_block(
                f.source_title,
                f.source_url,
                f.source_quote,
                f.source_note,
                t,
                quote_lang=f.source_language,
                note_lang=f.source_note_lang,
                title_lang=f.source_title_lang,
                page_lang=lang,
            ),
        ]
    )


def kpi_card(kpi: Kpi, year: int, lang: str, t: Callable[[str], str]) -> dbc.Col:
    """One card: the year's figure(s), cumulative figures ending that year, sources."""
    body: list = [
        html.H3(
            kpi.name,
            className="h6 card-title text-body-secondary mb-2",
            title=kpi.definition or None,
            **foreign_attributes(kpi.name_lang, lang),
        )
    ]
    if kpi.figures:
        stated = [(f.value, f.qualifier, document_of(f.source_url, f.source_title)) for f in kpi.figures]
        body += _values(stated, kpi.unit, lang, t)
        if any(marked_for_staff(f) for f in kpi.figures):
            body.append(suppressed_note(lang))
        for f in kpi.cumulative:
            body.append(
                html.P(
                    t("{period}: {figure}").format(
                        period=period_label(f.period_start, f.period_end, lang, t),
                        figure=format_figure(f.value, f.qualifier, kpi.unit, lang),
                    ),
                    className="small mb-1 kpi-cumulative",
                )
            )
    else:
        # Only figures over several years: each as large as a figure, its span above it.
        for f in kpi.cumulative:
            body += [
                html.P(
                    period_label(f.period_start, f.period_end, lang, t), className="small mb-0 kpi-cumulative"
                ),
                html.P(format_figure(f.value, f.qualifier, kpi.unit, lang), className="kpi-value mb-1"),
            ]
    every = kpi.figures + kpi.cumulative
    if any(f.internal for f in every):  # staff only: the public reads no internal figure
        body.append(html.P(internal_badge(t), className="mb-1"))
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
    return _col(body)


def _col(body: list) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody(body), className="kpi-card h-100"))


def kpi_grid(kpis: Sequence[Kpi], year: int, lang: str, t: Translator) -> html.Div:
    """The cards in a responsive grid (1 column on phones, up to 4 on wide
    screens) for the indicators with a figure, and one line naming the others."""
    shown = [k for k in kpis if k.figures or k.cumulative]
    missing = [k.name for k in kpis if not (k.figures or k.cumulative)]
    children: list = []
    if shown:
        children.append(
            dbc.Row(
                [kpi_card(k, year, lang, t) for k in shown],
                className="row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 kpi-grid",
            )
        )
    if missing:
        children.append(not_published_line(missing, year, t))
    return html.Div(children)


def not_published_line(names: Sequence[str], year: int, t: Translator) -> html.P:
    """'Not published for 2024: A, B, C': indicators with no figure that year, in one line."""
    text = t.plural("Not published for {year}: {names}", "Not published for {year}: {names}", len(names))
    return html.P(
        text.format(year=year, names=t(LIST_COMMA).join(names)),
        className="small text-body-secondary mt-3 mb-0 kpi-not-published",
        id=NOT_PUBLISHED,
    )


def _values(stated: Sequence[tuple[float, str, str]], unit: str, lang: str, t: Callable[[str], str]) -> list:
    """The figures of one card, from (value, qualifier, source document) triples:
    every distinct one large, and a badge, when the sources differ; else the
    most precise one large and the others as 'also stated as ...'."""
    values = list(dict.fromkeys((v, q) for v, q, _ in stated))
    if sources_differ(stated):
        shown = [html.P(format_figure(v, q, unit, lang), className="kpi-value mb-1") for v, q in values]
        return [*shown, html.Div(sources_badge(t))]
    first, *others = sorted(values, key=lambda vq: _PRECISION.get(vq[1], 3))
    shown = [html.P(format_figure(*first, unit, lang), className="kpi-value mb-1")]
    if others:
        also = t(LIST_COMMA).join(format_figure(v, q, unit, lang) for v, q in others)
        shown.append(
            html.P(t("also stated as {figures}").format(figures=also), className="small mb-1 kpi-also")
        )
    return shown


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


def figure_card_rows(results: pd.DataFrame, lang: str, t: Translator, extra: Sequence[dbc.Col] = ()) -> list:
    """The cards of a country-year: the year's own figures (and `extra` cards),
    then, under their own heading, figures over several years, which are never
    comparable with a single year's."""
    span = pd.Series(
        [is_cumulative(s, e) for s, e in zip(results.period_start, results.period_end, strict=True)],
        index=results.index,
        dtype=bool,
    )
    annual, spans = results[~span], results[span]
    rows: list = []
    cards = figure_cards(annual, lang, t) + list(extra)
    if cards:
        rows.append(dbc.Row(cards, className="row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 kpi-grid"))
    if not spans.empty:
        rows.append(
            html.Div(
                [
                    html.H3(t("Cumulative figures, over several years"), className="h6 mt-4 mb-2"),
                    dbc.Row(
                        figure_cards(spans, lang, t),
                        className="row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 kpi-grid kpi-grid-cumulative",
                    ),
                ],
                id=CUMULATIVE_CARDS,
            )
        )
    return rows


def _figure_card(rows: list, lang: str, t: Callable[[str], str]) -> dbc.Col:
    first = rows[0]
    stated = [(row.value, row.qualifier, document_of(row.source_url, row.source_title)) for row in rows]
    body = [
        html.H3(
            first.indicator_name,
            className="h6 card-title text-body-secondary mb-2",
            title=first.definition or None,
            **foreign_attributes(first.indicator_name_lang, lang),
        )
    ]
    body += _values(stated, first.unit, lang, t)
    if any(marked_for_staff(row) for row in rows):
        body.append(suppressed_note(lang))
    if any(is_internal(row) for row in rows):  # staff only: the public reads no internal row
        body.append(html.P(internal_badge(t), className="mb-1"))
    note = period_label(first.period_start, first.period_end, lang, t)
    if len(rows) > 1:
        note += " \u00b7 " + t("{count} sources").format(count=len(rows))
    body.append(html.P(note, className="small text-body-secondary mb-0"))
    return _col(body)
