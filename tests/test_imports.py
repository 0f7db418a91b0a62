"""Imports: every class of bad input is refused with its rule, row and column and
leaves the database exactly as it was (counts, data version and every row);
good files (CSV, BOM + semicolons, HXL, activities, Excel) store what they say,
once; interrupted imports change nothing; export -> import changes nothing."""

from __future__ import annotations

import csv
import hashlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select, text, update

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.engine import make_engine
from data_access.imports import importer, results_writer
from data_access.imports.export import export_data
from data_access.imports.importer import ImportOptions, ImportOutcome, import_file
from data_access.loader import prepare_database
from data_access.version import current_version
from model.file_format import RESULT_COLUMNS
from tests.helpers import (
    COMPASS,
    REPO,
    by_id,
    fresh_postgres,
    make_app,
    required_env,
    snapshot,
    text_of,
    walk,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
RESULT_HEADER = [c.name for c in RESULT_COLUMNS]

# Imports whose rows the test reads on public pages (an import is internal by default).
PUBLISHED = ImportOptions(visibility="public")


# --- helpers ------------------------------------------------------------------------


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in s.metadata.sorted_tables
        }


def copy_fixture(tmp_path: Path, name: str) -> Path:
    """Fixtures are copied first: the import writes its report beside the input."""
    target = tmp_path / name
    shutil.copyfile(FIXTURES / name, target)
    return target


def problems_of(outcome: ImportOutcome) -> list[tuple]:
    return sorted((p.row or 0, p.column, p.rule, p.severity) for p in outcome.problems.kept)


def report_of(path: Path) -> list[tuple]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sorted((int(r["row"] or 0), r["column"], r["rule"], r["severity"]) for r in rows)


def messages(outcome: ImportOutcome) -> str:
    return "\n".join(p.message for p in outcome.problems.kept)


def write_results_csv(path: Path, rows: list[list[str]], header: list[str] = RESULT_HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def result_row(**values: str) -> list[str]:
    """A valid results row (NER 2024 return assistance), with `values` replaced."""
    row = dict.fromkeys(RESULT_HEADER, "")
    row.update(
        indicator="migrants_return_assistance",
        country_iso3="NER",
        period_start="2024",
        period_end="2024",
        value="75",
        source_title="Test source 2024",
    )
    row.update(values)
    return [row[name] for name in RESULT_HEADER]


def stored_results(engine: Engine, batch_id: int) -> list[tuple]:
    query = (
        select(
            s.results.c.indicator_code,
            s.results.c.scope,
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
        )
        .join(s.sources, s.results.c.source_id == s.sources.c.id)
        .where(s.results.c.batch_id == batch_id)
        .order_by(s.results.c.period_start, s.results.c.period_end, s.results.c.value)  # ids follow no order
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def batch(engine: Engine, batch_id: int) -> dict:
    with engine.connect() as conn:
        return dict(
            conn.execute(select(s.import_batches).where(s.import_batches.c.id == batch_id)).mappings().one()
        )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_written_once(
    engine: Engine, before: dict, outcome: ImportOutcome, path: Path, loaded_by: str
) -> dict:
    """The import wrote, bumped the version by exactly one and recorded its batch."""
    assert outcome.ok and outcome.written, outcome.problems.kept
    assert outcome.version == before["version"] + 1 == current_version(engine)
    row = batch(engine, outcome.batch_id)
    assert (row["file_name"], row["checksum"], row["loaded_by"]) == (path.name, sha256(path), loaded_by)
    return row


# --- every class of bad input ----------------------------------------------------------

# (fixture, options, problems kept as (row or 0, column, rule, severity), words the messages contain)
BAD_FILES = [
    (
        "missing_column.csv",
        {},
        [(1, "indicatr", "ignored_column", "warning"), (1, "indicator", "missing_column", "error")],
        ["indicatr"],
    ),
    ("unknown_country.csv", {}, [(3, "country_iso3", "unknown_country", "error")], []),
    (
        "country_not_in_programme.csv",
        {},
        [(3, "country_iso3", "country_not_in_programme", "error")],
        ["FRA", "countries sheet"],
    ),
    (
        "unknown_indicator.csv",
        {},
        [(3, "indicator", "unknown_indicator", "error")],
        ["did you mean \u201cmigrants_return_assistance\u201d"],
    ),
    ("not_a_number.csv", {}, [(3, "value", "not_a_number", "error")], ["no thousands comma"]),
    ("negative_value.csv", {}, [(3, "value", "negative_value", "error")], []),
    ("percent_out_of_range.csv", {}, [(3, "value", "percent_out_of_range", "error")], []),
    ("bad_date.csv", {}, [(3, "period_start", "bad_date", "error")], ["no such day"]),
    ("inverted_period.csv", {}, [(3, "period_end", "inverted_period", "error")], []),
    ("unknown_qualifier.csv", {}, [(3, "qualifier", "unknown_qualifier", "error")], []),
    ("duplicate_row.csv", {}, [(3, "", "duplicate_row", "error")], ["as row 2"]),
    (
        "conflicts_with_stored.csv",
        {},
        [(4, "value", "conflicts_with_stored", "error")],
        ["already states 29117", "--replace"],
    ),
    ("empty_file.csv", {}, [(0, "", "empty_file", "error")], []),
    ("header_only.csv", {}, [(0, "", "empty_file", "error")], ["no data rows"]),
    ("latin1.csv", {}, [(0, "", "unreadable_file", "error")], ["line 3", "Windows-1252", "CSV UTF-8"]),
    ("utf16.csv", {}, [(0, "", "unreadable_file", "error")], ["UTF-16"]),
    ("too_many_rows.csv", {"max_rows": 2}, [(4, "", "too_many_rows", "error")], ["more than 2 rows"]),
    ("file_too_large.csv", {"max_bytes": 100}, [(0, "", "file_too_large", "error")], ["100 bytes"]),
    ("not_a_spreadsheet.xlsx", {}, [(0, "", "unreadable_file", "error")], [".xlsx"]),
    ("unknown_format.csv", {}, [(1, "", "unknown_format", "error")], []),
    ("bad_url.csv", {}, [(3, "source_url", "bad_url", "error")], []),
    ("incomplete_breakdown.csv", {}, [(3, "breakdown", "incomplete_breakdown", "error")], []),
    # 400 digits: a float overflows to infinity, which is no figure a source states.
    ("number_too_large.csv", {}, [(3, "value", "not_a_number", "error")], []),
]


@pytest.mark.parametrize(("name", "options", "expected", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_input_is_refused_with_its_rule_and_changes_nothing(
    writable_sqlite, tmp_path, name, options, expected, words
):
    path = copy_fixture(tmp_path, name)
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="tests", **options))
    assert problems_of(outcome) == sorted(expected)
    assert not outcome.ok and not outcome.written
    assert outcome.batch_id is None and outcome.version is None
    for word in words:
        assert word in messages(outcome)
    assert snapshot(writable_sqlite) == before
    assert outcome.report_path == tmp_path / f"{name}.report.csv"
    assert report_of(outcome.report_path) == sorted(expected)


def test_conflict_fixture_is_an_exported_reference_row_with_another_value(writable_sqlite, tmp_path):
    export_data(writable_sqlite, tmp_path / "export.csv")
    exported = (tmp_path / "export.csv").read_text(encoding="utf-8").splitlines()
    fixture = (FIXTURES / "conflicts_with_stored.csv").read_text(encoding="utf-8").splitlines()
    assert fixture[:2] == exported[:2]  # header and HXL row
    assert fixture[3].replace(",29118,", ",29117,") in exported


def test_bad_rows_are_all_reported_not_only_the_first(writable_sqlite, tmp_path):
    path = write_results_csv(
        tmp_path / "many.csv",
        [
            result_row(country_iso3="XXX", value="-3"),
            result_row(period_start="2024-13-01", qualifier="roughly"),
            result_row(indicator="", source_title=""),
        ],
    )
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path)
    assert problems_of(outcome) == [
        (2, "country_iso3", "unknown_country", "error"),
        (2, "value", "negative_value", "error"),
        (3, "period_start", "bad_date", "error"),
        (3, "qualifier", "unknown_qualifier", "error"),
        (4, "indicator", "required", "error"),
        (4, "source_title", "required", "error"),
    ]
    assert snapshot(writable_sqlite) == before


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_workbook_without_a_data_sheet_is_refused(writable_sqlite, tmp_path):
    path = _workbook(tmp_path / "declarations_only.xlsx", {"indicators": [["code"]], "countries": [["iso3"]]})
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path)
    assert problems_of(outcome) == [(0, "", "unreadable_file", "error")]
    assert snapshot(writable_sqlite) == before


