"""Write the database in the import format, so that export -> import of an
unchanged database changes nothing. Cells that a spreadsheet would run as a
formula are neutralised with a leading apostrophe (import removes it)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, select

from data_access import schema as s
from model.file_format import ACTIVITY_COLUMNS, RESULT_COLUMNS, Column, neutralise, plain_number


def _number(value: float | None) -> str:
    return "" if value is None else plain_number(float(value))


def result_rows(engine: Engine) -> Iterator[list[str]]:
    """Every stored result (synthetic rows excluded) in import-column order."""
    query = (
        select(
            s.results.c.indicator_code,
            s.results.c.country_iso3,
            s.results.c.period_start,
            s.results.c.period_end,
            s.results.c.value,
            s.results.c.qualifier,
            s.results.c.breakdown_dim,
            s.results.c.breakdown_value,
            s.results.c.target,
            s.results.c.implementing_partner,
            s.sources.c.title,
            s.sources.c.url,
            s.sources.c.quote,
            s.sources.c.note,
            s.sources.c.note_fr,
            s.sources.c.note_ar,
            s.sources.c.title_ar,
        )
        .join(s.sources, s.results.c.source_id == s.sources.c.id)
        .where(s.results.c.is_synthetic.is_(False))
        .order_by(s.results.c.id)
    )
    with engine.connect() as conn:
        for r in conn.execution_options(yield_per=5000).execute(query):
            yield [
                r[0],
                r[1] or "",
                r[2].isoformat(),
                r[3].isoformat(),
                _number(r[4]),
                r[5],
                r[6],
                r[7],
                _number(r[8]),
                r[9] or "",
                r[10],
                r[11] or "",
                r[12] or "",
                r[13] or "",
                r[14] or "",
                r[15] or "",
                r[16] or "",
            ]


def activity_rows(engine: Engine) -> Iterator[list[str]]:
    """Every stored partner activity in import-column order, partners named in English."""
    with engine.connect() as conn:
        partners: dict[int, list[tuple[str, str]]] = {}
        for activity_id, name, kind in conn.execute(
            select(s.activity_partners.c.activity_id, s.partners.c.name_en, s.partners.c.type)
            .join(s.partners)
            .order_by(s.activity_partners.c.activity_id, s.partners.c.name_en)
        ):
            partners.setdefault(activity_id, []).append((name, kind))
        query = (
            select(
                s.activities,
                s.sources.c.title,
                s.sources.c.url,
                s.sources.c.quote,
                s.sources.c.title_ar.label("source_title_ar"),
            )
            .join(s.sources, s.activities.c.source_id == s.sources.c.id)
            .order_by(s.activities.c.id)
        )
        for r in conn.execute(query).mappings():
            named = partners.get(r["id"], [])
            yield [
                r["key"],
                r["country_iso3"] or "",
                str(r["year"]),
                r["theme"],
                "; ".join(n for n, _ in named),
                "; ".join(k for _, k in named),
                r["description_en"],
                r["description_fr"],
                r["description_ar"] or "",
                r["title"],
                r["url"] or "",
                r["quote"] or "",
                r["source_title_ar"] or "",
            ]


def header_rows(columns: tuple[Column, ...]) -> list[list[str]]:
    """The header row and the HXL hashtag row."""
    return [[c.name for c in columns], [c.hxl for c in columns]]


def write_csv(path: Path, columns: tuple[Column, ...], rows: Iterator[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(header_rows(columns))
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            count += 1
    return count


def write_xlsx(path: Path, sheets: dict[str, tuple[tuple[Column, ...], Iterator[list[str]]]]) -> int:
    """A workbook with one sheet per dataset; numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = 0
    numeric = {"value", "target"}
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        for header in header_rows(columns):
            sheet.append(header)
        names = [c.name for c in columns]
        for row in rows:
            sheet.append(
                [
                    float(cell) if name in numeric and cell else neutralise(cell)
                    for name, cell in zip(names, row, strict=True)
                ]
            )
            count += 1
    book.save(path)
    return count


def export_data(engine: Engine, path: Path | str, kind: str = "results") -> int:
    """Write `kind` (results or activities) to a .csv, or both to an .xlsx; return rows written."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(
            path,
            {
                "results": (RESULT_COLUMNS, result_rows(engine)),
                "activities": (ACTIVITY_COLUMNS, activity_rows(engine)),
            },
        )
    if kind == "activities":
        return write_csv(path, ACTIVITY_COLUMNS, activity_rows(engine))
    return write_csv(path, RESULT_COLUMNS, result_rows(engine))
