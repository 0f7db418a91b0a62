"""Accessible HTML tables of figures, each row with its qualifier, period and source."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html

from components.data_text import foreign_attributes
from components.formatting import format_figure, format_number, format_period, qualifier_label
from components.html_block import HtmlBlock, markup, text_html
from components.labels import BREAKDOWN_VALUES, BREAKDOWNS, label
from components.sources import source_html
from components.suppression import marked_for_staff, suppressed_mark_html
from components.visibility import internal_badge_html, is_internal

STACK_TABLE = "stack-table"  # a table whose rows stack into labelled cards on a phone


def breakdown_label(row, t: Callable[[str], str]) -> str:
    """The breakdown written out ("Sex: female"), or "Total" for the whole figure."""
    if not row.breakdown_dim:
        return t("Total")
    value = (
        t(BREAKDOWN_VALUES[row.breakdown_value])
        if row.breakdown_value in BREAKDOWN_VALUES
        else row.breakdown_value
    )
    return t("{dimension}: {value}").format(dimension=label(BREAKDOWNS, row.breakdown_dim, t), value=value)


def results_table(
    frame: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    caption: str,
    show_country: bool = False,
    table_id: str | None = None,
) -> HtmlBlock:
    """Indicator | Figure | Qualifier | Period | Breakdown | Source, one row per published
    figure; the Breakdown column only when some row is a breakdown (not on a table of totals).

    Written directly as HTML (one HtmlBlock, components/html_block.py): a country
    page's table is most of its markup, and building hundreds of cells as Dash
    components, then turning them into HTML, was most of a cold page's time."""
    with_breakdown = bool((frame.breakdown_dim != "").any())
    headers = [t("Indicator")]
    if show_country:
        headers.append(t("Country"))
    headers += [t("Figure"), t("Qualifier"), t("Period")]
    headers += [t("Breakdown"), t("Source")] if with_breakdown else [t("Source")]
    head = markup("tr", {}, "".join(markup("th", {"scope": "col"}, text_html(h)) for h in headers))
    sources: dict[tuple, str] = {}  # each distinct source's block, written once
    rows = "".join(
        _row_html(row, lang, t, headers, show_country, with_breakdown, sources) for row in frame.itertuples()
    )
    table = markup(
        "table",
        # stack-table: on a phone each row becomes a card of labelled lines (assets/compass.css).
        {"className": f"table table-sm align-top results-table {STACK_TABLE}", "id": table_id},
        markup("caption", {}, text_html(caption)) + markup("thead", {}, head) + markup("tbody", {}, rows),
    )
    return HtmlBlock(tag="div", attributes={"className": "table-responsive"}, html=table)


def _cell(header: str, content: str, class_name: str | None = None) -> str:
    """A data cell labelled with its column, the label a phone shows before it."""
    return markup("td", {"className": class_name, "data-label": header}, content)


def _row_html(
    row,
    lang: str,
    t,
    headers: list[str],
    show_country: bool,
    with_breakdown: bool,
    sources: dict[tuple, str],
) -> str:
    labels = iter(headers[1:])  # the row's th is the indicator
    head = {"scope": "row", "title": row.definition or None} | foreign_attributes(
        row.indicator_name_lang, lang
    )
    cells = [markup("th", head, text_html(row.indicator_name))]
    if show_country:
        cells.append(_cell(next(labels), text_html(row.country_name or t("Programme-wide"))))
    cells += [
        _cell(
            next(labels),
            text_html(format_figure(row.value, row.qualifier, row.unit, lang))
            + (suppressed_mark_html(lang) if marked_for_staff(row) else "")
            + (internal_badge_html(t) if is_internal(row) else ""),
            "text-nowrap",
        ),
        _cell(next(labels), text_html(qualifier_label(row.qualifier, lang))),
        _cell(next(labels), text_html(format_period(row.period_start, row.period_end)), "text-nowrap"),
    ]
    if with_breakdown:
        cells.append(_cell(next(labels), text_html(breakdown_label(row, t))))
    cells.append(_cell(next(labels), _source_html(row, lang, t, sources), "source"))
    attributes = {"data-indicator": row.indicator_code, "data-value": f"{row.value:g}"}
    return markup("tr", attributes, "".join(cells))


def _source_html(row, lang: str, t: Callable[[str], str], known: dict[tuple, str]) -> str:
    """The row's source (title, quote or note) as HTML, written once per distinct source."""
    key = (row.source_title, row.source_url, row.source_quote, row.source_note, row.source_language)
    key += (row.source_note_lang, row.source_title_lang)
    if key not in known:
        known[key] = source_html(
            *key[:4],
            t,
            quote_lang=row.source_language,
            note_lang=row.source_note_lang,
            title_lang=row.source_title_lang,
            page_lang=lang,
        )
    return known[key]


def coverage_table(
    coverage: pd.DataFrame, lang: str, t: Callable[[str], str], country_href: Callable[[str], str]
) -> html.Div:
    """The map's numbers as a table (the map's text alternative), countries linked."""
    published = bool((coverage.figures + coverage.activities).any()) if not coverage.empty else False
    caption = (
        t("What each country published")
        if published
        else t("What each country published: nothing for any country yet")
    )
    rows = []
    for row in coverage.itertuples():
        empty = row.figures + row.activities == 0
        cells = [
            html.Th(dcc.Link(row.name, href=country_href(row.iso3)), scope="row"),
            html.Td(format_number(row.figures, lang), className="text-end"),
            html.Td(format_number(row.activities, lang), className="text-end"),
            html.Td(format_number(row.partners, lang), className="text-end"),
        ]
        rows.append(html.Tr(cells, className="text-body-secondary" if empty else None))
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(
                html.Tr(
                    [html.Th(t("Country"), scope="col")]
                    + [
                        html.Th(h, scope="col", className="text-end")
                        for h in (t("Figures"), t("Activities"), t("Partners"))
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table table-sm coverage-table",
        id="coverage-table",
    )
    return html.Div(table, className="table-responsive")
