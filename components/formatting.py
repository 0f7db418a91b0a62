"""Numbers, qualifiers, periods and dates written out for the reader's locale.

"more than 7,000" in English, "plus de 7 000" in French: qualifiers are part
of the figure and are never dropped.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from components.i18n import get_translator


def format_number(value: float, lang: str) -> str:
    """7000 -> '7,000' (en) or '7 000' (fr, narrow no-break space)."""
    if value is None:
        return ""
    decimals = 0 if float(value).is_integer() else 1
    return format_decimal(round(value, decimals), format="#,##0.#", locale=lang)


def format_value(value: float, unit: str, lang: str) -> str:
    """The number with its unit where the unit changes how it reads (%, EUR)."""
    _ = get_translator(lang)
    number = format_number(value, lang)
    if unit == "percent":
        return _("{number}%").format(number=number)
    if unit == "eur_million":
        return _("EUR {number} million").format(number=number)
    return number


def format_figure(value: float, qualifier: str, unit: str, lang: str) -> str:
    """A published figure with its qualifier written out: 'more than 7,000'."""
    _ = get_translator(lang)
    text = format_value(value, unit, lang)
    if qualifier == "more_than":
        return _("more than {value}").format(value=text)
    if qualifier == "up_to":
        return _("up to {value}").format(value=text)
    if qualifier == "approx":
        return _("about {value}").format(value=text)
    return text


def qualifier_label(qualifier: str, lang: str) -> str:
    """The qualifier alone, for tables: 'exact', 'more than'..."""
    _ = get_translator(lang)
    labels = {
        "exact": _("exact"),
        "more_than": _("more than"),
        "up_to": _("up to"),
        "approx": _("approximately"),
    }
    return labels.get(qualifier, qualifier)


def format_period(start: date, end: date) -> str:
    """'2022' for one calendar year, '2021-2022' for a cumulative span."""
    if start.year == end.year:
        return str(start.year)
    return f"{start.year}\u2013{end.year}"


def format_day(day: date, lang: str) -> str:
    """A date in the locale's medium format: 'Nov 26, 2026' / '26 nov. 2026'."""
    return format_date(day, format="medium", locale=lang)
