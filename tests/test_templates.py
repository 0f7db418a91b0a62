"""The import templates follow the column definitions and import as they are."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from data_access.imports.importer import ImportOptions, import_file
from model.file_format import ACTIVITY_COLUMNS, RESULT_COLUMNS
from tests.helpers import REPO

TEMPLATES = REPO / "data" / "templates"
CASES = [
    ("results_template", RESULT_COLUMNS, "results"),
    ("activities_template", ACTIVITY_COLUMNS, "activities"),
]


@pytest.mark.parametrize("name, columns, _kind", CASES)
def test_csv_template_has_header_hxl_row_and_two_examples(name, columns, _kind):
    with (TEMPLATES / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [c.name for c in columns]
    assert rows[1] == [c.hxl for c in columns]
    assert len(rows) == 4


@pytest.mark.parametrize("name, columns, kind", CASES)
def test_xlsx_template_matches_and_documents_every_column(name, columns, kind):
    book = load_workbook(TEMPLATES / f"{name}.xlsx", read_only=True)
    data = [list(r) for r in book[kind].iter_rows(values_only=True)]
    assert data[0] == [c.name for c in columns] and data[1] == [c.hxl for c in columns]
    assert len(data) == 4
    documented = [r[0] for r in book["columns"].iter_rows(min_row=2, values_only=True)]
    assert documented == [c.name for c in columns]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("name, _columns, kind", CASES)
def test_unedited_template_imports_and_changes_nothing(writable_sqlite, name, _columns, kind, suffix):
    outcome = import_file(writable_sqlite, TEMPLATES / f"{name}.{suffix}", ImportOptions(write_report=False))
    assert outcome.ok, [p.line() for p in outcome.problems.kept]
    counts = getattr(outcome, kind)
    assert (counts.rows, counts.added, counts.unchanged) == (2, 0, 2)
    assert not outcome.written


def test_readme_documents_every_import_column_and_setting():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for column in RESULT_COLUMNS + ACTIVITY_COLUMNS:
        assert f"| `{column.name}` | `{column.hxl}` |" in readme, column.name
    for variable in ("IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS", "DATABASE_URL", "CACHE_REDIS_URL"):
        assert f"`{variable}`" in readme
