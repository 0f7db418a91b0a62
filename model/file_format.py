"""The import/export file format: one definition of every column, its HXL tag,
whether it is required and what it means, and how a cell is written. The
README's import section, the templates in data/templates/, `export-data` and
the dashboard's downloads all follow this module, so it sits on the ground
floor: data_access reads and writes files with it, components lay out exports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    hxl: str  # the HXL hashtag with attributes, e.g. "#country+code"
    required: bool
    meaning: str


RESULT_COLUMNS: tuple[Column, ...] = (
    Column(
        "indicator", "#indicator+code", True, "Indicator code from indicators.csv (or declared in the file)."
    ),
    Column(
        "country_iso3", "#country+code", False, "ISO 3166-1 alpha-3 code; empty for a programme-wide figure."
    ),
    Column(
        "period_start",
        "#date+start",
        True,
        "First day of the period: YYYY-MM-DD, or a year (YYYY = 1 January).",
    ),
    Column(
        "period_end", "#date+end", True, "Last day of the period: YYYY-MM-DD, or a year (YYYY = 31 December)."
    ),
    Column(
        "value", "#reached", True, "The figure as published: a number, dot for decimals, no thousands comma."
    ),
    Column(
        "qualifier",
        "#meta+qualifier",
        False,
        "exact (default), more_than, up_to or approx, as the source words it.",
    ),
    Column(
        "breakdown", "#meta+breakdown", False, "Breakdown dimension (sex, age_group); empty for the total."
    ),
    Column(
        "breakdown_value", "#meta+breakdown+value", False, "The breakdown's value (female, male, 0-17...)."
    ),
    Column("target", "#targeted", False, "Target for the same indicator, place and period, if any."),
    Column(
        "implementing_partner",
        "#org+impl",
        False,
        "Organisation that implemented the activity behind the figure.",
    ),
    Column("source_title", "#meta+source", True, "Title of the source document or page."),
    Column("source_url", "#meta+url", False, "Address of the source, if published online."),
    Column("source_quote", "#meta+quote", False, "The sentence of the source that states the figure."),
    Column(
        "source_note", "#meta+note", False, "Where the figure stands in the source, when there is no quote."
    ),
    Column(
        "source_note_fr",
        "#meta+note+fr",
        False,
        "The same note in French, for French pages (which show the English note where it is empty).",
    ),
    Column(
        "source_note_ar",
        "#meta+note+ar",
        False,
        "The same note in Arabic, for Arabic pages (which show the English note where it is empty).",
    ),
    Column(
        "source_title_ar",
        "#meta+source+ar",
        False,
        "The source's title in Arabic, where the source has one (else the title is shown as given).",
    ),
)

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column(
        "key", "#activity+code", False, "Stable identifier; derived from country, year and text when empty."
    ),
    Column("country_iso3", "#country+code", False, "ISO 3166-1 alpha-3 code; empty for programme-wide."),
    Column("year", "#date+year", True, "Year of the activity (YYYY)."),
    Column("theme", "#sector", True, "Theme code, e.g. mhpss, livelihoods, awareness (see the README)."),
    Column(
        "partners",
        "#org+impl",
        False,
        "Partner names separated by ';' (existing partners, or declared below).",
    ),
    Column(
        "partner_types",
        "#org+type",
        False,
        "For new partners, their types separated by ';' in the same order.",
    ),
    Column("description_en", "#description+en", True, "What was done, in English."),
    Column("description_fr", "#description+fr", True, "What was done, in French."),
    Column(
        "description_ar",
        "#description+ar",
        False,
        "What was done, in Arabic (Arabic pages show the English text where it is empty).",
    ),
    Column("source_title", "#meta+source", True, "Title of the source document or page."),
    Column("source_url", "#meta+url", False, "Address of the source, if published online."),
    Column("source_quote", "#meta+quote", False, "The sentence of the source that describes the activity."),
    Column(
        "source_title_ar",
        "#meta+source+ar",
        False,
        "The source's title in Arabic, where the source has one (else the title is shown as given).",
    ),
)

INDICATOR_COLUMNS = (
    "code",
    "name_en",
    "name_fr",
    "unit",
    "theme",
    "summable",
    "headline",
    "definition_en",
    "definition_fr",
    "sensitive",
    "name_ar",
    "definition_ar",
)
COUNTRY_COLUMNS = ("iso3", "name_en", "name_fr", "name_ar", "region")

# HXL files from other pipelines often put sex disaggregation in columns
# (#reached+f, #reached+m): these become rows with breakdown sex=female/male.
HXL_SEX_ATTRIBUTES = {"f": "female", "m": "male"}

# Cells starting with these run as formulas in spreadsheets: export prefixes
# them with an apostrophe, import removes it again.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` on import, so export -> import round-trips exactly."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def plain_number(value: float) -> str:
    """7000.0 -> '7000', 1e-05 -> '0.00001': never an exponent, which import refuses."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f") if math.isfinite(value) else str(value)