def test_workbook_with_a_broken_sheet_is_refused(writable_sqlite, tmp_path):
    good = _workbook(tmp_path / "good.xlsx", {"results": [RESULT_HEADER, result_row()]})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut in the middle of the sheet's XML
            target.writestr(item, data)
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, broken)
    assert problems_of(outcome) == [(0, "", "unreadable_file", "error")]
    assert snapshot(writable_sqlite) == before


def test_texts_longer_than_their_columns_are_refused(writable_sqlite, tmp_path):
    """PostgreSQL enforces VARCHAR lengths: the import must report them, not crash."""
    activities = tmp_path / "long_partner.csv"
    activities.write_text(
        "key,country_iso3,year,theme,partners,partner_types,description_en,description_fr,source_title\n"
        f"k1,NER,2024,mhpss,{'P' * 301},local_ngo,Done,Fait,Test source\n",
        encoding="utf-8",
    )
    results = write_results_csv(
        tmp_path / "long_host.csv",
        [
            result_row(source_url=f"https://{'h' * 250}.org/report"),
        ],
    )
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, activities)
    assert problems_of(outcome) == [(2, "partners", "too_long", "error")]
    outcome = import_file(writable_sqlite, results)
    assert outcome.ok and outcome.written  # the publisher (host) is shortened to its column
    with writable_sqlite.connect() as conn:
        publisher = conn.execute(
            select(s.sources.c.publisher).where(s.sources.c.url.like("https://hhh%"))
        ).scalar()
    assert len(publisher) <= 200 and publisher.startswith("hhh")
    assert counts(writable_sqlite)["results"] == before["results"][0] + 1

    before = snapshot(writable_sqlite)
    declaring = write_results_csv(
        tmp_path / "declaring.csv", [result_row(indicator="new_indicator", country_iso3="FRA")]
    )
    (tmp_path / "declaring.indicators.csv").write_text(
        "code,name_en,name_fr,unit,theme,summable,definition_en,definition_fr\n"
        f"new_indicator,{'N' * 201},Nouveau,people,{'t' * 41},1,New,Nouveau\n",
        encoding="utf-8",
    )
    (tmp_path / "declaring.countries.csv").write_text(
        f"iso3,name_en,name_fr,region\nFRA,France,{'F' * 121},europe\n", encoding="utf-8"
    )
    outcome = import_file(writable_sqlite, declaring)
    assert [p for p in problems_of(outcome) if p[2] == "too_long"] == [
        (2, "name_en", "too_long", "error"),
        (2, "name_fr", "too_long", "error"),
        (2, "theme", "too_long", "error"),
    ]
    assert snapshot(writable_sqlite) == before


# --- good files ------------------------------------------------------------------------


