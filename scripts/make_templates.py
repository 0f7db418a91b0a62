"""Write the import templates in data/templates/ from the column definitions.

Each template has the header row, the HXL row and two example rows taken from
the reference data, so importing an unedited template changes nothing. Run
after changing model/file_format.py:

    .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font, PatternFill  # noqa: E402

from config import REFERENCE_DIR  # noqa: E402
from data_access.engine import make_engine  # noqa: E402
from data_access.imports.export import activity_rows, header_rows, result_rows, write_csv  # noqa: E402
from data_access.loader import prepare_database  # noqa: E402
from model.file_format import ACTIVITY_COLUMNS, RESULT_COLUMNS, Column  # noqa: E402

OUT = ROOT / "data" / "templates"
RESULT_EXAMPLES = [
    ("migrants_reached_by_ambassadors", "LBY"),
    ("returnees_immediate_reintegration_support", "NGA"),
]
ACTIVITY_EXAMPLES = ["lby-belkhair-sports-club", "egy-scouts-choose-youth-path"]


def _examples(engine) -> tuple[list[list[str]], list[list[str]]]:
    results, wanted = [], list(RESULT_EXAMPLES)
    for row in result_rows(engine):
        if (row[0], row[1]) in wanted:
            wanted.remove((row[0], row[1]))
            results.append(row)
    activities = [row for row in activity_rows(engine) if row[0] in ACTIVITY_EXAMPLES]
    return results, activities


def _workbook(path: Path, name: str, columns: tuple[Column, ...], rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = name
    header, hxl = header_rows(columns)
    sheet.append(header)
    sheet.append(hxl)
    numeric = {"value", "target"}
    for row in rows:
        sheet.append([float(c) if n in numeric and c else c for n, c in zip(header, row, strict=True)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="555555")
    sheet.freeze_panes = "A3"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(14, min(40, len(column.name) + 6))
    doc = book.create_sheet("columns")
    doc.append(["column", "HXL tag", "required", "meaning"])
    for column in columns:
        doc.append([column.name, column.hxl, "yes" if column.required else "no", column.meaning])
    for cell in doc[1]:
        cell.font = Font(bold=True)
    doc.column_dimensions["D"].width = 90
    book.save(path)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'reference.db'}")
        prepare_database(engine, REFERENCE_DIR, loaded_by="templates")
        results, activities = _examples(engine)
        engine.dispose()
    write_csv(OUT / "results_template.csv", RESULT_COLUMNS, iter(results))
    write_csv(OUT / "activities_template.csv", ACTIVITY_COLUMNS, iter(activities))
    _workbook(OUT / "results_template.xlsx", "results", RESULT_COLUMNS, results)
    _workbook(OUT / "activities_template.xlsx", "activities", ACTIVITY_COLUMNS, activities)
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
