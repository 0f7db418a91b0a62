"""How a figure's source is shown: a link when there is a URL, the quote when we have it.

Titles, quotes and notes are data texts: where `page_lang` is given, one in
another language is marked with its `lang` and `dir` (components.data_text),
as an English note on an Arabic page must be."""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc

from components.data_text import foreign_attributes
from components.html_block import HtmlBlock, markup, text_html


def _present(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def source_block(
    title: str,
    url: str | None,
    quote: str | None,
    note: str | None,
    t: Callable[[str], str],
    quote_lang: str = "fr",
    note_lang: str = "en",
    title_lang: str | None = None,
    page_lang: str | None = None,
) -> HtmlBlock:
    """Source title (linked when it has a URL), with its quote or note folded below."""
    return HtmlBlock(
        "div",
        {"className": "source"},
        source_html(title, url, quote, note, t, quote_lang, note_lang, title_lang, page_lang),
    )


def row_source_block(row, t: Callable[[str], str], page_lang: str | None = None) -> HtmlBlock:
    """`source_block` of a query row with the usual source columns (source_title,
    source_url, source_quote, source_note, source_language, source_note_lang,
    source_title_lang)."""
    return source_block(
        row.source_title,
        row.source_url,
        row.source_quote,
        row.source_note,
        t,
        quote_lang=row.source_language,
        note_lang=row.source_note_lang,
        title_lang=row.source_title_lang,
        page_lang=page_lang,
    )


def source_html(
    title: str,
    url: str | None,
    quote: str | None,
    note: str | None,
    t: Callable[[str], str],
    quote_lang: str = "fr",
    note_lang: str = "en",
    title_lang: str | None = None,
    page_lang: str | None = None,
) -> str:
    """The pieces of a source block as HTML, for a container of the caller's (a table cell).
    `note_lang` is the language the note is written in: a French page shows an English
    note (no French text yet) marked as English, so screen readers pronounce it right;
    with `page_lang`, a title, quote or note in another language also gets its `dir`."""
    title_marks = foreign_attributes(title_lang, page_lang)
    if _present(url):
        link = {"href": url, "rel": "noopener noreferrer", "target": "_blank"}
        head = markup("a", link | title_marks, text_html(title))
    else:
        head = markup("span", title_marks, text_html(title))
    if _present(quote):
        quote_marks = {"lang": quote_lang} | foreign_attributes(quote_lang, page_lang)
        inner = markup("summary", {}, text_html(t("Source quote"))) + markup(
            "blockquote", {"className": "source-quote"} | quote_marks, text_html(quote)
        )
        return head + markup("details", {"className": "small"}, inner)
    if _present(note):
        # Notes are our paraphrases of where the figure stands in the source.
        note_marks = {"lang": note_lang} | foreign_attributes(note_lang, page_lang)
        attributes = {"className": "small text-body-secondary source-note"} | note_marks
        return head + markup("div", attributes, text_html(note))
    return head


def sources_badge(t: Callable[[str], str]) -> dbc.Badge:
    """The 'Sources differ' warning of a figure whose sources state values that
    cannot all be true (model.figures.figures_disagree decides)."""
    return dbc.Badge(t("Sources differ"), color="warning", text_color="dark", className="ms-1")