def test_results_file_is_stored_with_every_field(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "results_ok.csv")
    before, before_counts = snapshot(writable_sqlite), counts(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="ana"))
    row = assert_written_once(writable_sqlite, before, outcome, path, "ana")
    assert (
        outcome.results.rows,
        outcome.results.added,
        outcome.results.updated,
        outcome.results.unchanged,
    ) == (4, 4, 0, 0)
    assert (
        row["kind"],
        row["rows_total"],
        row["rows_added"],
        row["rows_updated"],
        row["rows_unchanged"],
    ) == ("results", 4, 4, 0, 0)
    source = ("Fixture report 2023", "https://example.org/report-2023")
    assert stored_results(writable_sqlite, outcome.batch_id) == [
        (
            "migrants_return_assistance",
            "programme",
            None,
            date(2023, 1, 1),
            date(2023, 6, 30),
            5400.0,
            "up_to",
            "",
            "",
            None,
            None,
            *source,
            None,
            "Programme-wide table",
        ),
        (
            "satisfaction_rate_pct",
            "country",
            "NER",
            date(2023, 1, 1),
            date(2023, 12, 31),
            87.5,
            "approx",
            "",
            "",
            None,
            None,
            *source,
            None,
            "Table 4",
        ),
        (
            "migrants_return_assistance",
            "country",
            "NER",
            date(2023, 1, 1),
            date(2023, 12, 31),
            610.0,
            "exact",
            "sex",
            "female",
            None,
            None,
            *source,
            None,
            "Table 3",
        ),
        (
            "migrants_return_assistance",
            "country",
            "NER",
            date(2023, 1, 1),
            date(2023, 12, 31),
            1250.0,
            "more_than",
            "",
            "",
            2000.0,
            "Croix-Rouge nig\u00e9rienne",
            *source,
            "In 2023, more than 1,250 migrants were helped to return home.",
            None,
        ),
    ]
    # Four rows citing one document with four different (quote, note) pairs: four sources.
    after = counts(writable_sqlite)
    assert {k: after[k] - before_counts[k] for k in after if after[k] != before_counts[k]} == {
        "results": 4,
        "result_summary": 4,  # each imported figure is its own yearly figure in the summary
        "result_counts": 4,  # one row of counts per source, indicator, place and breakdown
        "sources": 4,
        "import_batches": 1,
    }
    assert outcome.report_path is None  # no problem, no report


def test_semicolon_csv_with_bom_as_french_excel_writes_it(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "results_bom.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfindicator;") and b"\r\n" in path.read_bytes()
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="fatou"))
    assert_written_once(writable_sqlite, before, outcome, path, "fatou")
    assert stored_results(writable_sqlite, outcome.batch_id) == [
        (
            "migrants_return_assistance",
            "country",
            "TCD",
            date(2022, 1, 1),
            date(2022, 12, 31),
            380.0,
            "exact",
            "",
            "",
            None,
            None,
            "Rapport Tchad 2023",
            None,
            "En 2022 : 380 migrants",
            None,
        ),
        (
            "migrants_return_assistance",
            "country",
            "TCD",
            date(2023, 1, 1),
            date(2023, 12, 31),
            420.0,
            "approx",
            "",
            "",
            500.0,
            None,
            "Rapport Tchad 2023",
            None,
            "Environ 420 migrants; retour volontaire, \u00ab aide au retour \u00bb",
            None,
        ),
    ]


def test_hxl_sex_columns_become_female_and_male_rows(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "hxl_wide.csv")
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="hdx"))
    assert_written_once(writable_sqlite, before, outcome, path, "hdx")
    source = ("HDX COMPASS Mali 2023", "https://data.humdata.org/dataset/compass-mali", None, None)
    assert stored_results(writable_sqlite, outcome.batch_id) == [
        (
            "migrants_return_assistance",
            "country",
            "MLI",
            date(2023, 1, 1),
            date(2023, 12, 31),
            140.0,
            "exact",
            "sex",
            "female",
            200.0,
            None,
            *source,
        ),
        (
            "migrants_return_assistance",
            "country",
            "MLI",
            date(2023, 1, 1),
            date(2023, 12, 31),
            160.0,
            "exact",
            "sex",
            "male",
            None,
            None,
            *source,
        ),
    ]


def test_activities_file_creates_its_new_partners(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "activities_ok.csv")
    before, before_counts = snapshot(writable_sqlite), counts(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="ana"))
    row = assert_written_once(writable_sqlite, before, outcome, path, "ana")
    assert (row["kind"], row["rows_total"], row["rows_added"]) == ("activities", 2, 2)
    with writable_sqlite.connect() as conn:
        linked = conn.execute(
            select(s.activities.c.key, s.partners.c.name_en, s.partners.c.type)
            .join(s.activity_partners, s.activity_partners.c.activity_id == s.activities.c.id)
            .join(s.partners, s.partners.c.id == s.activity_partners.c.partner_id)
            .where(s.activities.c.batch_id == outcome.batch_id)
            .order_by(s.activities.c.key, s.partners.c.name_en)
        ).all()
        description = conn.execute(
            select(s.activities.c.description_en).where(s.activities.c.key == "ner-radio-2023")
        ).scalar()
    assert [tuple(r) for r in linked] == [
        ("ner-radio-2023", "Oxfam", "international_ngo"),
        ("ner-radio-2023", "Radio Sahel Niamey", "private_sector"),
        ("tcd-football-2023", "<script>alert(1)</script>", "community_group"),
    ]
    assert description == "Radio spots, in Hausa and Zarma, on safe migration."
    after = counts(writable_sqlite)
    assert {k: after[k] - before_counts[k] for k in after if after[k] != before_counts[k]} == {
        "activities": 2,
        "activity_partners": 3,
        "partners": 2,
        "sources": 1,
        "import_batches": 1,
    }


