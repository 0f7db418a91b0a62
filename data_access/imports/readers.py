"""Read CSV (UTF-8, with or without BOM, comma, semicolon or tab) and Excel files
as rows of text cells, find the header and HXL rows, and map columns to ours.

Readers stream: a file of a million rows is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

from data_access.imports.problems import Problems
from model.file_format import ACTIVITY_COLUMNS, HXL_SEX_ATTRIBUTES, RESULT_COLUMNS, Column, plain_number

HEADER_SCAN_ROWS = 5
MIB = 1024 * 1024


class FileRefused(Exception):
    """The file cannot be read at all; the message says why, in plain words."""


@dataclass(frozen=True)
class ReadLimits:
    """What a reader holds in memory at most (IMPORT_MAX_* settings).

    openpyxl parses every part of a workbook but its sheets whole (the shared
    strings above all, even in read-only mode), taking several times the part's
    size; sheets are streamed. The csv module reads a whole physical line before
    it checks a cell's size. Both are bounded here, before the parser sees the data.
    """

    csv_line_chars: int = 2_000_000
    csv_cell_chars: int = 1_000_000
    xlsx_part_bytes: int = 4 * MIB  # a part parsed whole (xl/sharedStrings.xml...)
    xlsx_sheet_bytes: int = 256 * MIB  # a sheet, streamed
    xlsx_total_bytes: int = 512 * MIB
    xlsx_ratio: int = 200


@dataclass(frozen=True)
class Mapping:
    """Where each of our columns sits in the file (HXL sex columns become breakdowns)."""

    kind: str  # "results" | "activities"
    index: dict[str, int]  # our column name -> position
    # (position, sex) for HXL columns such as #reached+f: extra rows per file row
    value_by_sex: tuple[tuple[int, str], ...] = ()
    target_by_sex: tuple[tuple[int, str], ...] = ()
    first_data_row: int = 2  # 1-based line number of the first data row


@dataclass
class Sheet:
    """A table of text cells read from a file or a workbook sheet."""

    name: str
    rows: Iterator[tuple[int, list[str]]]  # (1-based line number, cells)
    preview: list[tuple[int, list[str]]] = field(default_factory=list)
    # Share of the file read so far (0..1), when the reader can tell.
    fraction: Callable[[], float | None] = lambda: None


# --- CSV --------------------------------------------------------------------------


def _encoding_problem(raw: bytes, position: int) -> str:
    line = raw[:position].count(b"\n") + 1
    byte = raw[position : position + 1].hex().upper()
    guess = ""
    try:
        raw.decode("cp1252")
        guess = " It looks like Windows-1252 (Latin-1), the default of older Excel versions."
    except UnicodeDecodeError:
        pass
    return (
        f"The file is not UTF-8 text: byte 0x{byte} on line {line} is not valid UTF-8.{guess} "
        "Save it as \u201cCSV UTF-8\u201d (Excel) or choose UTF-8 as the character set "
        "(LibreOffice), then import it again."
    )


def _check_encoding_start(head: bytes) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused("The file is UTF-16 text. Save it as \u201cCSV UTF-8\u201d and import it again.")
    if b"\x00" in head:
        raise FileRefused("The file contains NUL bytes: it is not a text CSV file.")


def _dialect(sample: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab, as the sample suggests. Quotes are always double
    quotes, doubled inside a cell, as Excel and LibreOffice write them: the sniffer
    would take the apostrophe of an exported '=cell for a quote character, and
    decide "no doubled quotes" from a sample that merely has none."""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    widths = {candidate: _width(first, candidate) for candidate in ",;\t"}
    try:
        # The sniffer's quote patterns end at "\n": Excel's "\r\n" defeats them.
        sniffed = csv.Sniffer().sniff(sample.replace("\r\n", "\n"), delimiters=",;\t")
        delimiter, skip_space = sniffed.delimiter, sniffed.skipinitialspace
    except csv.Error:
        delimiter, skip_space = max(",;\t", key=widths.__getitem__), False
    if widths.get(delimiter, 0) < max(widths.values()):
        # The sniffer guessed from apostrophes in the data (a partner named ";'"):
        # the header row, with double quotes only, says which character splits it.
        delimiter, skip_space = max(",;\t", key=widths.__getitem__), False
    return type("ImportDialect", (csv.excel,), {"delimiter": delimiter, "skipinitialspace": skip_space})


