"""Translations and locale formatting, without a browser or a database.

The French catalog must translate every UI string marked in components/ and
pages/ (see translations/README.md for the extract/update commands), every form
of its plural entries included, keep every placeholder, and the formatting
helpers must write figures the way each language reads them. Plurals follow the
catalog's rule: French "0 chiffre", English "0 figures".
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from components.formatting import format_figure, format_number, format_period, format_value, qualifier_label
from components.i18n import Translator, compile_po, get_translator
from components.partners import activity_count
from config import ROOT, TRANSLATIONS_DIR
from tests.helpers import NBSP, NNBSP

FRENCH_PO = TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po"
TEMPLATE = TRANSLATIONS_DIR / "messages.pot"

# "{year}", "{count}"... (str.format fields), but not the "{...}" of a Plotly "%{customdata[1]}".
BRACE_FIELD = re.compile(r"(?<!%)\{[^{}]*\}")
PLOTLY_FIELD = re.compile(r"%\{[^{}]*\}")


def extract_command(path) -> str:
    """The `pybabel extract` line of the Makefile or of translations/README.md."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "pybabel extract" in line]
    assert len(lines) == 1, f"expected one pybabel extract command in {path}: {lines}"
    return lines[0]


def extract_keywords() -> dict[str, tuple[int, ...] | None]:
    """The -k keywords of `make translations`, as pybabel reads them (`plural:1,2` -> (1, 2))."""
    return parse_keywords(re.findall(r"-k\s+(\S+)", extract_command(ROOT / "Makefile")))


def extracted_msgids() -> dict[str | tuple[str, ...], str]:
    """msgid -> 'file:line' of every UI string marked in components/ and pages/, as
    pybabel finds them; a plural entry's msgid is its (singular, plural) pair."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=extract_keywords()
    ):
        if message:
            found.setdefault(message, f"{filename}:{lineno}")
    return found


def forms(message) -> tuple[str, ...]:
    """A catalog entry's translations: one string, or one per plural form."""
    return message.string if isinstance(message.string, tuple) else (message.string,)


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
    """(English, French) for every translation; each plural form against the English plural."""
    pairs = []
    for m in french:
        if m.id:
            english = m.id[-1] if isinstance(m.id, tuple) else m.id
            pairs += [(english, form) for form in forms(m) if form]
    return pairs


# --- catalog completeness and placeholders ------------------------------------------------------------


def test_babel_cfg_extracts_components_pages_and_web(msgids):
    where = {Path(location.rsplit(":", 1)[0]).parts[0] for location in msgids.values()}
    assert where == {"components", "pages", "web"}, where


def test_the_extract_command_finds_plurals(msgids):
    assert extract_keywords()["plural"] == (1, 2)
    assert ("{count} figure", "{count} figures") in msgids
    readme = extract_command(TRANSLATIONS_DIR / "README.md")
    makefile = extract_command(ROOT / "Makefile")
    assert readme.split("pybabel extract")[1] == makefile.split("pybabel extract")[1], (
        "translations/README.md and the Makefile extract differently"
    )


def _translation_state(message, nplurals: int) -> str | None:
    """Why `message` does not translate its msgid, or None when it does."""
    if message is None:
        return "absent"
    if message.fuzzy:
        return "fuzzy"
    expected = nplurals if isinstance(message.id, tuple) else 1
    if len(forms(message)) != expected or not all(forms(message)):
        return "empty" if expected == 1 else f"needs {expected} filled plural forms"
    return None


def test_every_ui_string_has_a_french_translation(msgids, french):
    missing = []
    for msgid, location in sorted(msgids.items(), key=lambda item: str(item[0])):
        message = french.get(msgid)
        if message is not None and message.id != msgid:
            message = None  # a singular entry for a plural call, or the reverse
        state = _translation_state(message, french.num_plurals)
        if state:
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


def test_plural_msgids_keep_the_count_in_the_singular(msgids):
    """French uses the singular for 0 too: "One figure." would read "One figure." for none."""
    wrong = [
        f"  {msgid!r}"
        for msgid in msgids
        if isinstance(msgid, tuple)
        and Counter(BRACE_FIELD.findall(msgid[0])) != Counter(BRACE_FIELD.findall(msgid[1]))
    ]
    assert not wrong, "singular and plural with different placeholders:\n" + "\n".join(wrong)


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


def test_translators_are_built_once_per_known_language():
    assert get_translator("fr") is get_translator("fr")
    assert get_translator("xx") is get_translator("en")


# --- plurals ------------------------------------------------------------------------------------------


def figures(t: Translator, n) -> str:
    return t.plural("{count} figure", "{count} figures", n).format(count=n)


def test_french_plurals_use_the_singular_for_zero_and_one():
    t = get_translator("fr")
    assert [figures(t, n) for n in (0, 1, 2, 10)] == ["0 chiffre", "1 chiffre", "2 chiffres", "10 chiffres"]


@pytest.mark.parametrize("lang", ["en", "xx", ""])
def test_english_plurals_use_the_singular_for_one_only(lang):
    t = get_translator(lang)
    assert [figures(t, n) for n in (0, 1, 2)] == ["0 figures", "1 figure", "2 figures"]


def test_an_untranslated_plural_falls_back_to_english_forms():
    t = get_translator("fr")
    assert [t.plural("{n} unicorn", "{n} unicorns", n) for n in (0, 1, 2)] == [
        "{n} unicorns",
        "{n} unicorn",
        "{n} unicorns",
    ]


def test_a_count_from_pandas_is_taken_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figures(get_translator("fr"), np.int64(0)) == "0 chiffre"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["Aucune activité", "1 activité", "2 activités", f"1{NNBSP}234 activités"]),
        ("en", ["No activities", "1 activity", "2 activities", "1,234 activities"]),
    ],
)
def test_partner_activity_counts(lang, expected):
    t = get_translator(lang)
    assert [activity_count(n, lang, t) for n in (0, 1, 2, 1234)] == expected


def write_po(path, plural_forms: str, entries: str) -> None:
    path.write_text(
        f'msgid ""\nmsgstr ""\n"Plural-Forms: {plural_forms}\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n' + entries,
        encoding="utf-8",
    )


def test_plural_forms_come_from_the_catalog_header(tmp_path):
    """Three forms in Polish: 1 plik, 2-4 pliki, 5-21 plików (22-24 pliki again)."""
    po = tmp_path / "messages.po"
    rule = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    write_po(
        po,
        f"nplurals=3; plural={rule};",
        'msgid "{n} file"\nmsgid_plural "{n} files"\n'
        'msgstr[0] "{n} plik"\nmsgstr[1] "{n} pliki"\nmsgstr[2] "{n} plików"\n',
    )
    t = Translator(compile_po(po, "pl"))
    assert [t.plural("{n} file", "{n} files", n).format(n=n) for n in (1, 2, 5, 22)] == [
        "1 plik",
        "2 pliki",
        "5 plików",
        "22 pliki",
    ]


def test_incomplete_and_fuzzy_entries_fall_back_to_english(tmp_path):
    po = tmp_path / "messages.po"
    write_po(
        po,
        "nplurals=2; plural=(n > 1);",
        'msgid "{n} map"\nmsgid_plural "{n} maps"\nmsgstr[0] "{n} carte"\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgid "Map"\nmsgstr "Carte"\n\n'
        'msgid "Maps"\nmsgstr "Cartes"\n',
    )
    t = Translator(compile_po(po, "fr"))
    assert t.plural("{n} map", "{n} maps", 2) == "{n} maps"  # not the empty form
    assert t("Map") == "Map"
    assert t("Maps") == "Cartes"


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