def test_partner_types_are_positional_and_may_be_blank_for_known_partners(writable_sqlite, tmp_path):
    path = tmp_path / "blank_type.csv"
    path.write_text(
        "key,country_iso3,year,theme,partners,partner_types,description_en,description_fr,source_title\n"
        "k-blank,NER,2024,awareness,Oxfam; Radio Kalangou,; private_sector,Radio,Radio,Test source\n",
        encoding="utf-8",
    )
    outcome = import_file(writable_sqlite, path)
    assert outcome.ok and outcome.written, outcome.problems.kept
    with writable_sqlite.connect() as conn:
        assert conn.execute(
            select(s.partners.c.type).where(s.partners.c.name_en == "Radio Kalangou")
        ).scalar() == ("private_sector")


def _declaring_workbook(path: Path) -> Path:
    return _workbook(
        path,
        {
            "Figures 2023": [
                RESULT_HEADER,
                result_row(
                    indicator="radio_listeners_reached",
                    period_start=date(2023, 1, 1),
                    period_end=date(2023, 12, 31),
                    value=45000,
                    qualifier="approx",
                ),
                result_row(country_iso3="FRA", period_start="2023", period_end="2023", value=12),
            ],
            "indicators": [
                ["code", "name_en", "name_fr", "unit", "theme", "summable", "definition_en", "definition_fr"],
                [
                    "radio_listeners_reached",
                    "Radio listeners reached",
                    "Auditeurs de radio atteints",
                    "people",
                    "awareness",
                    1,
                    "People who heard a COMPASS radio programme.",
                    "Personnes ayant entendu une \u00e9mission de radio COMPASS.",
                ],
            ],
            "countries": [["iso3", "name_en", "name_fr"], ["FRA", "France", "France"]],
        },
    )


def test_workbook_first_sheet_with_declared_indicator_and_country(writable_sqlite, tmp_path):
    path = _declaring_workbook(tmp_path / "declaring.xlsx")
    before, before_counts = snapshot(writable_sqlite), counts(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(loaded_by="ana"))
    assert_written_once(writable_sqlite, before, outcome, path, "ana")
    stored = stored_results(writable_sqlite, outcome.batch_id)
    assert [r[:9] for r in stored] == [
        (
            "migrants_return_assistance",
            "country",
            "FRA",
            date(2023, 1, 1),
            date(2023, 12, 31),
            12.0,
            "exact",
            "",
            "",
        ),
        (
            "radio_listeners_reached",
            "country",
            "NER",
            date(2023, 1, 1),
            date(2023, 12, 31),
            45000.0,
            "approx",
            "",
            "",
        ),
    ]
    with writable_sqlite.connect() as conn:
        indicator = conn.execute(
            select(s.indicators).where(s.indicators.c.code == "radio_listeners_reached")
        ).one()
        country = conn.execute(select(s.countries).where(s.countries.c.iso3 == "FRA")).one()
    assert (indicator.unit, indicator.summable, indicator.headline, indicator.theme) == (
        "people",
        True,
        None,
        "awareness",
    )
    assert (country.name_en, country.is_compass, country.region) == ("France", False, "other")
    after = counts(writable_sqlite)
    assert {k: after[k] - before_counts[k] for k in after if after[k] != before_counts[k]} == {
        "results": 2,
        "result_summary": 2,  # each imported figure is its own yearly figure in the summary
        "result_counts": 2,  # one row of counts per source, indicator, place and breakdown
        "sources": 1,
        "indicators": 1,
        "countries": 1,
        "import_batches": 1,
    }


def test_workbook_sheet_option(writable_sqlite, tmp_path):
    path = _workbook(
        tmp_path / "named.xlsx",
        {
            "Summary": [["Note", "Text"], ["Prepared by", "Niger office"]],
            "Niger": [RESULT_HEADER, result_row()],
        },
    )
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path)  # the first sheet by default: not a results table
    assert problems_of(outcome) == [(1, "", "unknown_format", "error")]
    outcome = import_file(writable_sqlite, path, ImportOptions(sheet="Nope"))
    assert problems_of(outcome) == [(0, "", "unreadable_file", "error")]
    assert "Summary, Niger" in messages(outcome)
    assert snapshot(writable_sqlite) == before
    outcome = import_file(writable_sqlite, path, ImportOptions(sheet="Niger", loaded_by="ana"))
    assert_written_once(writable_sqlite, before, outcome, path, "ana")
    assert outcome.results.added == 1


def test_dry_run_reports_counts_and_writes_nothing(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "results_ok.csv")
    before = snapshot(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(dry_run=True))
    assert outcome.ok and not outcome.written and outcome.batch_id is None
    assert (outcome.results.rows, outcome.results.added) == (4, 4)
    assert snapshot(writable_sqlite) == before


def test_replace_overwrites_what_the_same_source_stated(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "conflicts_with_stored.csv")
    before, before_counts = snapshot(writable_sqlite), counts(writable_sqlite)
    outcome = import_file(writable_sqlite, path, ImportOptions(replace=True, loaded_by="ana"))
    row = assert_written_once(writable_sqlite, before, outcome, path, "ana")
    assert (outcome.results.added, outcome.results.updated, outcome.results.unchanged) == (1, 1, 0)
    assert (row["rows_added"], row["rows_updated"]) == (1, 1)
    with writable_sqlite.connect() as conn:
        values = conn.execute(
            select(s.results.c.value, s.results.c.batch_id).where(
                s.results.c.indicator_code == "migrants_protection_assistance",
                s.results.c.country_iso3.is_(None),
                s.results.c.period_start == date(2021, 1, 1),
                s.results.c.period_end == date(2021, 12, 31),
                s.results.c.breakdown_dim == "",
            )
        ).all()
    assert [tuple(v) for v in values] == [(29118.0, outcome.batch_id)]
    after = counts(writable_sqlite)
    assert {k: after[k] - before_counts[k] for k in after if after[k] != before_counts[k]} == {
        "results": 1,
        "result_summary": 1,  # each imported figure is its own yearly figure in the summary
        "result_counts": 1,  # one row of counts per source, indicator, place and breakdown
        "sources": 1,
        "import_batches": 1,
    }