def _width(line: str, delimiter: str) -> int:
    """How many cells `line` has when split by `delimiter` (double quotes honoured)."""
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _bounded_lines(text: io.TextIOBase, limit: int, counted: Callable[[], int]) -> Iterator[str]:
    """The physical lines of `text`, refusing one longer than `limit` characters
    after reading at most `limit` of it (csv.reader would hold the whole line)."""
    while line := text.readline(limit + 1):
        if len(line) > limit:
            raise FileRefused(
                f"Line {counted() + 1} is longer than {limit} characters (IMPORT_MAX_CSV_LINE_CHARS): "
                "this is not a CSV file of rows, or a cell holds a whole document."
            )
        yield line


def read_csv(path: Path, limits: ReadLimits | None = None) -> Sheet:
    """Open a UTF-8 CSV file as a streaming sheet; refuse other encodings clearly."""
    limits = limits or ReadLimits()
    with path.open("rb") as handle:
        head = handle.read(256 * 1024)
    _check_encoding_start(head)
    try:
        sample = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a multi-byte character cut by the sample
            raise FileRefused(_encoding_problem(head, exc.start)) from None
        sample = head[: exc.start].decode("utf-8-sig")
    dialect = _dialect(sample[: 64 * 1024])
    size = max(path.stat().st_size, 1)
    position = [0]

    def rows() -> Iterator[tuple[int, list[str]]]:
        with path.open("rb") as raw:
            position[0] = 0
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
            # The limit is the csv module's global; every reader of ours sets it.
            csv.field_size_limit(limits.csv_cell_chars)
            reader = csv.reader(_bounded_lines(text, limits.csv_line_chars, lambda: reader.line_num), dialect)
            try:
                for cells in reader:
                    if reader.line_num % 4096 == 0:
                        position[0] = raw.tell()
                    yield reader.line_num, cells
                position[0] = size
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"The file is not UTF-8 text after line {reader.line_num}: byte "
                    f"0x{exc.object[exc.start : exc.start + 1].hex().upper()} is not valid UTF-8. "
                    "Save it as \u201cCSV UTF-8\u201d and import it again."
                ) from None
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileRefused(
                        f"Line {reader.line_num} has a cell longer than {limits.csv_cell_chars} "
                        "characters (IMPORT_MAX_CSV_CELL_CHARS)."
                    ) from None
                raise FileRefused(f"Line {reader.line_num} is not valid CSV: {exc}.") from None

    return Sheet(name=path.name, rows=rows(), fraction=lambda: min(position[0] / size, 1.0))


# --- Excel ------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return plain_number(value)
    return str(value)


WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _part_refused(part: zipfile.ZipInfo, limit: int, name: str) -> FileRefused:
    return FileRefused(
        f"The workbook part {part.filename} unpacks to {part.file_size} bytes, more than the limit of "
        f"{limit} bytes ({name}). Save large tables as CSV UTF-8, which is read a line at a time."
    )


def _small_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: ReadLimits):
    if part.file_size > limits.xlsx_part_bytes:
        raise _part_refused(part, limits.xlsx_part_bytes, "IMPORT_MAX_XLSX_PART_BYTES")
    try:
        return ElementTree.fromstring(archive.read(part))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return None  # openpyxl reports the broken workbook


def _streamed_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limits: ReadLimits) -> set[str]:
    """The parts openpyxl's read-only mode streams: declared worksheets that no
    relationship of another type (styles, shared strings...) points at. The
    manifest and relationships decide, not the names: a part named like a sheet
    may be read whole."""
    declared, read_whole = set(), set()
    for part in parts:
        name = part.filename
        if name == "[Content_Types].xml" and (root := _small_xml(archive, part, limits)) is not None:
            for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
                target = override.get("PartName", "").lstrip("/")
                (declared.add if override.get("ContentType") == WORKSHEET_TYPE else read_whole.add)(target)
        elif name.endswith(".rels") and (root := _small_xml(archive, part, limits)) is not None:
            base = posixpath.dirname(posixpath.dirname(name))
            for rel in root.iter(f"{RELATIONSHIPS_NS}Relationship"):
                if rel.get("TargetMode") == "External" or rel.get("Type", "").endswith("/worksheet"):
                    continue
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                read_whole.add(posixpath.normpath(path))
    return declared - read_whole


