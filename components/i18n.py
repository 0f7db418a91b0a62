"""Gettext translation of UI strings, one catalog per language, with plural forms.

Strings are marked with `t()`, `_()`, `N_()` and, for a count, `t.plural()` in
the code (so `pybabel extract` finds them) and translated in
`translations/<lang>/LC_MESSAGES/messages.po`. The .po file is compiled in
memory on first use (Babel's `write_mo`) and read by gettext: the .po stays the
only source, there is no compiled file to keep up to date, and plurals follow
the catalog's `Plural-Forms` header (French says "0 chiffre", English "0 figures").
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from config import LANGUAGES, RTL_LANGUAGES, TRANSLATIONS_DIR

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}
# The language switch's name, in every language: a reader who cannot read the page's
# language must still find it.
LANGUAGE_SWITCH_LABEL = "Language / Langue / اللغة"


def text_direction(lang: str) -> str:
    """ "rtl" for a language written right to left (Arabic), else "ltr": the
    value of a page's `dir` attribute."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


class Translator:
    """One language's `t`: `t(message)` for a string, `t.plural(singular, plural, n)`
    for a count. Unknown strings come back in English, the language of the msgids."""

    __slots__ = ("_translations",)

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self._translations = translations

    def __call__(self, message: str) -> str:
        return self._translations.gettext(message)

    def plural(self, singular: str, plural: str, n: int) -> str:
        """The form of `singular`/`plural` for `n`, by the catalog's plural rule."""
        # int(): counts often come from pandas as numpy integers, which gettext deprecates.
        return self._translations.ngettext(singular, plural, int(n))


def po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


def _complete(catalog: Catalog) -> Catalog:
    """`catalog` without the plural entries that miss a form: gettext would show
    the empty form, where English is better (write_mo drops empty singulars itself)."""
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            del catalog[message.id]
    return catalog


def get_translator(lang: str) -> Translator:
    """The `t` of `lang`; English for an unknown language. Built once per language
    (pages ask on every request), and only for the known ones (`lang` may come from a URL)."""
    return _translator(lang if lang in LANGUAGES else "en")


@cache
def _translator(lang: str) -> Translator:
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return Translator(gettext.NullTranslations())  # the msgids, English plural rule (n != 1)
    return Translator(compile_po(path, lang))


def compile_po(path: Path, lang: str) -> Translations:
    """A .po file compiled in memory, as `pybabel compile` would write it to disk."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, _complete(catalog))  # fuzzy entries are left out
    compiled.seek(0)
    return Translations(compiled)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (e.g. in constants)."""
    return message


# The separators of a list in running text, from the catalog: Arabic writes its own
# comma and semicolon ("، " and "؛ "). Use: t(LIST_COMMA).join(names).
LIST_COMMA = N_(", ")
LIST_SEMICOLON = N_("; ")
