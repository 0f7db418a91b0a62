"""Turn the query string into a validated view; the only reader of raw query values.

Values arrive as strings, or lists when a key repeats. Anything unusable falls
back to a default and is reported as a Notice that the page shows; the view
itself always renders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from config import LANGUAGES

KNOWN_KEYS = ("year", "lang")
MAX_SHOWN = 40  # characters of a bad value echoed back in a notice


@dataclass(frozen=True)
class Notice:
    """Something in the URL that was ignored: a code the page translates, and the value."""

    code: str  # bad_year | unknown_year | bad_lang | repeated | unknown_key
    key: str
    value: str = ""


@dataclass(frozen=True)
class ViewState:
    """The validated view: what the page shows and what its links carry."""

    year: int | None
    lang: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "\u2026"


def parse_lang(query: Mapping[str, object], default: str) -> tuple[str, list[Notice]]:
    """The language of the view, and notices for a value that could not be used."""
    raw = query.get("lang")
    if raw is None or raw == "":
        return default, []
    if isinstance(raw, list):
        return default, [Notice("repeated", "lang", _shown(", ".join(map(str, raw))))]
    value = str(raw).strip().lower()
    if value in LANGUAGES:
        return value, []
    return default, [Notice("bad_lang", "lang", _shown(raw))]


def parse_year(
    query: Mapping[str, object], years: Sequence[int], default: int | None
) -> tuple[int | None, list[Notice]]:
    """The year of the view: must be a whole number that has data."""
    raw = query.get("year")
    if raw is None or raw == "":
        return default, []
    if isinstance(raw, list):
        return default, [Notice("repeated", "year", _shown(", ".join(map(str, raw))))]
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return default, [Notice("bad_year", "year", _shown(raw))]
    year = int(text)
    if year not in years:
        return default, [Notice("unknown_year", "year", text)]
    return year, []


def parse_view(
    query: Mapping[str, object],
    years: Sequence[int],
    default_year: int | None,
    default_lang: str,
    extra_keys: Sequence[str] = (),
) -> ViewState:
    """Validate the whole query string of a page."""
    lang, notices = parse_lang(query, default_lang)
    year, year_notices = parse_year(query, years, default_year)
    notices += year_notices
    allowed = set(KNOWN_KEYS) | set(extra_keys)
    notices += [Notice("unknown_key", _shown(k)) for k in query if k not in allowed]
    return ViewState(year=year, lang=lang, notices=tuple(notices))