def test_same_file_twice_changes_nothing_the_second_time(writable_sqlite, tmp_path):
    path = copy_fixture(tmp_path, "results_ok.csv")
    first = import_file(writable_sqlite, path, ImportOptions(loaded_by="ana"))
    assert first.written
    before = snapshot(writable_sqlite)
    again = import_file(writable_sqlite, path, ImportOptions(loaded_by="ana"))
    assert again.ok and not again.written and again.changes == 0 and again.batch_id is None
    assert (again.results.rows, again.results.unchanged, again.results.added) == (4, 4, 0)
    assert again.previous is not None and again.previous.endswith("by ana")
    assert snapshot(writable_sqlite) == before


# --- export -> import -------------------------------------------------------------------

# (text in the file, text stored): an apostrophe before a formula character is the
# spreadsheet's "this is text" mark, and line endings become "\n" (Excel files cannot keep "\r").
TRICKY = [
    ('=HYPERLINK("http://evil.example/","click")', '=HYPERLINK("http://evil.example/","click")'),
    ("@cmd|' /C calc'!A0", "@cmd|' /C calc'!A0"),
    ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
    ("- see page 3", "- see page 3"),
    ("'=already marked as text", "=already marked as text"),
    (
        "Commas, \"double quotes\", 'single quotes'\nand a second line\r\nand a third",
        "Commas, \"double quotes\", 'single quotes'\nand a second line\nand a third",
    ),
    (
        "Semi; colons;\ttabs, unicode: \u00e9\u00e8 \u062a\u0634\u0627\u062f \u2013 \u00ab guillemets \u00bb \U0001f30d",
        "Semi; colons;\ttabs, unicode: \u00e9\u00e8 \u062a\u0634\u0627\u062f \u2013 \u00ab guillemets \u00bb \U0001f30d",
    ),
    ("#hashtag that is not HXL", "#hashtag that is not HXL"),
    ("Word line\x0bbreak and a stray\x01 control", "Word line\nbreak and a stray control"),
]


def _import_tricky_texts(engine: Engine, tmp_path: Path) -> list[str]:
    rows = [
        result_row(
            period_start=f"{2000 + i}",
            period_end=f"{2000 + i}",
            source_title=text_,
            source_quote=text_,
            implementing_partner=text_[:300],
        )
        for i, (text_, _) in enumerate(TRICKY)
    ]
    outcome = import_file(engine, write_results_csv(tmp_path / "tricky.csv", rows))
    assert outcome.ok and outcome.written, outcome.problems.kept
    activities = tmp_path / "activities.csv"
    shutil.copyfile(FIXTURES / "activities_ok.csv", activities)
    assert import_file(engine, activities).written
    return rows


def test_tricky_texts_are_stored_exactly(writable_sqlite, tmp_path):
    _import_tricky_texts(writable_sqlite, tmp_path)
    with writable_sqlite.connect() as conn:
        stored = conn.execute(
            select(s.sources.c.title, s.sources.c.quote, s.results.c.implementing_partner)
            .join(s.results, s.results.c.source_id == s.sources.c.id)
            .where(s.results.c.period_start < date(2010, 1, 1), s.results.c.country_iso3 == "NER")
            .order_by(s.results.c.period_start)
        ).all()
    assert [tuple(r) for r in stored] == [(t, t, t) for _, t in TRICKY]


def test_export_neutralises_formula_cells(writable_sqlite, tmp_path):
    _import_tricky_texts(writable_sqlite, tmp_path)
    export_data(writable_sqlite, tmp_path / "export.csv")
    with (tmp_path / "export.csv").open(encoding="utf-8", newline="") as handle:
        titles = [row[10] for row in csv.reader(handle)]
    assert "'" + TRICKY[0][1] in titles and "'@cmd|' /C calc'!A0" in titles
    assert "'+33 1 23 45 67 89" in titles and "'- see page 3" in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    export_data(writable_sqlite, tmp_path / "export.xlsx")
    book = load_workbook(tmp_path / "export.xlsx")
    cells = [row[10] for row in book["results"].iter_rows()]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + TRICKY[0][1] in [c.value for c in cells]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(writable_sqlite, tmp_path, suffix):
    _import_tricky_texts(writable_sqlite, tmp_path)
    before = snapshot(writable_sqlite)
    exports = [tmp_path / f"export.{suffix}"]
    export_data(writable_sqlite, exports[0])
    if suffix == "csv":
        exports.append(tmp_path / "export_activities.csv")
        export_data(writable_sqlite, exports[1], "activities")
    for path in exports:
        outcome = import_file(writable_sqlite, path)
        assert outcome.ok and not outcome.written, outcome.problems.kept
        for found in (outcome.results, outcome.activities):
            if found:
                assert found.added == found.updated == 0 and found.unchanged == found.rows > 0
    assert snapshot(writable_sqlite) == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_small_and_large_numbers_come_back_unchanged(writable_sqlite, tmp_path, suffix):
    """1e-05 once came out of export (and out of Excel cells) as '1e-05', which import refuses."""
    path = write_results_csv(
        tmp_path / "numbers.csv",
        [
            result_row(period_start=str(year), period_end=str(year), value=value)
            for year, value in (
                (2001, "0.00001"),
                (2002, "1234567.125"),
                (2003, "1000000000000"),
                (2004, "99.99"),
            )
        ],
    )
    outcome = import_file(writable_sqlite, path)
    assert outcome.written
    assert [r[5] for r in stored_results(writable_sqlite, outcome.batch_id)] == [
        0.00001,
        1234567.125,
        1e12,
        99.99,
    ]
    state = snapshot(writable_sqlite)
    export_data(writable_sqlite, tmp_path / f"export.{suffix}")
    outcome = import_file(writable_sqlite, tmp_path / f"export.{suffix}")
    assert outcome.ok and not outcome.written, outcome.problems.kept
    assert snapshot(writable_sqlite) == state


