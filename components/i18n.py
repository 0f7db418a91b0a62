"""Gettext-style translation of UI strings, one catalog per language.

Strings are marked with `_()` in the code (so `pybabel extract` finds them)
and translated through `translations/<lang>/LC_MESSAGES/messages.po`, read
lazily with Babel: no compile step, and the .po file stays reviewable.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel.messages.pofile import read_po

from config import LANGUAGES, TRANSLATIONS_DIR

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr for `lang`; empty for English, the language of the msgids."""
    path = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    return {m.id: m.string for m in parsed if m.id and m.string and not m.fuzzy}


def get_translator(lang: str) -> Callable[[str], str]:
    """A `_` function for `lang`; unknown strings fall back to English."""
    table = catalog(lang if lang in LANGUAGES else "en")

    def _(message: str) -> str:
        return table.get(message, message)

    return _


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (e.g. in constants)."""
    return message
