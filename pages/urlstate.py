"""Turn the query string into a validated view; the only reader of raw query values.

Values arrive as strings, or lists when a key repeats. Anything unusable falls
back to a default and is reported as a Notice that the page shows; the view
itself always renders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from config import LANGUAGES
from model.notice import Notice

KNOWN_KEYS = ("year", "lang")
CUTOFF_KEY = "until"  # "every year up to": the data cutoff a pinned link writes (pages/share.py)
MAX_SHOWN = 40  # characters of a bad value echoed back in a notice
MAX_RAW = 600  # longer values are dropped whole (a pasted essay is not a filter)
MAX_TEXT = 100  # characters of a free-text control (a search)


@dataclass(frozen=True)
class ViewState:
    """The validated view: what the page shows and what its links carry."""

    year: int | None
    lang: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    # The page's own controls (Param keys): a string, a sorted tuple, or None.
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Param:
    """A page control that lives in the query string.

    `choices` returns the values that exist now (indicator codes, ISO3 codes...);
    anything else is dropped with a notice. Multi-valued controls are written as
    one comma-separated key (`countries=LBY,NGA`), sorted, so the order in which
    a reader picked them never changes the link.
    """

    key: str
    choices: Callable[[], Collection[str]]
    multi: bool = False
    default: str | tuple[str, ...] | None = None
    normalize: Callable[[str], str] = str.strip
    max_values: int = 40


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


def parse_until(query: Mapping[str, object], years: Sequence[int]) -> tuple[str | None, list[Notice]]:
    """The data cutoff of a view (`until=2025`: "every year" means every year up
    to 2025), as the text of a year, or None. It must be a four-digit year
    between the first and the latest year with data (`years`); a year after the
    latest would cut nothing, one before the first would leave nothing: both are
    dropped with a notice, as is anything that is not a year."""
    raw = query.get(CUTOFF_KEY)
    if raw is None or raw == "":
        return None, []
    if isinstance(raw, list):
        return None, [Notice("repeated", CUTOFF_KEY, _shown(", ".join(map(str, raw))))]
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None, [Notice("bad_until", CUTOFF_KEY, _shown(raw))]
    if not years:
        return None, [Notice("until_after", CUTOFF_KEY, text)]
    if int(text) > max(years):
        return None, [Notice("until_after", CUTOFF_KEY, text)]
    if int(text) < min(years):
        return None, [Notice("until_before", CUTOFF_KEY, text)]
    return text, []


def parse_view(
    query: Mapping[str, object],
    years: Sequence[int],
    default_year: int | None,
    default_lang: str,
    params: Sequence[Param] = (),
    cutoff: bool = False,
) -> ViewState:
    """Validate the whole query string of a page: year, language and its controls
    (`cutoff`: the page reads `until` too, kept in its values)."""
    lang, notices = parse_lang(query, default_lang)
    year, year_notices = parse_year(query, years, default_year)
    notices += year_notices
    values, param_notices = parse_params(query, params)
    notices += param_notices
    if cutoff:
        values[CUTOFF_KEY], until_notices = parse_until(query, years)
        notices += until_notices
    allowed = set(KNOWN_KEYS) | {p.key for p in params} | ({CUTOFF_KEY} if cutoff else set())
    notices += [Notice("unknown_key", _shown(k)) for k in query if k not in allowed]
    return ViewState(year=year, lang=lang, notices=tuple(notices), values=values)


def parse_param(query: Mapping[str, object], param: Param) -> tuple[object, list[Notice]]:
    """One control's value from the query, and notices for what was dropped."""
    raw = query.get(param.key)
    if raw is None or raw == "":
        return param.default, []
    if isinstance(raw, list):
        return param.default, [Notice("repeated", param.key, _shown(", ".join(map(str, raw))))]
    text = str(raw)
    if len(text) > MAX_RAW:
        return param.default, [Notice("too_long", param.key, _shown(text))]
    allowed = param.choices()
    if not param.multi:
        value = param.normalize(text)
        if value in allowed:
            return value, []
        return param.default, [Notice("unknown_value", param.key, _shown(text))]
    items = [param.normalize(x) for x in text.split(",") if x.strip()]
    known = sorted({x for x in items if x in allowed})[: param.max_values]
    notices = [
        Notice("unknown_value", param.key, _shown(x)) for x in dict.fromkeys(items) if x not in allowed
    ]
    return (tuple(known) if known else param.default), notices


def parse_text(
    query: Mapping[str, object], key: str, max_length: int = MAX_TEXT
) -> tuple[str | None, list[Notice]]:
    """A free-text control (a search box): trimmed, runs of white space made one.

    Not a choice list, so it is checked by shape: given once, at most
    `max_length` characters, and no control or invisible formatting characters
    (they cannot be typed in a search, only smuggled into a link).
    """
    raw = query.get(key)
    if raw is None or raw == "":
        return None, []
    if isinstance(raw, list):
        return None, [Notice("repeated", key, _shown(", ".join(map(str, raw))))]
    text = " ".join(str(raw).split())
    if not text:
        return None, []
    if len(text) > max_length:
        return None, [Notice("too_long", key, _shown(text))]
    if any(unicodedata.category(c).startswith("C") for c in text):
        visible = "".join("\ufffd" if unicodedata.category(c).startswith("C") else c for c in text)
        return None, [Notice("bad_text", key, _shown(visible))]
    return text, []


def parse_params(
    query: Mapping[str, object], params: Sequence[Param]
) -> tuple[dict[str, object], list[Notice]]:
    """Every control of a page."""
    values: dict[str, object] = {}
    notices: list[Notice] = []
    for param in params:
        values[param.key], found = parse_param(query, param)
        notices += found
    return values, notices


def query_items(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """The canonical query as (key, text) pairs: keys in the given order, lists
    sorted and comma-joined, empty values left out (so links stay short and readable)."""
    pairs = []
    for key, value in values.items():
        if value is None or value == "" or (isinstance(value, list | tuple | set | frozenset) and not value):
            continue
        if isinstance(value, list | tuple | set | frozenset):
            value = ",".join(sorted(str(v) for v in value))
        pairs.append((key, str(value)))
    return pairs


def query_string(values: Mapping[str, object]) -> str:
    """The canonical query string of `values` (see query_items)."""
    return urlencode(query_items(values), safe=",")


def year_number(value: object) -> int | None:
    """A year sent by a control or kept in the view state, as a number, or None
    when it is not one: a string of at most four decimal digits, or an int
    (never a bool). "²⁰²²" (digits but not decimal) and 5,000 digits are None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= 9999 else None
    if isinstance(value, str) and 0 < len(value) <= 4 and value.isdecimal():
        return int(value)
    return None


def as_tuple(value: object) -> tuple[str, ...]:
    """A control's value as a tuple of strings: None, "", a string, or a list of them."""
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(str(v) for v in value if v not in (None, ""))
    return (str(value),)
