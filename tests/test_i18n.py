"""Translations and locale formatting, without a browser or a database.

The French catalog must translate every UI string marked in components/ and
pages/ (see translations/README.md for the extract/update commands), keep
every placeholder, and the formatting helpers must write figures the way each
language reads them.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from components.formatting import format_figure, format_number, format_period, format_value, qualifier_label
from components.i18n import get_translator
from config import ROOT, TRANSLATIONS_DIR
from tests.helpers import NBSP, NNBSP

# The keywords of the extract command in translations/README.md (--no-default-keywords -k t -k N_ -k _).
KEYWORDS = {"t": None, "N_": None, "_": None}
FRENCH_PO = TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po"
TEMPLATE = TRANSLATIONS_DIR / "messages.pot"

# "{year}", "{count}"... (str.format fields), but not the "{...}" of a Plotly "%{customdata[1]}".
BRACE_FIELD = re.compile(r"(?<!%)\{[^{}]*\}")
PLOTLY_FIELD = re.compile(r"%\{[^{}]*\}")


def extracted_msgids() -> dict[str, str]:
    """msgid -> 'file:line' of every UI string marked in components/ and pages/, as pybabel finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgids = message if isinstance(message, tuple) else (message,)
        for msgid in msgids:
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def read_catalog(path):
    with path.open("rb") as handle:
        return read_po(handle, locale="fr" if path.suffix == ".po" else None)


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    found = extracted_msgids()
    assert found, "no UI strings extracted: is babel.cfg still pointing at components/, pages/ and web/?"
    return found


@pytest.fixture(scope="module")
def french():
    assert FRENCH_PO.exists(), f"{FRENCH_PO} is missing"
    return read_catalog(FRENCH_PO)


def french_pairs(french) -> list[tuple[str, str]]:
    return [(m.id, m.string) for m in french if m.id and isinstance(m.id, str) and m.string]


# --- catalog completeness and placeholders ------------------------------------------------------------


def test_babel_cfg_extracts_components_pages_and_web(msgids):
    where = {Path(location.rsplit(":", 1)[0]).parts[0] for location in msgids.values()}
    assert where == {"components", "pages", "web"}, where


def test_every_ui_string_has_a_french_translation(msgids, french):
    missing = []
    for msgid, location in sorted(msgids.items()):
        message = french.get(msgid)
        if message is None or not message.string or message.fuzzy:
            state = "absent" if message is None else "fuzzy" if message.fuzzy else "empty"
            missing.append(f"  {msgid!r} ({location}, {state})")
    assert not missing, (
        f"{len(missing)} UI string(s) without a French translation in {FRENCH_PO.relative_to(ROOT)}; "
        "re-extract, update and translate (translations/README.md):\n" + "\n".join(missing)
    )


def test_template_lists_the_extracted_strings(msgids):
    template = {m.id for m in read_catalog(TEMPLATE) if m.id}
    assert set(msgids) == template, (
        "translations/messages.pot is stale; re-extract (translations/README.md). "
        f"Not in the .pot: {sorted(set(msgids) - template)}; no longer in the code: {sorted(template - set(msgids))}"
    )


def test_french_catalog_header(french):
    assert str(french.locale) == "fr"
    assert not french.fuzzy
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"


