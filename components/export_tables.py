"""Datasets as files: CSV with an HXL hashtag row, and typed Excel workbooks.

Pure functions: query frames in, bytes out. Every figure keeps its qualifier,
period, breakdown and source (title, URL, quote, note). In English, column
names are the stable machine names (the same as the import format where one
exists); in another language they are headers in that language, and a column
of codes says so ("Indicateur (code)") beside the column of names. Either way
the second row carries HXL hashtags, the same in every language, so
humanitarian tools (and scripts) read every file alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from components.formatting import format_figure
from components.i18n import N_, get_translator, text_direction
from components.labels import BREAKDOWN_VALUES, PARTNER_TYPES, THEMES, UNITS, label
from model.file_format import ACTIVITY_COLUMNS, RESULT_COLUMNS, neutralise, plain_number
from model.suppression import FEWER_THAN

BLUE = "FF0B4F8A"  # ARGB, opaque: the dashboard's blue
# The import format's HXL tags, reused where a column means the same thing.
_IMPORT_TAGS = {c.name: c.hxl for c in ACTIVITY_COLUMNS} | {c.name: c.hxl for c in RESULT_COLUMNS}
SOURCE_HEADERS = ("source_title", "source_url", "rows_citing")
FILTER_HEADERS = ("filter", "value")
# What each column is called in a file in another language than English.
COLUMN_LABELS = {
    "indicator": N_("Indicator (code)"),
    "indicator_name": N_("Indicator"),
    "country_iso3": N_("Country (ISO3 code)"),
    "country_name": N_("Country"),
    "scope": N_("Scope (code)"),
    "period_start": N_("Period start"),
    "period_end": N_("Period end"),
    "value": N_("Value"),
    "qualifier": N_("Qualifier (code)"),
    "figure": N_("Figure"),
    "unit": N_("Unit"),
    "breakdown": N_("Breakdown (code)"),
    "breakdown_value": N_("Breakdown value"),
    "target": N_("Target"),
    "source_title": N_("Source"),
    "source_url": N_("Source URL"),
    "source_quote": N_("Source quote"),
    "source_note": N_("Source note"),
    "sources": N_("Sources stating it"),
    "figures": N_("Figures"),
    "activities": N_("Partner activities"),
    "partners": N_("Partners"),
    "key": N_("Key (code)"),
    "name": N_("Name"),
    "acronym": N_("Acronym"),
    "type": N_("Type (code)"),
    "type_name": N_("Type"),
    "countries": N_("Countries (ISO3 codes)"),
    "country_names": N_("Countries"),
    "themes": N_("Themes (codes)"),
    "theme_names": N_("Themes"),
    "year": N_("Year"),
    "theme": N_("Theme (code)"),
    "theme_name": N_("Theme"),
    "description": N_("Description"),
    "rows_citing": N_("Rows citing it"),
    "filter": N_("Filter"),
    "suppressed": N_("Suppressed for the public"),
    "visibility": N_("Visibility"),
}
# The sheets of a workbook beside the data, by their English name.
SHEET_NAMES = {"sources": N_("sources"), "filters": N_("filters")}


@dataclass(frozen=True)
class ExportColumn:
    """One column of an exported dataset."""

    name: str
    hxl: str
    kind: str = "text"  # text | number | integer | date
    width: int = 16  # Excel column width, in characters
    label: str = ""  # its header in another language (a msgid); COLUMN_LABELS by default


@dataclass(frozen=True)
class Table:
    """A dataset ready to write: columns and rows of Python values (None = empty)."""

    name: str
    columns: tuple[ExportColumn, ...]
    rows: tuple[tuple, ...]


def _col(
    name: str, hxl: str | None = None, kind: str = "text", width: int = 16, label: str = ""
) -> ExportColumn:
    return ExportColumn(name, hxl or _IMPORT_TAGS[name], kind, width, label)


def header(name: str, lang: str, label: str = "") -> str:
    """A column's header: its machine name in English, its translated label otherwise."""
    if lang == "en":
        return name
    msgid = label or COLUMN_LABELS.get(name)
    return get_translator(lang)(msgid) if msgid else name


