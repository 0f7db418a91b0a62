"""Numbers, qualifiers, periods and dates written out for the reader's locale.

"more than 7,000" in English, "plus de 7 000" in French: qualifiers are part
of the figure and are never dropped.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from components.i18n import get_translator
from model.suppression import FEWER_THAN


def format_number(value: float, lang: str) -> str:
    """7000 -> '7,000' (en) or '7 000' (fr, narrow no-break space)."""
    if value is None:
        return ""
    return _format_number(float(value), lang)


@functools.lru_cache(maxsize=8192)
def _format_number(value: float, lang: str) -> str:
    # Babel takes ~20 us a number; pages repeat the same few thousand numbers.
    decimals = 0 if value.is_integer() else 1
    # Western digits in every language, Arabic included (CLDR's default for `ar`, and
    # the charts' and exports' digits): pinned, so a CLDR change cannot split them.
    return format_decimal(round(value, decimals), format="#,##0.#", locale=lang, numbering_system="latn")


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
    if qualifier == FEWER_THAN:  # a suppressed small count: the value is the threshold
        return _("fewer than {value}").format(value=text)
    return text


def qualifier_label(qualifier: str, lang: str) -> str:
    """The qualifier alone, for tables: 'exact', 'more than'..."""
    _ = get_translator(lang)
    labels = {
        "exact": _("exact"),
        "more_than": _("more than"),
        "up_to": _("up to"),
        "approx": _("approximately"),
        FEWER_THAN: _("fewer than"),
    }
    return labels.get(qualifier, qualifier)


def format_period(start: date, end: date) -> str:
    """'2022' for one calendar year, '2021-2022' for a cumulative span."""
    if start.year == end.year:
        return str(start.year)
    return f"{start.year}\u2013{end.year}"


def period_label(start: date, end: date, lang: str, t=None) -> str:
    """A figure's period as cards and tables label it: '2022' for one year;
    'Cumulative 2021-2022' for a span of whole years; 'Cumulative to February
    2024' for a span that ends within a year ("as of" a date). Never left
    bare beside single years, with which it is not comparable."""
    t = t or get_translator(lang)
    if start.year == end.year:
        return str(start.year)
    if (end.month, end.day) != (12, 31):
        month = format_date(end, format="MMMM y", locale=lang)
        return t("Cumulative to {month}").format(month=month)
    return t("Cumulative {period}").format(period=format_period(start, end))


def format_day(day: date, lang: str) -> str:
    """A date in the locale's medium format: 'Nov 26, 2026' / '26 nov. 2026'."""
    return format_date(day, format="medium", locale=lang)


def format_moment(moment: datetime, lang: str) -> str:
    """A timestamp to the minute, in UTC: 'Nov 26, 2026 at 4:57 PM UTC' / '26 nov. 2026 à 16:57 UTC'.

    Naive values are taken as UTC (SQLite stores CURRENT_TIMESTAMP in UTC).
    """
    _ = get_translator(lang)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return _("{date} at {time} UTC").format(
        date=format_date(moment, format="medium", locale=lang),
        time=format_time(moment, format="short", tzinfo=UTC, locale=lang),
    )


def format_percent_of(value: float, target: float, qualifier: str, lang: str) -> str | None:
    """`value` as a share of `target`, keeping the value's qualifier: 'more than 72.5%'.

    None when there is no positive target to compare with.
    """
    share = percent_of(value, target)
    if share is None:
        return None
    return format_figure(share, qualifier, "percent", lang)


def percent_of(value: float, target: float) -> float | None:
    """100 * value / target, to one decimal; None without a positive target."""
    if target is None or not target > 0 or value is None:
        return None
    return round(100 * float(value) / float(target), 1)
