"""Every catalog under translations/ (French, and Arabic, which the app does not
offer yet: issue 16) translates every string of translations/messages.pot.

An entry is translated when it is there, not fuzzy, and every one of its forms
is filled: one msgstr, or as many plural forms as the catalog's `Plural-Forms`
header says (2 in French, 6 in Arabic: 0, 1, 2, 3-10, 11-99, 100 and over).
Each form keeps the placeholders of its English text: the str.format fields
(`{year}`), Plotly's `%{customdata[1]}` and printf's `%(name)s`. A plural form
is checked against the English plural, or against the English singular where
the two differ.

One exception, Arabic only: its forms for 0, 1 and 2 may drop the count itself
(`{count}`, or `{n}` where the code names the count so), because Arabic words
those numbers instead of writing them: "لا أرقام", "رقم واحد", "رقمان" for
"{count} figure". Every other placeholder stays, and the forms for 3 and over
keep the count too.

The strings extracted from the code are compared with messages.pot by
tests/test_i18n.py; this file starts from messages.pot.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from components.i18n import Translator, compile_po
from config import TRANSLATIONS_DIR

TEMPLATE = TRANSLATIONS_DIR / "messages.pot"
CATALOGS = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))

PLACEHOLDER = re.compile(
    r"%\{[^{}]*\}"  # Plotly's %{customdata[1]}
    r"|(?<!%)\{[^{}]*\}"  # str.format's {year}
    r"|%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXoc]"  # printf's %(name)s
)
# Arabic words 0, 1 and 2 ("لا أرقام", "رقم واحد", "رقمان"): those forms may leave the count out.
COUNT_FIELDS = frozenset({"{count}", "{n}"})
WORDED_FORMS = {"ar": frozenset({0, 1, 2})}
# French keeps gettext's two forms (newer CLDR adds one for millions, which the app never words).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
    "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);",
}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def read_catalog(path, locale=None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog_problems(catalog: Catalog, template: Catalog) -> list[str]:
    """One line per msgid of `template` that `catalog` does not translate completely
    or whose translation loses, adds or changes a placeholder."""
    lang = str(catalog.locale)
    worded = WORDED_FORMS.get(lang, frozenset())
    problems = []
    for entry in template:
        if not entry.id:
            continue
        message = catalog.get(entry.id)
        if message is None or message.id != entry.id:
            problems.append(f"  {entry.id!r}: absent")
            continue
        if message.fuzzy:
            problems.append(f"  {entry.id!r}: fuzzy")
        expected_forms = catalog.num_plurals if isinstance(entry.id, tuple) else 1
        if len(forms(message)) != expected_forms:
            problems.append(f"  {entry.id!r}: {len(forms(message))} form(s), {expected_forms} expected")
        english = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        allowed = [placeholders(text) for text in reversed(english)]  # the plural's first
        for index, text in enumerate(forms(message)):
            if not text:
                problems.append(f"  {entry.id!r}: form {index} is empty")
                continue
            found = placeholders(text)
            fits = any(found == expected for expected in allowed)
            if not fits and isinstance(entry.id, tuple) and index in worded:
                fits = any(found == expected - COUNT_FIELDS for expected in allowed)
            if not fits:
                problems.append(
                    f"  {entry.id!r}: form {index} {text!r} has {sorted(found)}, expected {sorted(allowed[0])}"
                )
    return problems


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(TEMPLATE)


def test_french_and_arabic_catalogs_exist():
    assert {path.parts[-3] for path in CATALOGS} >= {"fr", "ar"}, CATALOGS


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_catalog_translates_every_template_string(path, template):
    catalog = read_catalog(path, locale=path.parts[-3])
    problems = catalog_problems(catalog, template)
    assert not problems, (
        f"{len(problems)} problem(s) in {path.relative_to(TRANSLATIONS_DIR)} "
        "(translate as described in translations/README.md):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_catalog_header_has_the_languages_plural_rule(path):
    lang = path.parts[-3]
    catalog = read_catalog(path, locale=lang)
    assert str(catalog.locale) == lang
    assert not catalog.fuzzy
    assert catalog.plural_forms == PLURAL_FORMS.get(lang), (
        f"{lang}: unexpected Plural-Forms {catalog.plural_forms!r}"
    )


def test_arabic_plural_forms_follow_the_header():
    """0, 1, 2, 3-10, 11-99 and 100+ each get their own form of the catalog."""
    path = TRANSLATIONS_DIR / "ar" / "LC_MESSAGES" / "messages.po"
    message = read_catalog(path, locale="ar").get(("{count} figure", "{count} figures"))
    t = Translator(compile_po(path, "ar"))
    chosen = [t.plural("{count} figure", "{count} figures", n) for n in (0, 1, 2, 7, 42, 100, 102, 111)]
    form = message.string
    assert chosen == [form[0], form[1], form[2], form[3], form[4], form[5], form[5], form[4]]
    assert len(set(form)) == 6, f"the six Arabic forms should differ: {form}"


def _catalog(lang: str, entries: list[tuple]) -> Catalog:
    catalog = Catalog(locale=lang)
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr)
    return catalog


def test_the_check_reports_missing_empty_and_changed_entries():
    template = _catalog(
        "en", [("Map", ""), ("Reach: {value}", ""), (("{count} map", "{count} maps"), ("", ""))]
    )
    french = _catalog(
        "fr",
        [("Reach: {value}", "Portée : {valeur}"), (("{count} map", "{count} maps"), ("{count} carte", ""))],
    )
    problems = "\n".join(catalog_problems(french, template))
    assert "'Map': absent" in problems
    assert "{valeur}" in problems
    assert "form 1 is empty" in problems


def test_only_arabic_forms_for_0_1_and_2_may_drop_the_count():
    msgid = ("{count} map in {year}", "{count} maps in {year}")
    template = _catalog("en", [(msgid, ("", ""))])
    worded = ("لا خرائط في {year}", "خريطة واحدة في {year}", "خريطتان في {year}")
    counted = ("{count} خرائط في {year}", "{count} خريطة في {year}", "{count} خريطة في {year}")
    assert catalog_problems(_catalog("ar", [(msgid, worded + counted)]), template) == []
    lost_year = ("لا خرائط", *worded[1:])
    assert "form 0" in "\n".join(catalog_problems(_catalog("ar", [(msgid, lost_year + counted)]), template))
    lost_count = (counted[0], "خرائط كثيرة في {year}", counted[2])
    assert "form 4" in "\n".join(catalog_problems(_catalog("ar", [(msgid, worded + lost_count)]), template))
    french = _catalog("fr", [(msgid, ("une carte en {year}", "{count} cartes en {year}"))])
    assert "form 0" in "\n".join(catalog_problems(french, template))


def test_printf_placeholders_are_checked():
    template = _catalog("en", [("%(name)s and %{customdata[1]}", "")])
    lost = _catalog("fr", [("%(name)s and %{customdata[1]}", "%(nom)s et %{customdata[1]}")])
    assert catalog_problems(lost, template)