def check_workbook_parts(path: Path, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts inflate beyond the limits, reading only the
    zip directory, the manifest and the relationships: a few MB of deflated XML
    can expand to gigabytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            streamed = _streamed_parts(archive, parts, limits)
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says the file is not a readable workbook
    total = 0
    for part in parts:
        size = part.file_size
        total += size
        limit, name = (
            (limits.xlsx_sheet_bytes, "IMPORT_MAX_XLSX_SHEET_BYTES")
            if part.filename in streamed
            else (limits.xlsx_part_bytes, "IMPORT_MAX_XLSX_PART_BYTES")
        )
        if size > limit:
            raise _part_refused(part, limit, name)
        if size > MIB and size > limits.xlsx_ratio * max(part.compress_size, 1):
            raise FileRefused(
                f"The workbook part {part.filename} unpacks to {size} bytes from "
                f"{part.compress_size}: more than {limits.xlsx_ratio} times its packed size "
                "(IMPORT_MAX_XLSX_RATIO); this is not how Excel writes a sheet."
            )
    if total > limits.xlsx_total_bytes:
        raise FileRefused(
            f"The workbook unpacks to {total} bytes, more than the limit of "
            f"{limits.xlsx_total_bytes} bytes (IMPORT_MAX_XLSX_TOTAL_BYTES)."
        )


def read_workbook(path: Path, limits: ReadLimits | None = None) -> dict[str, Sheet]:
    """Every sheet of an .xlsx file, by name, streaming its rows (openpyxl's
    read-only mode) once its parts are checked against `limits`."""
    from openpyxl import load_workbook

    check_workbook_parts(path, limits or ReadLimits())
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FileRefused(f"This is not a readable Excel (.xlsx) file ({type(exc).__name__}).") from None

    def rows(sheet) -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:  # read-only sheets are parsed as they are read: a broken one fails here
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(v) for v in values]
        except Exception as exc:
            raise FileRefused(
                f"Sheet \u201c{sheet.title}\u201d cannot be read after row {number} "
                f"({type(exc).__name__}): the Excel file is damaged."
            ) from None

    return {ws.title: Sheet(name=ws.title, rows=rows(ws)) for ws in book.worksheets}


# --- header and HXL row --------------------------------------------------------------


def _normal_name(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower().lstrip("\ufeff"))


def _is_hxl_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and sum(c.startswith("#") for c in filled) / len(filled) >= 0.5


def _parse_tag(text: str) -> tuple[str, frozenset[str]]:
    parts = [p for p in re.split(r"\s*\+\s*", text.strip().lower()) if p]
    return (parts[0] if parts else ""), frozenset(parts[1:])


def _hxl_match(tag: str, columns: tuple[Column, ...]) -> Column | None:
    """The most specific of our columns whose hashtag and attributes the tag carries."""
    base, attrs = _parse_tag(tag)
    best, best_size = None, -1
    for column in columns:
        c_base, c_attrs = _parse_tag(column.hxl)
        if c_base == base and c_attrs <= attrs and len(c_attrs) > best_size:
            best, best_size = column, len(c_attrs)
    return best


def _kind_of(names: set[str]) -> str | None:
    if "indicator" in names or "value" in names:
        return "results"
    if names & {"description_en", "description_fr", "partners", "theme"}:
        return "activities"
    return None


