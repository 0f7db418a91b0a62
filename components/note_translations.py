"""The Data page's list of source notes that have no French text yet.

French pages show such a note in English (marked lang="en"); this list tells the
programme team which ones to translate (`note_fr`, or source_note_fr in an
import file)."""

from __future__ import annotations

import pandas as pd
from dash import html

from components.formatting import format_number
from components.i18n import Translator

TABLE_ID = "notes-without-french"


def missing_french_notes(frame: pd.DataFrame, lang: str, t: Translator) -> list:
    """A count and a table of the notes without French text, or one line saying none is missing."""
    if frame.empty:
        return [html.P(t("Every source note has its French text."), id=TABLE_ID)]
    count = len(frame)
    intro = t.plural(
        "{count} source note has no French text yet: French pages show it in English.",
        "{count} source notes have no French text yet: French pages show them in English.",
        count,
    ).format(count=format_number(count, lang))
    rows = [
        html.Tr(
            [
                html.Th(_title(row), scope="row", className="fw-normal text-break"),
                html.Td(row.note, lang="en", className="small"),
                html.Td(format_number(row.results, lang), className="text-end"),
            ]
        )
        for row in frame.itertuples()
    ]
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("Source"), scope="col"),
                html.Th(t("Note (English)"), scope="col"),
                html.Th(t("Figures"), scope="col", className="text-end"),
            ]
        )
    )
    table = html.Table(
        [html.Caption(t("Source notes without French text")), head, html.Tbody(rows)],
        className="table table-sm align-top",
        id=TABLE_ID,
    )
    return [html.P(intro), html.Div(table, className="table-responsive")]


def _title(row) -> html.A | html.Span:
    if isinstance(row.url, str) and row.url.strip():
        return html.A(row.title, href=row.url, target="_blank", rel="noopener noreferrer")
    return html.Span(row.title)