def sheet_name(name: str, lang: str) -> str:
    """A workbook sheet's name in `lang`, within Excel's 31 characters."""
    if lang != "en" and name in SHEET_NAMES:
        name = get_translator(lang)(SHEET_NAMES[name])
    return name[:31]


RESULT_EXPORT_COLUMNS = (
    _col("indicator", width=28),
    _col("indicator_name", "#indicator+name", width=36),
    _col("country_iso3", width=8),
    _col("country_name", "#country+name", width=16),
    _col("period_start", kind="date", width=12),
    _col("period_end", kind="date", width=12),
    _col("value", kind="number", width=12),
    _col("qualifier", width=11),
    _col("figure", "#meta+figure", width=20),
    _col("unit", "#indicator+unit", width=12),
    _col("breakdown", width=11),
    _col("breakdown_value", width=11),
    _col("target", kind="number", width=10),
    _col("source_title", width=40),
    _col("source_url", width=40),
    _col("source_quote", width=60),
    _col("source_note", width=40),
    # Small-cell suppression (model/suppression.py): 1 where the figure is a small count
    # hidden from the public (whose file then says "<10" in `value`, never the number).
    _col("suppressed", "#meta+suppressed", width=11),
)
COVERAGE_EXPORT_COLUMNS = (
    _col("country_iso3", width=8),
    _col("country_name", "#country+name", width=18),
    _col("figures", "#indicator+figures+num", kind="integer", width=10),
    _col("activities", "#activity+num", kind="integer", width=10),
    _col("partners", "#org+num", kind="integer", width=10, label=N_("Partners named")),
)


# The explorer's rows: the result columns with the place's scope (country or programme-wide).
EXPLORER_EXPORT_COLUMNS = (
    RESULT_EXPORT_COLUMNS[:4]
    + (_col("scope", "#meta+scope", width=11),)
    + RESULT_EXPORT_COLUMNS[4:]
    + (_col("sources", "#meta+sources+num", kind="integer", width=9),)
)
PARTNER_EXPORT_COLUMNS = (
    _col("key", "#org+code", width=28),
    _col("name", "#org+name", width=40),
    _col("acronym", "#org+acronym", width=12),
    _col("type", "#org+type+code", width=16),
    _col("type_name", "#org+type+name", width=24),
    _col("countries", "#country+code+list", width=24),
    _col("country_names", "#country+name+list", width=40),
    _col("activities", "#activity+num", kind="integer", width=10),
    _col("themes", "#sector+code+list", width=30),
    _col("theme_names", "#sector+name+list", width=40),
)
LIST_SEPARATOR = "; "


def activity_export_columns(lang: str) -> tuple[ExportColumn, ...]:
    """Activity columns; the description is tagged with its language (#description+fr),
    except in Arabic, where a description without Arabic text yet is given in English
    (the page marks it; a file cannot, so its tag names no language)."""
    tag = "#description" if lang == "ar" else f"#description+{lang}"
    return (
        _col("key", width=28),
        _col("country_iso3", width=8),
        _col("country_name", "#country+name", width=16),
        _col("year", kind="integer", width=8),
        _col("theme", width=20),
        _col("theme_name", "#sector+name", width=24),
        _col("description", tag, width=80),
        _col("partners", "#org+impl", width=40),
        _col("source_title", width=40),
        _col("source_url", width=40),
        _col("source_quote", width=60),
    )


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _exported_value(row) -> float | str:
    """The number, or for a small count hidden from the public "<10" (the frame
    then holds the threshold as its value and FEWER_THAN as its qualifier)."""
    if row.qualifier == FEWER_THAN:
        return f"<{plain_number(float(row.value))}"
    return float(row.value)


