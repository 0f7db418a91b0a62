"""Data texts (activity descriptions, source titles and notes, definitions,
partner names) shown in a page of another language: a text that falls back to
English (or French) on an Arabic page is marked with its `lang` and `dir`, so
screen readers pronounce it right and the browser lays it out left to right
inside the right-to-left page. The queries say which language each text is in
(the `<column>_lang` columns of data_access.queries)."""

from __future__ import annotations

from dash import html

from components.i18n import text_direction
from config import RTL_LANGUAGES

UNDETERMINED = "und"  # an imported source's language: not stated


def foreign_attributes(text_lang: str | None, page_lang: str | None) -> dict[str, str]:
    """`lang` and `dir` of a text whose language is not the page's; {} when it is
    (or unknown). An undetermined language gets `dir="auto"` only: the browser
    then sets the direction from the text's first strong letter."""
    if not text_lang or not page_lang or text_lang == page_lang:
        return {}
    if text_lang == UNDETERMINED:
        return {"dir": "auto"}
    return {"lang": text_lang, "dir": text_direction(text_lang)}


def data_text(text: str, text_lang: str | None, page_lang: str, element=html.Span, **props):
    """`text` in `element`, marked with its language and direction where it is
    not the page's language."""
    return element(text, **foreign_attributes(text_lang, page_lang), **props)


def proper_name(name: str, page_lang: str, **props) -> html.Span:
    """An organisation's name (often Latin letters, an acronym in brackets): on a
    right-to-left page its direction comes from its own letters (`dir="auto"`),
    so "Médecins du Monde (MdM)" keeps its bracket where it belongs."""
    if page_lang in RTL_LANGUAGES:
        props["dir"] = "auto"
    return html.Span(name, **props)