def test_no_fuzzy_entries(french):
    fuzzy = [m.id for m in french if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries in the French catalog: {fuzzy}"


def test_translations_keep_every_placeholder(french):
    wrong = []
    for msgid, msgstr in french_pairs(french):
        for pattern in (BRACE_FIELD, PLOTLY_FIELD):
            expected, got = Counter(pattern.findall(msgid)), Counter(pattern.findall(msgstr))
            if expected != got:
                wrong.append(
                    f"  {msgid!r} -> {msgstr!r}: {sorted(expected.elements())} vs {sorted(got.elements())}"
                )
    assert not wrong, "placeholders changed in translation:\n" + "\n".join(wrong)


def test_placeholder_check_catches_a_lost_placeholder():
    assert Counter(BRACE_FIELD.findall("more than {value}")) != Counter(
        BRACE_FIELD.findall("plus de {valeur}")
    )
    assert BRACE_FIELD.findall("Sources: %{customdata[1]} in {year}") == ["{year}"]
    assert PLOTLY_FIELD.findall("Sources: %{customdata[1]} in {year}") == ["%{customdata[1]}"]


def test_french_typography(french):
    """No breakable space before ; : ? ! % (a Plotly "%{...}" aside) or inside « », no English quotes."""
    wrong = []
    for msgid, msgstr in french_pairs(french):
        if re.search(r" (?:[;:?!»]|%(?!\{))|« |[“”\"]", msgstr):
            wrong.append(f"  {msgid!r} -> {msgstr!r}")
    assert not wrong, f"use a no-break space ({NBSP!r}/{NNBSP!r}) and « » in French:\n" + "\n".join(wrong)


# --- translator ---------------------------------------------------------------------------------------


def test_french_translator_translates():
    t = get_translator("fr")
    assert t("Overview") == "Vue d\u2019ensemble"
    assert t("Middle East and North Africa") == "Moyen-Orient et Afrique du Nord"
    assert t("Reach: {value} people").format(value="12") == f"Port\u00e9e{NBSP}: 12 personnes"


def test_french_translator_falls_back_to_english_for_unknown_strings():
    assert get_translator("fr")("A string nobody marked") == "A string nobody marked"


@pytest.mark.parametrize("lang", ["en", "xx", ""])
def test_english_and_unknown_languages_get_english(lang):
    t = get_translator(lang)
    assert t("Overview") == "Overview"
    assert t("more than {value}") == "more than {value}"


# --- formatting ---------------------------------------------------------------------------------------


def test_numbers_use_the_locale_grouping():
    assert format_number(7000, "en") == "7,000"
    assert format_number(7000, "fr") == f"7{NNBSP}000"
    assert format_number(2.5, "fr") == "2,5"


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "lang", "expected"),
    [
        (7000, "more_than", "people", "en", "more than 7,000"),
        (7000, "more_than", "people", "fr", f"plus de 7{NNBSP}000"),
        (7000, "exact", "people", "en", "7,000"),
        (7000, "exact", "people", "fr", f"7{NNBSP}000"),
        (1200, "up_to", "people", "en", "up to 1,200"),
        (1200, "up_to", "people", "fr", f"jusqu\u2019\u00e0 1{NNBSP}200"),
        (109, "approx", "people", "en", "about 109"),
        (109, "approx", "people", "fr", "environ 109"),
        (82, "exact", "percent", "en", "82%"),
        (82, "exact", "percent", "fr", f"82{NBSP}%"),
        (82, "approx", "percent", "en", "about 82%"),
        (82, "approx", "percent", "fr", f"environ 82{NBSP}%"),
        (90, "up_to", "percent", "fr", f"jusqu\u2019\u00e0 90{NBSP}%"),
        (15.5, "more_than", "eur_million", "en", "more than EUR 15.5 million"),
        (15.5, "more_than", "eur_million", "fr", f"plus de 15,5{NBSP}M{NBSP}EUR"),
    ],
)
def test_format_figure(value, qualifier, unit, lang, expected):
    assert format_figure(value, qualifier, unit, lang) == expected


def test_french_qualifier_is_never_dropped():
    text = format_figure(7000, "more_than", "people", "fr")
    assert text.startswith("plus de 7")
    assert text[len("plus de 7")] in (NNBSP, NBSP), "thousands separator must be a no-break space"


def test_format_value_without_qualifier():
    assert format_value(82, "percent", "fr") == f"82{NBSP}%"
    assert format_value(3, "countries", "fr") == "3"


def test_qualifier_labels():
    assert [qualifier_label(q, "en") for q in ("exact", "more_than", "up_to", "approx")] == [
        "exact",
        "more than",
        "up to",
        "approximately",
    ]
    assert [qualifier_label(q, "fr") for q in ("exact", "more_than", "up_to", "approx")] == [
        "exact",
        "plus de",
        "jusqu\u2019\u00e0",
        "environ",
    ]
    assert qualifier_label("other", "fr") == "other"


def test_format_period():
    assert format_period(date(2022, 1, 1), date(2022, 12, 31)) == "2022"
    assert format_period(date(2021, 1, 1), date(2022, 12, 31)) == "2021\u20132022"