def test_apostrophes_are_not_taken_for_quotes(writable_sqlite, tmp_path):
    """Exported formula cells ('@cmd) need no CSV quoting; with a word in single
    quotes they once made the reader take the apostrophe for the quote character,
    merging cells (and rows) into the source title."""
    path = tmp_path / "apostrophes.csv"
    path.write_text(
        "indicator,country_iso3,period_start,period_end,value,source_title,source_note\n"
        "migrants_return_assistance,NER,2023,2023,5,'@cmd,Said 'hello' there\n"
        "migrants_return_assistance,NER,2022,2022,6,'-x,note\n",
        encoding="utf-8",
    )
    outcome = import_file(writable_sqlite, path)
    assert outcome.ok and outcome.results.added == 2, outcome.problems.kept
    assert [r[11:] for r in stored_results(writable_sqlite, outcome.batch_id)] == [
        ("-x", None, None, "note"),
        ("@cmd", None, None, "Said 'hello' there"),
    ]


def test_quotes_doubled_after_the_first_64_kb_are_read_as_quotes(writable_sqlite, tmp_path):
    """The dialect is guessed from the start of the file; a doubled quote later on
    must still be one quote, not two (nor the end of the cell)."""
    rows = [
        result_row(
            period_start=str(d),
            period_end=str(d),
            source_title="Long file",
            source_quote=f"Row {n}, plain text, no quotes here at all, padding padding padding",
        )
        for n, d in enumerate(date(1990, 1, 1) + timedelta(days=i) for i in range(1200))
    ]
    rows.append(result_row(source_title="Long file", source_quote='He said "yes, we did", then left'))
    path = write_results_csv(tmp_path / "long.csv", rows)
    assert path.stat().st_size > 150_000 and '""yes, we did""' in path.read_text(encoding="utf-8")[-200:]
    outcome = import_file(writable_sqlite, path)
    assert outcome.ok and outcome.results.added == 1201, outcome.problems.kept
    with writable_sqlite.connect() as conn:
        quotes = (
            conn.execute(select(s.sources.c.quote).where(s.sources.c.quote.like("He said%"))).scalars().all()
        )
    assert quotes == ['He said "yes, we did", then left']


# --- interrupted imports ----------------------------------------------------------------


def test_failure_after_rows_were_written_leaves_the_database_as_it_was(
    writable_sqlite, tmp_path, monkeypatch
):
    path = copy_fixture(tmp_path, "results_ok.csv")
    before = snapshot(writable_sqlite)
    inserted = []

    def failing_bump(conn):
        inserted.append(conn.execute(select(func.count()).select_from(s.results)).scalar())
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "bump_version", failing_bump)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(writable_sqlite, path)
    assert inserted == [before["results"][0] + 4]  # the rows were in when it failed
    assert snapshot(writable_sqlite) == before

    original_write = results_writer.write

    def write_then_fail(conn, batch_id, replace):
        original_write(conn, batch_id, replace)
        raise OSError("connection lost")

    monkeypatch.setattr(results_writer, "write", write_then_fail)
    with pytest.raises(OSError, match="connection lost"):
        import_file(writable_sqlite, path)
    assert snapshot(writable_sqlite) == before

    monkeypatch.undo()  # and the same database imports normally afterwards
    assert import_file(writable_sqlite, path).written


