"""Turn one file row of text cells into clean values, or into problems.

Every rule reports row, column, value and a stable rule code; nothing stops at
the first problem.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pycountry

from data_access.imports.problems import Problems
from data_access.imports.readers import Mapping
from data_access.schema import PARTNER_TYPES, QUALIFIERS
from model.file_format import unneutralise

QUALIFIER_WORDS = {
    "": "exact",
    "exact": "exact",
    "more than": "more_than",
    "over": "more_than",
    "up to": "up_to",
    "approximately": "approx",
    "about": "approx",
    "approx.": "approx",
}
NUMBER = re.compile(r"^\d+(\.\d+)?$")
BREAKDOWN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_LIMITS = {
    "source_title": 400,
    "source_url": 1000,
    "source_quote": 5000,
    "source_note": 2000,
    "source_note_fr": 2000,
    "source_note_ar": 2000,
    "source_title_ar": 400,
    "implementing_partner": 300,
    "breakdown_value": 80,
    "description_en": 5000,
    "description_fr": 5000,
    "description_ar": 5000,
    "key": 120,
    "theme": 40,
    "partner": 300,
}


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


@dataclass
class Catalog:
    """What rows may refer to: what the database has plus what the file declares."""

    compass_countries: set[str]
    other_countries: set[str]  # stored or declared, outside COMPASS
    indicator_units: dict[str, str]
    partners: dict[str, int] = field(default_factory=dict)  # lower-cased name/acronym -> id


# Control characters other than tab and newline: invisible, refused by Excel files
# (export to .xlsx would fail) and, for NUL, by PostgreSQL.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """One line-ending convention ("\n"; Excel files cannot keep "\r"), Word's
    vertical-tab line breaks as newlines, no other control characters, no outer spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return CONTROL.sub("", text).strip()


def _cell(cells: list[str], mapping: Mapping, name: str) -> str:
    position = mapping.index.get(name)
    if position is None or position >= len(cells):
        return ""
    return unneutralise(clean_text(cells[position]))


def parse_number(text: str) -> float | None:
    """'7000', '7 000', '7.5' -> float; None when it is not a plain number."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not NUMBER.match(cleaned):
        return None
    number = float(cleaned)
    return number if math.isfinite(number) else None  # 400 digits overflow to infinity


def parse_day(text: str, end: bool) -> date | None | str:
    """'2022' -> 1 Jan (or 31 Dec when `end`); '2022-03-31' -> that day.
    Returns a message string when the text is not a possible date."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        day = date(year, 12, 31) if end else date(year, 1, 1)
    elif m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(T00:00:00)?", text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return "no such day"
    else:
        return "not a date: use YYYY-MM-DD or a year"
    if not 1990 <= day.year <= 2100:
        return "year outside 1990-2100"
    return day