def _map_hxl(tags: list[str], problems: Problems, line: int) -> tuple[str | None, dict, list, list]:
    results: dict[str, int] = {}
    activities: dict[str, int] = {}
    value_by_sex, target_by_sex = [], []
    for position, tag in enumerate(tags):
        if not tag.strip():
            continue
        base, attrs = _parse_tag(tag)
        sex = next((HXL_SEX_ATTRIBUTES[a] for a in attrs if a in HXL_SEX_ATTRIBUTES), None)
        if sex and base in ("#reached", "#targeted"):
            (value_by_sex if base == "#reached" else target_by_sex).append((position, sex))
            continue
        matched_any = False
        for found, columns in ((results, RESULT_COLUMNS), (activities, ACTIVITY_COLUMNS)):
            column = _hxl_match(tag, columns)
            if column and column.name not in found:
                found[column.name] = position
                matched_any = True
        if not matched_any:
            problems.warn(
                line, f"column {position + 1}", tag, "ignored_column", "HXL tag not used by this import"
            )
    if "indicator" in results or value_by_sex:
        return "results", results, value_by_sex, target_by_sex
    if _kind_of(set(activities)) == "activities":
        return "activities", activities, [], []
    return None, {}, [], []


def _map_names(header: list[str], problems: Problems, line: int) -> tuple[str | None, dict]:
    names = {_normal_name(h): i for i, h in reversed(list(enumerate(header))) if h.strip()}
    kind = _kind_of(set(names))
    if kind is None:
        return None, {}
    columns = RESULT_COLUMNS if kind == "results" else ACTIVITY_COLUMNS
    known = {c.name for c in columns}
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f"; did you mean \u201c{close[0]}\u201d?" if close else ""
            problems.warn(line, name, name, "ignored_column", f"unknown column, ignored{hint}")
    return kind, {n: i for n, i in names.items() if n in known}


def find_mapping(sheet: Sheet, problems: Problems) -> Mapping | None:
    """Read the first rows of `sheet`, find its header (and HXL row), map columns.

    Missing required columns are reported here, with the closest name found.
    """
    preview = []
    for item in sheet.rows:
        preview.append(item)
        if len(preview) >= HEADER_SCAN_ROWS:
            break
    sheet.preview = preview
    if not any(any(c.strip() for c in cells) for _, cells in preview):
        problems.error(None, "", "", "empty_file", "The file is empty: there is no header row and no data.")
        return None
    hxl_at = next((i for i, (_, cells) in enumerate(preview) if _is_hxl_row(cells)), None)
    if hxl_at is not None:
        line, tags = preview[hxl_at]
        kind, index, by_sex, targets_by_sex = _map_hxl(tags, problems, line)
        first_data = hxl_at + 1
        header = preview[hxl_at - 1][1] if hxl_at else []  # free-text names above the tags
    else:
        header_at = next(i for i, (_, cells) in enumerate(preview) if any(c.strip() for c in cells))
        line, header = preview[header_at]
        kind, index = _map_names(header, problems, line)
        by_sex, targets_by_sex, first_data = [], [], header_at + 1
    if kind is None:
        problems.error(
            line,
            "",
            "",
            "unknown_format",
            "Cannot tell what this file holds: a results file needs an \u201cindicator\u201d column "
            "(#indicator+code), an activities file a \u201cdescription_en\u201d column (#description+en).",
        )
        return None
    columns = RESULT_COLUMNS if kind == "results" else ACTIVITY_COLUMNS
    # Suggest only header names that matched none of our columns (e.g. "indicatr").
    present = [name for name in map(_normal_name, header) if name and name not in index]
    for column in columns:
        if not column.required or column.name in index:
            continue
        if column.name == "value" and by_sex:
            continue
        close = difflib.get_close_matches(column.name, present, n=1, cutoff=0.6)
        hint = f" (found \u201c{close[0]}\u201d: misspelt?)" if close else ""
        problems.error(
            line,
            column.name,
            "",
            "missing_column",
            f"required column \u201c{column.name}\u201d ({column.hxl}) is missing{hint}",
        )
    if problems.errors:
        return None
    first_line = preview[first_data][0] if first_data < len(preview) else line + 1
    return Mapping(kind, index, tuple(by_sex), tuple(targets_by_sex), first_line)


def data_rows(sheet: Sheet, mapping: Mapping) -> Iterator[tuple[int, list[str]]]:
    """The data rows after the header (and HXL row); blank rows skipped."""

    def all_rows():
        yield from sheet.preview
        yield from sheet.rows

    for line, cells in all_rows():
        if line < mapping.first_data_row or not any(c.strip() for c in cells):
            continue
        yield line, cells