def _big_results_csv(path: Path, rows: int) -> None:
    """`rows` valid, distinct figures: 14 countries x 2 sexes per day from 2001."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_HEADER)
        for n in range(rows):
            day = (date(2001, 1, 1) + timedelta(days=n // 28)).isoformat()
            sex = "female" if (n // 14) % 2 == 0 else "male"
            writer.writerow(
                [
                    "migrants_return_assistance",
                    COMPASS[n % 14],
                    day,
                    day,
                    n % 5000,
                    "exact",
                    "sex",
                    sex,
                    "",
                    "",
                    "Synthetic test data",
                    "",
                    "",
                    "",
                ]
            )


def test_killed_import_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "killed.db"
    engine = make_engine(f"sqlite:///{database}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    before = snapshot(engine)
    engine.dispose()
    path = tmp_path / "big.csv"
    _big_results_csv(path, 300_000)
    wal = Path(f"{database}-wal")
    wal_at_start = wal.stat().st_size if wal.exists() else 0
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "import-data", str(path), "--by", "killed"],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            # Kill it in the middle of writing: the results being inserted spill
            # from SQLite's page cache into the write-ahead log.
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if wal.exists() and wal.stat().st_size > wal_at_start + 4_000_000:
                    break
                time.sleep(0.02)
            assert process.poll() is None, "the import ended before it could be killed"
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert "rows checked" in stderr_path.read_text(encoding="utf-8", errors="replace")
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert snapshot(engine) == before
    engine.dispose()


# --- PostgreSQL ---------------------------------------------------------------------------


def test_import_on_postgres(tmp_path):
    engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    try:
        prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
        before = snapshot(engine)
        for name in ("unknown_country.csv", "conflicts_with_stored.csv", "number_too_large.csv"):
            outcome = import_file(engine, copy_fixture(tmp_path, name))
            assert not outcome.ok and not outcome.written
        long_partner = tmp_path / "long_partner.csv"
        long_partner.write_text(
            "key,country_iso3,year,theme,partners,partner_types,description_en,description_fr,source_title\n"
            f"k1,NER,2024,mhpss,{'P' * 301},local_ngo,Done,Fait,Test source\n",
            encoding="utf-8",
        )
        assert problems_of(import_file(engine, long_partner)) == [(2, "partners", "too_long", "error")]
        assert snapshot(engine) == before

        path = copy_fixture(tmp_path, "results_ok.csv")
        outcome = import_file(engine, path, ImportOptions(loaded_by="pg"))
        assert_written_once(engine, before, outcome, path, "pg")
        assert [r[5:10] for r in stored_results(engine, outcome.batch_id)] == [
            (5400.0, "up_to", "", "", None),
            (87.5, "approx", "", "", None),
            (610.0, "exact", "sex", "female", None),
            (1250.0, "more_than", "", "", 2000.0),
        ]
        after_first = snapshot(engine)
        again = import_file(engine, path, ImportOptions(loaded_by="pg"))
        assert again.ok and not again.written and again.previous
        assert snapshot(engine) == after_first

        outcome = import_file(
            engine, copy_fixture(tmp_path, "conflicts_with_stored.csv"), ImportOptions(replace=True)
        )
        assert outcome.written and outcome.results.updated == 1

        for suffix in ("csv", "xlsx"):
            state = snapshot(engine)
            export_data(engine, tmp_path / f"pg_export.{suffix}")
            outcome = import_file(engine, tmp_path / f"pg_export.{suffix}")
            assert outcome.ok and not outcome.written, outcome.problems.kept
            assert snapshot(engine) == state
    finally:
        engine.dispose()


# --- command line ---------------------------------------------------------------------------


def test_cli_import_refuses_a_bad_file_and_loads_a_good_one(writable_sqlite, tmp_path):
    runner = make_app(writable_sqlite).server.test_cli_runner()
    before = snapshot(writable_sqlite)
    bad = copy_fixture(tmp_path, "unknown_country.csv")
    result = runner.invoke(args=["import-data", str(bad)])
    assert result.exit_code == 1
    assert "Refused: 1 error(s)" in result.output and "unknown_country" in result.output
    assert f"Report: {bad}.report.csv" in result.output
    assert snapshot(writable_sqlite) == before

    good = copy_fixture(tmp_path, "results_ok.csv")
    result = runner.invoke(args=["import-data", str(good), "--dry-run"])
    assert result.exit_code == 0 and "Dry run" in result.output and "4 new" in result.output
    assert snapshot(writable_sqlite) == before

    result = runner.invoke(args=["import-data", str(good), "--by", "Aminata"])
    assert result.exit_code == 0, result.output
    assert (
        "Imported as batch 2 (internal: only staff see its rows until `flask --app app publish 2`); "
        f"data version is now {before['version'] + 1}."
    ) in result.output
    assert batch(writable_sqlite, 2)["loaded_by"] == "Aminata"

    result = runner.invoke(args=["import-data", str(good), "--by", "Aminata"])
    assert result.exit_code == 0 and "Nothing to change" in result.output and "by Aminata" in result.output

    workbook = _workbook(
        tmp_path / "named.xlsx", {"Summary": [["Note"]], "Niger": [RESULT_HEADER, result_row()]}
    )
    result = runner.invoke(args=["import-data", str(workbook), "--sheet", "Niger", "--by", "cli"])
    assert result.exit_code == 0, result.output
    assert batch(writable_sqlite, 3)["loaded_by"] == "cli"

    result = runner.invoke(args=["export-data", str(tmp_path / "out.csv")])
    assert result.exit_code == 0 and (tmp_path / "out.csv").exists()


# --- the dashboard sees an import at once -------------------------------------------------------


def test_dashboard_shows_an_imported_figure_without_a_restart(writable_sqlite, tmp_path):
    app = make_app(writable_sqlite)
    country = importlib.import_module("pages.country")  # pages register with a built app
    with app.server.test_request_context("/"):
        before = text_of(country.layout(iso3="NER", year="2023", lang="en"))
    assert "1,250" not in before
    assert import_file(writable_sqlite, copy_fixture(tmp_path, "results_ok.csv"), PUBLISHED).written
    with app.server.test_request_context("/"):
        after = text_of(country.layout(iso3="NER", year="2023", lang="en"))
    assert "more than 1,250" in after


def test_tricky_partner_name_reaches_the_page_as_text(writable_sqlite, tmp_path):
    """`<script>` is stored as text; Dash renders text, never markup."""
    assert import_file(writable_sqlite, copy_fixture(tmp_path, "activities_ok.csv"), PUBLISHED).written
    app = make_app(writable_sqlite)
    country = importlib.import_module("pages.country")
    with app.server.test_request_context("/"):
        tree = country.layout(iso3="TCD", year="2023", lang="en")
    assert "Football tournament with host communities." in text_of(tree)
    assert any(isinstance(n, str) and n.strip() == "<script>alert(1)</script>" for n in walk(tree))
    assert not any(getattr(n, "dangerously_allow_html", False) for n in walk(tree))


class _RowTitles(HTMLParser):
    """The title (tooltip) of each table row's header cell, by the row's data-indicator."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: dict[str, str | None] = {}
        self._row: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = dict(attrs).get("data-indicator")
        elif tag == "th" and self._row:
            self.titles[self._row] = dict(attrs).get("title")


