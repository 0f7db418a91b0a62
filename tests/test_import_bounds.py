"""Imports under abuse hold bounded memory: a workbook whose parts inflate to
hundreds of MB and a CSV of one endless line are refused before they are parsed,
the database unchanged, the importing process under 200 MB at its peak."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.engine import make_engine
from data_access.imports.importer import ImportOptions, import_file
from data_access.imports.readers import FileRefused, ReadLimits, check_workbook_parts
from data_access.loader import prepare_database
from tests.helpers import IN_CI

REPO = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"
PEAK_LIMIT_KB = 200 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="results" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    "</Relationships>"
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
)


def shared_strings_bomb(path: Path, unpacked_mb: float) -> Path:
    """A valid minimal workbook whose xl/sharedStrings.xml inflates to `unpacked_mb`
    MB of <si><t>BBBB</t></si>, written in chunks (the test holds ~1 MB at most).
    Tiny strings are the worst case: openpyxl keeps a Python string per item."""
    item = b"<si><t>BBBB</t></si>"
    chunk = item * (1024 * 1024 // len(item))
    whole, rest = int(unpacked_mb), unpacked_mb - int(unpacked_mb)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(whole):
                part.write(chunk)
            part.write(item * int(rest * len(chunk) / len(item)))
            part.write(b"</sst>")
    return path


def endless_line_csv(path: Path, megabytes: int) -> Path:
    """A results header, then `megabytes` MB of one line without a line break."""
    chunk = b"A" * (1024 * 1024)
    with path.open("wb") as handle:
        handle.write(b"indicator,country,year,value,source\n")
        for _ in range(megabytes):
            handle.write(chunk)
    return path


def row_counts(database: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in s.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def time_tool() -> str:
    if not os.access(TIME, os.X_OK):
        message = f"{TIME} is missing (Debian's package time: apt-get install -y time)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return TIME


def import_measured(database: Path, path: Path, **env: str) -> tuple[subprocess.CompletedProcess, int]:
    """`flask import-data path` under /usr/bin/time -v: the process and its peak RSS (KB)."""
    result = subprocess.run(
        [time_tool(), "-v", sys.executable, "-m", "flask", "--app", "app", "import-data", str(path)],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert peak, result.stderr[-2000:]
    return result, int(peak.group(1))


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "bounds.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    engine.dispose()
    return path


@pytest.fixture
def big_dir(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_shared_strings_bomb_is_refused_in_bounded_memory(database, big_dir):
    bomb = shared_strings_bomb(big_dir / "bomb.xlsx", unpacked_mb=300)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    before = row_counts(database)
    result, peak_kb = import_measured(database, bomb)
    assert peak_kb < PEAK_LIMIT_KB, f"peak RSS {peak_kb} KB"
    assert result.returncode == 1
    assert "xl/sharedStrings.xml" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(database) == before


def test_shared_strings_just_under_the_part_limit_are_read_in_bounded_memory(database, tmp_path):
    """The default IMPORT_MAX_XLSX_PART_BYTES is what keeps openpyxl's whole parse
    of the shared strings under 200 MB: a part just under it (the ratio check off)
    is parsed, then the file refused for what it holds."""
    under = ReadLimits().xlsx_part_bytes / (1024 * 1024) - 0.1
    workbook = shared_strings_bomb(tmp_path / "under.xlsx", unpacked_mb=under)
    before = row_counts(database)
    result, peak_kb = import_measured(database, workbook, IMPORT_MAX_XLSX_RATIO="1000000")
    assert peak_kb < PEAK_LIMIT_KB, f"peak RSS {peak_kb} KB"
    assert result.returncode == 1 and "unknown_format" in result.stdout + result.stderr
    assert row_counts(database) == before


def test_csv_line_without_a_break_is_refused_in_bounded_memory(database, big_dir):
    endless = endless_line_csv(big_dir / "endless.csv", megabytes=110)
    before = row_counts(database)
    result, peak_kb = import_measured(database, endless)
    assert peak_kb < PEAK_LIMIT_KB, f"peak RSS {peak_kb} KB"
    assert result.returncode == 1
    assert "IMPORT_MAX_CSV_LINE_CHARS" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(database) == before


def test_workbook_part_limits_name_the_part(writable_sqlite, tmp_path):
    bomb = shared_strings_bomb(tmp_path / "small_bomb.xlsx", unpacked_mb=5)
    for limits, words in (
        (ReadLimits(xlsx_part_bytes=2 * 1024 * 1024, xlsx_ratio=10**6), "IMPORT_MAX_XLSX_PART_BYTES"),
        (
            ReadLimits(xlsx_total_bytes=2 * 1024 * 1024, xlsx_part_bytes=10 * 1024 * 1024, xlsx_ratio=10**6),
            "IMPORT_MAX_XLSX_TOTAL_BYTES",
        ),
        (ReadLimits(xlsx_ratio=10**6), "IMPORT_MAX_XLSX_PART_BYTES"),  # the default limit, 4 MiB
        (ReadLimits(xlsx_ratio=10, xlsx_part_bytes=10 * 1024 * 1024), "IMPORT_MAX_XLSX_RATIO"),
    ):
        outcome = import_file(writable_sqlite, bomb, ImportOptions(limits=limits, write_report=False))
        message = " ".join(p.message for p in outcome.problems.kept)
        assert not outcome.ok and not outcome.written
        assert words in message
        if "TOTAL" not in words:
            assert "xl/sharedStrings.xml" in message


def _with_manifest(path: Path, sheet_part: str, strings_part: str, size: int) -> Path:
    """A workbook whose manifest declares `sheet_part` a worksheet and `strings_part`
    the shared strings; the sheet part holds `size` bytes."""
    manifest = CONTENT_TYPES.replace("/xl/worksheets/sheet1.xml", "/" + sheet_part).replace(
        "/xl/sharedStrings.xml", "/" + strings_part
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", manifest)
        archive.writestr(sheet_part, b"<row/>" * (size // 6))
    return path


def test_sheets_are_held_to_the_sheet_limit_and_the_rest_to_the_part_limit(tmp_path):
    generous = ReadLimits(xlsx_ratio=10**6)
    sheet = _with_manifest(
        tmp_path / "sheet.xlsx", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", 6 * 2**20
    )
    check_workbook_parts(sheet, generous)  # streamed: 6 MB is fine
    with pytest.raises(FileRefused, match="xl/worksheets/sheet1.xml.*IMPORT_MAX_XLSX_SHEET_BYTES"):
        check_workbook_parts(sheet, ReadLimits(xlsx_sheet_bytes=2**20, xlsx_ratio=10**6))
    # Shared strings named like a sheet are still parsed whole by openpyxl: the part limit holds.
    disguised = _with_manifest(
        tmp_path / "disguised.xlsx", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", 6 * 2**20
    )
    with pytest.raises(FileRefused, match="xl/worksheets/sheet1.xml.*IMPORT_MAX_XLSX_PART_BYTES"):
        check_workbook_parts(disguised, generous)


def test_long_cell_is_refused_with_the_limit_named(writable_sqlite, tmp_path):
    path = tmp_path / "long_cell.csv"
    path.write_text("indicator,country,year,value,source\n" + '"' + "x" * 5000 + '",NER,2022,1,s\n')
    outcome = import_file(
        writable_sqlite, path, ImportOptions(limits=ReadLimits(csv_cell_chars=1000), write_report=False)
    )
    message = " ".join(p.message for p in outcome.problems.kept)
    assert not outcome.written
    assert "IMPORT_MAX_CSV_CELL_CHARS" in message and "Line 2" in message


@pytest.mark.parametrize("template", sorted((REPO / "data" / "templates").glob("*.xlsx")))
def test_real_templates_pass_the_workbook_limits_with_room(template):
    limits = ReadLimits()
    with zipfile.ZipFile(template) as archive:
        parts = archive.infolist()
    assert max(p.file_size for p in parts) * 100 < limits.xlsx_part_bytes  # 10 KB theme
    assert sum(p.file_size for p in parts) * 100 < limits.xlsx_total_bytes
