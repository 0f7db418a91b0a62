"""Source notes in the page's language: French text on French pages, the English
note marked lang="en" where no French text exists, and the Data page's list of
the notes still to translate."""

from __future__ import annotations

import csv
import importlib

import pytest
from sqlalchemy import update

from components.html_block import HtmlBlock
from config import REFERENCE_DIR
from data_access import schema as s
from data_access.version import bump_version
from tests.helpers import by_id, make_app, parse_html, text_of, walk

UNTRANSLATED = "Stranded Nigerians flown home from Niger on 6 Feb 2024 COMPASS charter."


def _french_notes() -> dict[str, str]:
    with (REFERENCE_DIR / "source_notes_fr.tsv").open(encoding="utf-8", newline="") as handle:
        return {r["evidence"]: r["note_fr"] for r in csv.DictReader(handle, delimiter="\t")}


def _layout(page: str, **query):
    return importlib.import_module(f"pages.{page}").layout(**query)


def _notes(tree) -> list[tuple[str | None, str]]:
    """(lang, text) of every source note shown in a layout tree."""
    found = []
    for node in walk(tree):
        if isinstance(node, HtmlBlock):
            for element in parse_html(node.html).iter("div"):
                if "source-note" in (element.attrs.get("class") or "").split():
                    found.append((element.attrs.get("lang"), element.text().strip()))
    return found


@pytest.mark.parametrize(("lang", "iso3"), [("fr", "NGA"), ("fr", "MLI"), ("en", "NGA")])
def test_country_page_shows_notes_in_its_language(sqlite_context, lang, iso3):
    year = "2024" if iso3 == "NGA" else "2022"
    notes = _notes(_layout("country", iso3=iso3, year=year, lang=lang))
    assert notes, "the page shows no source note"
    french = _french_notes()
    if lang == "fr":
        assert {n_lang for n_lang, _ in notes} == {"fr"}
        assert {text for _, text in notes} <= set(french.values())
    else:
        assert {n_lang for n_lang, _ in notes} == {"en"}
        assert {text for _, text in notes} <= set(french)


@pytest.fixture
def one_untranslated(writable_sqlite):
    """An app on a database where one note has lost its French text."""
    with writable_sqlite.begin() as conn:
        changed = conn.execute(
            update(s.sources).where(s.sources.c.note == UNTRANSLATED).values(note_fr=None)
        ).rowcount
        bump_version(conn)
    assert changed == 1
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        yield app


def test_a_note_without_french_text_shows_in_english_marked_en(one_untranslated):
    notes = _notes(_layout("country", iso3="NGA", year="2024", lang="fr"))
    assert ("en", UNTRANSLATED) in notes
    others = [n for n in notes if n[1] != UNTRANSLATED]
    assert others and all(n_lang == "fr" for n_lang, _ in others)


def test_data_page_lists_the_notes_without_french_text(one_untranslated):
    section = by_id(_layout("data", lang="fr"), "notes-fr")
    text = text_of(section)
    assert "1 note de source n\u2019a pas encore de texte en fran\u00e7ais" in text
    assert UNTRANSLATED in text
    cells = [n for n in walk(section) if getattr(n, "lang", None) == "en"]
    assert [c.children for c in cells] == [UNTRANSLATED]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Every source note has its French text."), ("fr", "Chaque note de source a son texte en fran")],
)
def test_data_page_says_when_every_note_is_translated(sqlite_context, lang, words):
    section = by_id(_layout("data", lang=lang), "notes-fr")
    assert words in text_of(section)
    assert not [n for n in walk(section) if getattr(n, "lang", None) == "en"]


def test_explorer_table_shows_french_notes_on_french_pages(sqlite_context):
    tree = _layout("indicators", indicators="migrants_return_assistance", lang="fr")
    notes = _notes(tree)
    assert notes and {n_lang for n_lang, _ in notes} == {"fr"}
    assert {text for _, text in notes} <= set(_french_notes().values())


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Cumulative to February 2024"), ("fr", "Cumul à fin février 2024")]
)
def test_a_running_total_is_labelled_cumulative_to_its_date(sqlite_context, lang, label):
    """Nigeria's 1,013 returns "as of Feb 2024" (data/reference/figure_periods.tsv) are
    not shown as a figure for the year 2024."""
    text = " ".join(text_of(_layout("country", iso3="NGA", year="2024", lang=lang)).split())
    assert label.casefold() in text.casefold()


def _quotes(tree) -> list[tuple[str | None, str]]:
    """(lang, text) of every source quote shown in a layout tree."""
    found = []
    for node in walk(tree):
        if isinstance(node, HtmlBlock):
            for element in parse_html(node.html).iter("blockquote"):
                found.append((element.attrs.get("lang"), " ".join(element.text().split())))
    return found


@pytest.fixture
def english_quotes(writable_sqlite):
    """An app on a database whose quoted sources are all English articles (an import's)."""
    with writable_sqlite.begin() as conn:
        changed = conn.execute(
            update(s.sources).where(s.sources.c.quote.is_not(None)).values(language="en")
        ).rowcount
        bump_version(conn)
    assert changed > 0
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        yield app


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_quote_is_marked_with_its_sources_language(english_quotes, lang):
    """The headline cards' quotes included (they were marked French whatever the source)."""
    tree = _layout("overview", year="2022", lang=lang)
    kpi_quotes = _quotes(by_id(tree, "kpis"))
    assert kpi_quotes
    assert {quote_lang for quote_lang, _ in _quotes(tree)} == {"en"}
