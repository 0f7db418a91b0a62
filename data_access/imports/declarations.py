"""Indicators and countries that an import file declares (an "indicators" or
"countries" sheet in a workbook, or FILE.indicators.csv / FILE.countries.csv
beside a CSV), checked and added in the import's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, select

from data_access import schema as s
from data_access.imports.problems import Problems
from data_access.imports.readers import Sheet
from data_access.imports.validate import BREAKDOWN, iso3_codes
from model.file_format import COUNTRY_COLUMNS, INDICATOR_COLUMNS

UNITS = {
    "people",
    "percent",
    "countries",
    "eur_million",
    "flights",
    "organisations",
    "taskforces",
    "sessions",
    "cooperatives",
    "initiatives",
    "nationalities",
    "households",
    "events",
}


def _records(sheet: Sheet, columns: tuple[str, ...], problems: Problems) -> list[tuple[int, dict]]:
    rows = iter(sheet.rows)
    header = next(rows, None)
    if header is None:
        return []
    line, cells = header
    names = [c.strip().lower() for c in cells]
    optional = ("headline", "name_ar", "definition_ar", "region", "sensitive")
    missing = [c for c in columns if c not in names and c not in optional]
    for column in missing:
        problems.error(
            line,
            column,
            "",
            "missing_column",
            f"{sheet.name}: required column \u201c{column}\u201d is missing",
        )
    if missing:
        return []
    out = []
    for line, cells in rows:
        if any(c.strip() for c in cells):
            out.append((line, {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)}))
    return out


def _too_long(table, line: int, rec: dict, sheet: Sheet, problems: Problems) -> bool:
    """Report cells longer than their database column (PostgreSQL would refuse them)."""
    found = False
    for name, value in rec.items():
        length = getattr(table.c[name].type, "length", None) if name in table.c else None
        if length and len(value) > length:
            problems.error(line, name, value, "too_long", f"{sheet.name}: longer than {length} characters")
            found = True
    return found


def declare_indicators(conn: Connection, sheet: Sheet, problems: Problems) -> int:
    """Add the sheet's new indicators; an existing code must match what is stored."""
    stored = {r.code: r for r in conn.execute(select(s.indicators))}
    added = 0
    for line, rec in _records(sheet, INDICATOR_COLUMNS, problems):
        code = rec["code"].lower()
        errors = problems.errors
        if not BREAKDOWN.match(code):
            problems.error(
                line, "code", code, "bad_code", f"{sheet.name}: use lower-case letters, digits and _"
            )
        if rec["unit"] not in UNITS:
            problems.error(
                line, "unit", rec["unit"], "unknown_unit", f"{sheet.name}: one of {', '.join(sorted(UNITS))}"
            )
        if rec["summable"] not in ("0", "1"):
            problems.error(line, "summable", rec["summable"], "bad_flag", f"{sheet.name}: 1 or 0")
        sensitive = rec.get("sensitive", "") or "0"
        if sensitive not in ("0", "1"):
            problems.error(line, "sensitive", sensitive, "bad_flag", f"{sheet.name}: 1 or 0")
        for name in ("name_en", "name_fr", "theme"):
            if not rec[name]:
                problems.error(line, name, "", "required", f"{sheet.name}: this cell must not be empty")
        _too_long(s.indicators, line, rec, sheet, problems)
        if problems.errors > errors:
            continue
        if code in stored:
            old = stored[code]
            if (old.unit, old.summable) != (rec["unit"], rec["summable"] == "1"):
                problems.error(
                    line,
                    "code",
                    code,
                    "indicator_differs",
                    f"{sheet.name}: {code} exists with unit {old.unit}, summable {int(old.summable)}",
                )
            elif sensitive == "1" and not old.sensitive:
                # A file may mark an existing indicator sensitive (its small counts are
                # then hidden from the public), never unmark one: that is a reference change.
                conn.execute(s.indicators.update().where(s.indicators.c.code == code).values(sensitive=True))
            continue
        conn.execute(
            s.indicators.insert().values(
                code=code,
                name_en=rec["name_en"],
                name_fr=rec["name_fr"],
                unit=rec["unit"],
                theme=rec["theme"],
                summable=rec["summable"] == "1",
                headline=None,
                definition_en=rec.get("definition_en", ""),
                definition_fr=rec.get("definition_fr", ""),
                name_ar=rec.get("name_ar") or None,
                definition_ar=rec.get("definition_ar") or None,
                sensitive=sensitive == "1",
            )
        )
        stored[code] = None
        added += 1
    return added


def declare_countries(conn: Connection, sheet: Sheet, problems: Problems) -> int:
    """Add countries outside COMPASS that the file's rows may then refer to."""
    stored = set(conn.execute(select(s.countries.c.iso3)).scalars())
    added = 0
    for line, rec in _records(sheet, COUNTRY_COLUMNS, problems):
        code = rec["iso3"].upper()
        if code not in iso3_codes():
            problems.error(
                line, "iso3", code, "unknown_country", f"{sheet.name}: not an ISO 3166-1 alpha-3 code"
            )
            continue
        if not rec["name_en"] or not rec["name_fr"]:
            problems.error(
                line, "name_en", "", "required", f"{sheet.name}: English and French names are required"
            )
            continue
        if _too_long(s.countries, line, rec, sheet, problems):
            continue
        if code in stored:
            continue
        conn.execute(
            s.countries.insert().values(
                iso3=code,
                name_en=rec["name_en"],
                name_fr=rec["name_fr"],
                name_ar=rec.get("name_ar", ""),
                region=rec.get("region", "") or "other",
                is_compass=False,
            )
        )
        stored.add(code)
        added += 1
    return added