# Staff files only (issue 15): whether each row is published ("public") or not
# ("internal"). Frames read for the public have no `internal` column, and their
# files no such column: the public's files are exactly as before.
VISIBILITY_COLUMN = _col("visibility", "#meta+visibility", width=10)


def with_visibility(table: Table, frame: pd.DataFrame) -> Table:
    """`table` with a last column `visibility` when `frame` (its rows, in order)
    was read for an audience that sees internal rows; else `table` as it is."""
    if "internal" not in frame.columns:
        return table
    flags = ["internal" if bool(flag) else "public" for flag in frame["internal"]]
    rows = tuple(row + (flag,) for row, flag in zip(table.rows, flags, strict=True))
    return Table(table.name, (*table.columns, VISIBILITY_COLUMN), rows)


def results_dataset(name: str, frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> Table:
    """Rows of `queries.programme_results` / `country_results` / `country_level_results`
    (and their visibility, for staff)."""
    return with_visibility(_results_table(name, frame, lang, t), frame)


def _results_table(name: str, frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> Table:
    rows = []
    for r in frame.itertuples():
        breakdown_value = r.breakdown_value or None
        if breakdown_value in BREAKDOWN_VALUES:
            breakdown_value = t(BREAKDOWN_VALUES[breakdown_value])
        rows.append(
            (
                r.indicator_code,
                r.indicator_name,
                r.country_iso3 or None,
                r.country_name or None,
                r.period_start,
                r.period_end,
                _exported_value(r),
                r.qualifier,
                format_figure(r.value, r.qualifier, r.unit, lang),
                label(UNITS, r.unit, t),
                r.breakdown_dim or None,
                breakdown_value,
                _number(r.target),
                r.source_title,
                _text(r.source_url),
                _text(r.source_quote),
                _text(r.source_note),
                bool(getattr(r, "suppressed", False)),
            )
        )
    return Table(name, RESULT_EXPORT_COLUMNS, tuple(rows))


def explorer_dataset(name: str, frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> Table:
    """Rows of `explorer.explorer_results`, in the order given (the page's sort):
    the result columns, the place's scope and how many sources state the figure."""
    results = _results_table(name, frame, lang, t)
    rows = tuple(
        row[:4] + ("programme" if scope == "programme" else "country",) + row[4:] + (int(sources),)
        for row, scope, sources in zip(results.rows, frame.scope, frame.sources, strict=True)
    )
    return with_visibility(Table(name, EXPLORER_EXPORT_COLUMNS, rows), frame)


def partners_dataset(name: str, entries: Sequence, t: Callable[[str], str]) -> Table:
    """Rows of `partners.partner_directory` (PartnerEntry): lists joined with '; ',
    programme-wide activities written as 'programme' / the translated label."""
    rows = []
    for e in entries:
        codes = [iso3 or "programme" for iso3, _ in e.countries]
        names = [name_ or t("Programme-wide") for _, name_ in e.countries]
        rows.append(
            (
                e.key,
                e.name,
                _text(e.acronym),
                e.type,
                label(PARTNER_TYPES, e.type, t),
                LIST_SEPARATOR.join(codes) or None,
                LIST_SEPARATOR.join(names) or None,
                int(e.activities),
                LIST_SEPARATOR.join(e.themes) or None,
                LIST_SEPARATOR.join(label(THEMES, th, t) for th in e.themes) or None,
            )
        )
    return Table(name, PARTNER_EXPORT_COLUMNS, tuple(rows))


def coverage_dataset(name: str, frame: pd.DataFrame) -> Table:
    """Rows of `queries.country_coverage`."""
    rows = tuple(
        (r.iso3, r.name, int(r.figures), int(r.activities), int(r.partners)) for r in frame.itertuples()
    )
    return Table(name, COVERAGE_EXPORT_COLUMNS, rows)


def activities_dataset(name: str, frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> Table:
    """Rows of `queries.activities` (and their visibility, for staff)."""
    rows = tuple(
        (
            r.key,
            r.country_iso3 or None,
            r.country_name or None,
            int(r.year),
            r.theme,
            label(THEMES, r.theme, t),
            r.description,
            _text(r.partners),
            r.source_title,
            _text(r.source_url),
            _text(r.source_quote),
        )
        for r in frame.itertuples()
    )
    return with_visibility(Table(name, activity_export_columns(lang), rows), frame)


def sources_of(table: Table) -> list[tuple[str, str | None, int]]:
    """Each source the table cites once: (title, url, rows citing it), in first-cited order."""
    names = [c.name for c in table.columns]
    if "source_title" not in names:
        return []
    title_at, url_at = names.index("source_title"), names.index("source_url")
    counts: dict[tuple[str, str | None], int] = {}
    for row in table.rows:
        key = (row[title_at], row[url_at])
        counts[key] = counts.get(key, 0) + 1
    return [(title, url, n) for (title, url), n in counts.items()]


# --- CSV ---------------------------------------------------------------------------------------


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return plain_number(float(value))
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(table: Table, lang: str = "en") -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the accents), header row in
    `lang`, HXL row, data.

    Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header(c.name, lang, c.label) for c in table.columns])
    writer.writerow([c.hxl for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- Excel -------------------------------------------------------------------------------------


def _sheet_title(name: str) -> str:
    """`name` as Excel accepts a sheet's name: none of []:*?/\\, at most 31 characters."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()[:31] or "data"


def _styled_header(sheet, names: Sequence[str], hxl: Sequence[str] | None, widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(list(names))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=BLUE)
        cell.alignment = Alignment(vertical="center")
    if hxl is not None:
        sheet.append(list(hxl))
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="495057")
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3" if hxl is not None else "A2"  # a string: sheet.cell() would add a row


def _append_typed(sheet, values: Sequence[object], kinds: Sequence[str]) -> None:
    """One row: numbers and dates keep their type; text is never read as a formula."""
    sheet.append(list(values))
    row = sheet.max_row
    for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
        cell = sheet.cell(row=row, column=col)
        if kind == "date" and value is not None:
            cell.number_format = "yyyy-mm-dd"
        elif kind == "number" and value is not None:
            cell.number_format = "#,##0.##"
        elif kind == "integer" and value is not None:
            cell.number_format = "0"
        elif isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # openpyxl would otherwise store it as a formula


def to_xlsx(table: Table, filters: Sequence[tuple[str, object]], lang: str = "en", title: str = "") -> bytes:
    """A workbook: the data (styled header, HXL row, typed cells), the sources it
    cites, and the filters and export date that produced it; headers and sheet
    names in `lang` (the data sheet is named `title` when given), every sheet
    shown right to left (column A on the right) in a right-to-left language."""
    from openpyxl import Workbook

    book = Workbook()
    data = book.active
    data.title = _sheet_title(title or table.name)
    kinds = [c.kind for c in table.columns]
    _styled_header(
        data,
        [header(c.name, lang, c.label) for c in table.columns],
        [c.hxl for c in table.columns],
        [c.width for c in table.columns],
    )
    for row in table.rows:
        _append_typed(data, row, kinds)

    sources = book.create_sheet(sheet_name("sources", lang))
    _styled_header(sources, [header(h, lang) for h in SOURCE_HEADERS], None, (60, 60, 12))
    for title, url, count in sources_of(table):
        _append_typed(sources, (title, url, count), ("text", "text", "integer"))

    sheet = book.create_sheet(sheet_name("filters", lang))
    _styled_header(sheet, [header(h, lang) for h in FILTER_HEADERS], None, (24, 80))
    for name, value in filters:
        _append_typed(sheet, (name, value), ("text", "date" if isinstance(value, date) else "text"))

    if text_direction(lang) == "rtl":
        for each in book.worksheets:
            each.sheet_view.rightToLeft = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