def test_an_empty_french_definition_shows_the_english_one(writable_sqlite, tmp_path):
    """A declared indicator without a French definition: the French pages show its
    English one in the figures table's tooltip, the KPI card's and on /data."""
    definition = "People who heard a COMPASS radio programme."
    path = write_results_csv(
        tmp_path / "radio.csv",
        [result_row(indicator="radio_listeners", country_iso3="", period_start="2024", period_end="2024")],
    )
    (tmp_path / "radio.indicators.csv").write_text(
        "code,name_en,name_fr,unit,theme,summable,definition_en,definition_fr\n"
        f"radio_listeners,Radio listeners,Auditeurs de radio,people,awareness,1,{definition},\n",
        encoding="utf-8",
    )
    assert import_file(writable_sqlite, path, PUBLISHED).written
    with writable_sqlite.begin() as conn:  # a file cannot declare a headline indicator: the test does
        conn.execute(update(s.indicators).where(s.indicators.c.code == "radio_listeners").values(headline=99))
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        overview = importlib.import_module("pages.overview").layout(year="2024", lang="fr")
        data_page = importlib.import_module("pages.data").layout(lang="fr")
    table = _RowTitles()
    table.feed(by_id(overview, "programme-figures").outer_html())
    assert table.titles["radio_listeners"] == definition
    cards = [n for n in walk(by_id(overview, "kpis")) if getattr(n, "children", None) == "Auditeurs de radio"]
    assert [card.title for card in cards] == [definition]
    assert definition in text_of(by_id(data_page, "indicator-definitions"))


def test_report_lists_problems_in_row_order(writable_sqlite, tmp_path):
    path = write_results_csv(tmp_path / "r.csv", [result_row(country_iso3="XXX"), result_row(value="=1+1")])
    outcome = import_file(writable_sqlite, path)
    with outcome.report_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "column", "value", "rule", "severity", "message"]
    assert [r[:4] for r in rows[1:]] == [
        ["2", "country_iso3", "XXX", "unknown_country"],
        ["3", "value", "'=1+1", "not_a_number"],
    ]


def test_control_characters_are_removed_with_a_warning(writable_sqlite, tmp_path):
    path = tmp_path / "ctrl.csv"
    path.write_bytes(
        b"indicator,country_iso3,period_start,period_end,value,source_title\n"
        b"migrants_return_assistance,TCD,2023,2023,50,Rapport\x07 mensuel\n"
    )
    outcome = import_file(writable_sqlite, path, ImportOptions(write_report=False))
    assert outcome.ok and outcome.written
    assert [(p.row, p.column, p.rule, p.severity) for p in outcome.problems.kept] == [
        (2, "source_title", "control_characters_removed", "warning")
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_apostrophes_in_cells_do_not_change_the_delimiter(tmp_path, delimiter):
    """The sniffer takes `;'` ... `'` for a quoted cell split by semicolons; the
    header row decides (found by tests/test_import_fuzz.py)."""
    from data_access.imports.readers import read_csv

    header = ["indicator", "country", "period_start", "partner", "note"]
    row = ["migrants_return_assistance", "NER", "1990", ";'" if delimiter != ";" else ",'", "'"]
    path = tmp_path / "apostrophes.csv"
    path.write_text("\r\n".join(delimiter.join(cells) for cells in (header, row)) + "\r\n", encoding="utf-8")
    sheet = read_csv(path)
    rows = [cells for _line, cells in sheet.rows]
    assert rows[0][:3] == header[:3] and len(rows[0]) == len(header)
    assert rows[1][3:] == row[3:]


# --- French source notes (source_note_fr, #meta+note+fr) ---------------------------------------


def _note_fr(engine: Engine, title: str) -> list[str | None]:
    with engine.connect() as conn:
        return list(conn.execute(select(s.sources.c.note_fr).where(s.sources.c.title == title)).scalars())


def test_a_french_note_is_stored_with_a_new_source(writable_sqlite, tmp_path):
    path = write_results_csv(
        tmp_path / "fr.csv", [result_row(source_note="Table 2", source_note_fr="Tableau 2")]
    )
    outcome = import_file(writable_sqlite, path)
    assert outcome.ok and outcome.written and outcome.results.added == 1
    assert _note_fr(writable_sqlite, "Test source 2024") == ["Tableau 2"]


def test_a_french_note_added_later_updates_the_source_and_the_version(writable_sqlite, tmp_path):
    first = write_results_csv(tmp_path / "en.csv", [result_row(source_note="Table 2")])
    assert import_file(writable_sqlite, first).written
    version = current_version(writable_sqlite)
    sources = counts(writable_sqlite)["sources"]
    again = write_results_csv(
        tmp_path / "fr.csv", [result_row(source_note="Table 2", source_note_fr="Tableau 2")]
    )
    outcome = import_file(writable_sqlite, again)
    assert outcome.ok and outcome.written and outcome.notes_translated == 1
    assert outcome.results.added == 0 and outcome.results.unchanged == 1
    assert _note_fr(writable_sqlite, "Test source 2024") == ["Tableau 2"]  # the same source, not a second one
    assert counts(writable_sqlite)["sources"] == sources
    assert current_version(writable_sqlite) > version
    repeat = import_file(writable_sqlite, again)
    assert repeat.ok and not repeat.written and repeat.notes_translated == 0


def test_hxl_note_fr_tag_is_not_read_as_the_english_note(writable_sqlite, tmp_path):
    path = tmp_path / "hxl.csv"
    path.write_text(
        "a,b,c,d,e,f,g,h\n"
        "#indicator+code,#country+code,#date+start,#date+end,#reached,#meta+source,#meta+note+fr,#meta+note\n"
        "migrants_return_assistance,NER,2024,2024,75,HXL source,Tableau 2,Table 2\n",
        encoding="utf-8",
    )
    outcome = import_file(writable_sqlite, path)
    assert outcome.ok and outcome.written, outcome.problems.kept
    with writable_sqlite.connect() as conn:
        stored = conn.execute(
            select(s.sources.c.note, s.sources.c.note_fr).where(s.sources.c.title == "HXL source")
        ).one()
    assert tuple(stored) == ("Table 2", "Tableau 2")
