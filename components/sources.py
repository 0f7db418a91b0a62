"""How a figure's source is shown: a link when there is a URL, the quote when we have it."""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc

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
) -> HtmlBlock:
    """Source title (linked when it has a URL), with its quote or note folded below."""
    return HtmlBlock(
        "div", {"className": "source"}, source_html(title, url, quote, note, t, quote_lang, note_lang)
    )


def row_source_block(row, t: Callable[[str], str]) -> HtmlBlock:
    """`source_block` of a query row with the usual source columns (source_title,
    source_url, source_quote, source_note, source_language, source_note_lang)."""
    return source_block(
        row.source_title,
        row.source_url,
        row.source_quote,
        row.source_note,
        t,
        quote_lang=row.source_language,
        note_lang=row.source_note_lang,
    )


def source_html(
    title: str,
    url: str | None,
    quote: str | None,
    note: str | None,
    t: Callable[[str], str],
    quote_lang: str = "fr",
    note_lang: str = "en",
) -> str:
    """The pieces of a source block as HTML, for a container of the caller's (a table cell).
    `note_lang` is the language the note is written in: a French page shows an English
    note (no French text yet) marked as English, so screen readers pronounce it right."""
    if _present(url):
        head = markup("a", {"href": url, "rel": "noopener noreferrer", "target": "_blank"}, text_html(title))
    else:
        head = markup("span", {}, text_html(title))
    if _present(quote):
        inner = markup("summary", {}, text_html(t("Source quote"))) + markup(
            "blockquote", {"className": "source-quote", "lang": quote_lang}, text_html(quote)
        )
        return head + markup("details", {"className": "small"}, inner)
    if _present(note):
        # Notes are our paraphrases of where the figure stands in the source.
        attributes = {"className": "small text-body-secondary source-note", "lang": note_lang}
        return head + markup("div", attributes, text_html(note))
    return head


def sources_badge(t: Callable[[str], str]) -> dbc.Badge:
    """The 'Sources differ' warning of a figure whose sources state values that
    cannot all be true (model.figures.figures_disagree decides)."""
    return dbc.Badge(t("Sources differ"), color="warning", text_color="dark", className="ms-1")