class RowChecker:
    """Validates rows against a catalog, writing problems as it goes."""

    def __init__(self, catalog: Catalog, problems: Problems):
        self.catalog = catalog
        self.problems = problems

    def _text(self, line: int, cells, mapping, name: str, required: bool = False) -> str | None:
        value = _cell(cells, mapping, name)
        if not value:
            if required:
                self.problems.error(line, name, "", "required", "this cell must not be empty")
            return None
        if len(value) > TEXT_LIMITS.get(name, 300):
            self.problems.error(
                line, name, value, "too_long", f"longer than {TEXT_LIMITS.get(name, 300)} characters"
            )
            return None
        position = mapping.index.get(name)
        if CONTROL.search(cells[position].replace("\x0b", "").replace("\x0c", "")):
            # Stored without them, but never silently.
            self.problems.warn(
                line,
                name,
                value,
                "control_characters_removed",
                "invisible control characters were removed from this text",
            )
        return value

    def country(self, line: int, raw: str) -> str | None | bool:
        """ISO3 or None (programme-wide); False when invalid (already reported)."""
        if not raw:
            return None
        code = raw.strip().upper()
        if code in self.catalog.compass_countries or code in self.catalog.other_countries:
            return code
        if code in iso3_codes():
            self.problems.error(
                line,
                "country_iso3",
                raw,
                "country_not_in_programme",
                f"{code} is not a COMPASS country; declare it in a countries sheet to import it",
            )
        else:
            self.problems.error(
                line, "country_iso3", raw, "unknown_country", "not an ISO 3166-1 alpha-3 country code"
            )
        return False

    def indicator(self, line: int, raw: str) -> str | None:
        code = raw.strip().lower()
        if code in self.catalog.indicator_units:
            return code
        close = difflib.get_close_matches(code, list(self.catalog.indicator_units), n=1, cutoff=0.7)
        hint = (
            f"; did you mean \u201c{close[0]}\u201d?"
            if close
            else "; declare new ones in an indicators sheet"
        )
        self.problems.error(line, "indicator", raw, "unknown_indicator", f"unknown indicator code{hint}")
        return None

    def amount(self, line: int, name: str, raw: str, unit: str | None) -> float | None | bool:
        if not raw:
            return None
        number = parse_number(raw)
        if number is None:
            negative = raw.strip().startswith("-") and parse_number(raw.strip()[1:]) is not None
            if negative:
                self.problems.error(
                    line, name, raw, "negative_value", "counts and percentages cannot be negative"
                )
            elif "," in raw:
                self.problems.error(
                    line,
                    name,
                    raw,
                    "not_a_number",
                    "not a number: use a dot for decimals and no thousands comma (7000, 12.5)",
                )
            elif NUMBER.match(re.sub(r"[\s\u00a0\u202f]", "", raw)):
                self.problems.error(line, name, raw, "not_a_number", "too large to be a figure")
            else:
                self.problems.error(line, name, raw, "not_a_number", "not a number")
            return False
        if unit == "percent" and number > 100:
            self.problems.error(
                line, name, raw, "percent_out_of_range", "a percentage must be between 0 and 100"
            )
            return False
        return number

    def period(self, line: int, start_raw: str, end_raw: str) -> tuple[date, date] | None:
        start = parse_day(start_raw, end=False)
        end = parse_day(end_raw, end=True)
        ok = True
        for name, raw, parsed in (("period_start", start_raw, start), ("period_end", end_raw, end)):
            if not raw:
                self.problems.error(line, name, "", "required", "this cell must not be empty")
                ok = False
            elif isinstance(parsed, str):
                self.problems.error(line, name, raw, "bad_date", parsed)
                ok = False
        if not ok:
            return None
        if end < start:
            self.problems.error(
                line,
                "period_end",
                end_raw,
                "inverted_period",
                f"the period ends ({end_raw}) before it starts ({start_raw})",
            )
            return None
        return start, end

    def qualifier(self, line: int, raw: str) -> str | None:
        word = raw.strip().lower().replace("_", " ")
        code = QUALIFIER_WORDS.get(word) or (
            raw.strip().lower() if raw.strip().lower() in QUALIFIERS else None
        )
        if code is None:
            self.problems.error(
                line, "qualifier", raw, "unknown_qualifier", "use exact, more_than, up_to or approx"
            )
        return code

    def results(self, line: int, cells: list[str], mapping: Mapping) -> list[dict]:
        """Zero or more clean result rows for one file row (HXL sex columns add rows)."""
        errors_before = self.problems.errors
        raw_indicator = _cell(cells, mapping, "indicator")
        indicator = None
        if raw_indicator:
            indicator = self.indicator(line, raw_indicator)
        else:
            self.problems.error(line, "indicator", "", "required", "this cell must not be empty")
        unit = self.catalog.indicator_units.get(indicator or "")
        country = self.country(line, _cell(cells, mapping, "country_iso3"))
        period = self.period(line, _cell(cells, mapping, "period_start"), _cell(cells, mapping, "period_end"))
        qualifier = self.qualifier(line, _cell(cells, mapping, "qualifier"))
        dim = (_cell(cells, mapping, "breakdown") or "").lower()
        dim_value = self._text(line, cells, mapping, "breakdown_value") or ""
        if bool(dim) != bool(dim_value):
            self.problems.error(
                line,
                "breakdown",
                dim or dim_value,
                "incomplete_breakdown",
                "give both the breakdown and its value, or neither",
            )
        elif dim and not BREAKDOWN.match(dim):
            self.problems.error(
                line, "breakdown", dim, "bad_breakdown", "use a short code such as sex or age_group"
            )
        source = {
            "source_title": self._text(line, cells, mapping, "source_title", required=True),
            "source_url": self._text(line, cells, mapping, "source_url"),
            "source_quote": self._text(line, cells, mapping, "source_quote"),
            "source_note": self._text(line, cells, mapping, "source_note"),
            "source_note_fr": self._text(line, cells, mapping, "source_note_fr"),
            "source_note_ar": self._text(line, cells, mapping, "source_note_ar"),
            "source_title_ar": self._text(line, cells, mapping, "source_title_ar"),
        }
        if source["source_url"] and not re.match(r"^https?://\S+$", source["source_url"]):
            self.problems.error(
                line, "source_url", source["source_url"], "bad_url", "not a web address (http/https)"
            )
        partner = self._text(line, cells, mapping, "implementing_partner")
        amounts = [("", "", _cell(cells, mapping, "value"), _cell(cells, mapping, "target"), "value")]
        targets = dict(
            (sex, cells[pos].strip() if pos < len(cells) else "") for pos, sex in mapping.target_by_sex
        )
        for pos, sex in mapping.value_by_sex:
            raw = cells[pos].strip() if pos < len(cells) else ""
            if raw:
                amounts.append(("sex", sex, raw, targets.get(sex, ""), f"#reached+{sex[0]}"))
        rows = []
        for b_dim, b_value, raw_value, raw_target, column in amounts:
            if not raw_value and (b_dim or mapping.value_by_sex):
                continue
            if not raw_value:
                self.problems.error(line, column, "", "required", "this cell must not be empty")
                continue
            value = self.amount(line, column, raw_value, unit)
            target = self.amount(line, "target", raw_target, unit)
            rows.append(
                {
                    "value": value,
                    "target": target,
                    "breakdown_dim": b_dim or dim,
                    "breakdown_value": b_value or dim_value,
                }
            )
        if self.problems.errors > errors_before:
            return []
        return [
            {
                "row_no": line,
                "indicator_code": indicator,
                "country_iso3": country,
                "period_start": period[0],
                "period_end": period[1],
                "qualifier": qualifier,
                "implementing_partner": partner,
                **source,
                **r,
            }
            for r in rows
        ]

    def activity(self, line: int, cells: list[str], mapping: Mapping) -> dict | None:
        """A clean activity row, or None when it has errors."""
        errors_before = self.problems.errors
        country = self.country(line, _cell(cells, mapping, "country_iso3"))
        year_raw = _cell(cells, mapping, "year")
        year = int(year_raw) if re.fullmatch(r"\d{4}", year_raw) and 1990 <= int(year_raw) <= 2100 else None
        if year is None:
            self.problems.error(
                line,
                "year",
                year_raw,
                "bad_year" if year_raw else "required",
                "a year such as 2022" if year_raw else "this cell must not be empty",
            )
        theme = (self._text(line, cells, mapping, "theme", required=True) or "").lower()
        if theme and not BREAKDOWN.match(theme):
            self.problems.error(
                line, "theme", theme, "bad_theme", "use a short code such as mhpss or livelihoods"
            )
        # Types stand in the partners' places; a known partner's may be left blank ("; local_ngo").
        named = [p.strip() for p in _cell(cells, mapping, "partners").split(";")]
        types = [t.strip().lower() for t in _cell(cells, mapping, "partner_types").split(";")]
        partners = [name for name in named if name]
        new_partners = []
        for i, name in enumerate(named):
            if not name:
                continue
            if len(name) > TEXT_LIMITS["partner"]:
                self.problems.error(
                    line,
                    "partners",
                    name,
                    "too_long",
                    f"a partner name longer than {TEXT_LIMITS['partner']} characters",
                )
                continue
            if name.lower() in self.catalog.partners:
                continue
            kind = types[i] if i < len(types) else ""
            if kind not in PARTNER_TYPES:
                self.problems.error(
                    line,
                    "partner_types",
                    kind or name,
                    "unknown_partner",
                    f"new partner \u201c{name}\u201d needs a type: {', '.join(PARTNER_TYPES)}",
                )
            else:
                new_partners.append((name, kind))
                self.catalog.partners[name.lower()] = -1  # later rows may name it without a type
        row = {
            "row_no": line,
            "key": self._text(line, cells, mapping, "key"),
            "country_iso3": country,
            "year": year,
            "theme": theme,
            "partners": partners,
            "new_partners": new_partners,
            "description_en": self._text(line, cells, mapping, "description_en", required=True),
            "description_fr": self._text(line, cells, mapping, "description_fr", required=True),
            "description_ar": self._text(line, cells, mapping, "description_ar"),
            "source_title": self._text(line, cells, mapping, "source_title", required=True),
            "source_url": self._text(line, cells, mapping, "source_url"),
            "source_quote": self._text(line, cells, mapping, "source_quote"),
            "source_note": None,
            "source_note_fr": None,
            "source_note_ar": None,
            "source_title_ar": self._text(line, cells, mapping, "source_title_ar"),
        }
        return None if self.problems.errors > errors_before else row
