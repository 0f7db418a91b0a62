"""Fuzzing the import: whatever bytes or cells a file holds, `import_file` reports
problems and never raises; a refused file leaves the database exactly as it was;
whatever it accepts, export -> import gives back unchanged."""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.imports.export import export_data
from data_access.imports.importer import ImportOptions, ImportOutcome, import_file
from data_access.loader import prepare_database
from model.file_format import RESULT_COLUMNS
from tests.helpers import COMPASS, snapshot

FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = [c.name for c in RESULT_COLUMNS]
HXL = [c.hxl for c in RESULT_COLUMNS]
_names = itertools.count()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One database for the module: every example must leave it as it was (or,
    when an example's file is valid, as that file says)."""
    folder = tmp_path_factory.mktemp("fuzz")
    engine = make_engine(f"sqlite:///{folder / 'fuzz.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    yield engine, folder
    engine.dispose()


def _import(engine, path: Path, options: ImportOptions | None = None) -> ImportOutcome:
    """Import `path`; it must not raise, and when refused must change nothing."""
    before = snapshot(engine)
    outcome = import_file(engine, path, options or ImportOptions(loaded_by="fuzz"))
    assert outcome.ok == (outcome.problems.errors == 0)
    for problem in outcome.problems.kept:
        assert problem.rule and problem.severity in ("error", "warning")
    if not outcome.ok or not outcome.written:
        assert not outcome.written
        assert snapshot(engine) == before
    return outcome


def _path(folder: Path, suffix: str) -> Path:
    return folder / f"case{next(_names)}.{suffix}"


# --- raw bytes ---------------------------------------------------------------------------

CSV_LIKE = st.lists(
    st.sampled_from(
        [
            *HEADER,
            *HXL,
            ",",
            ";",
            "\t",
            "\n",
            "\r\n",
            '"',
            "'",
            "=",
            "#",
            "\ufeff",
            "\x00",
            "\xe9",
            "NER",
            "2023",
            "12.5",
            "-1",
            "\u062a\u0634\u0627\u062f",
        ]
    ),
    max_size=200,
).map(lambda parts: "".join(parts).encode("utf-8"))


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=4096), CSV_LIKE, CSV_LIKE.map(lambda b: b.decode().encode("cp1252", "replace"))
    )
)
def test_random_bytes_as_csv(db, data):
    engine, folder = db
    path = _path(folder, "csv")
    path.write_bytes(data)
    _import(engine, path)


def _xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _xlsx_bytes(
    [
        HEADER,
        [
            "migrants_return_assistance",
            "NER",
            "2023",
            "2023",
            5,
            "",
            "",
            "",
            "",
            "",
            "Fuzz source",
            "",
            "",
            "",
        ],
    ]
)
XLSX_MEMBERS = zipfile.ZipFile(io.BytesIO(VALID_XLSX)).namelist()


def _replace_member(name: str, data: bytes | None = None, cut: int | None = None) -> bytes:
    """The valid workbook with one of its files replaced by `data` or cut after `cut` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == name:
                content = content[:cut] if data is None else data
            target.writestr(item, content)
    return buffer.getvalue()


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=4096),
        st.binary(max_size=64).map(lambda b: VALID_XLSX[: len(VALID_XLSX) // 2] + b),
        st.tuples(st.sampled_from(XLSX_MEMBERS), st.binary(max_size=512)).map(lambda t: _replace_member(*t)),
        # A sheet cut short is only found out when its rows are read.
        st.tuples(st.sampled_from(XLSX_MEMBERS), st.integers(0, 3000)).map(
            lambda t: _replace_member(t[0], cut=t[1])
        ),
    )
)
def test_random_bytes_as_xlsx(db, data):
    engine, folder = db
    path = _path(folder, "xlsx")
    path.write_bytes(data)
    _import(engine, path)


# --- random cells under a valid header -------------------------------------------------------

TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),  # any encodable text
    st.text(alphabet=st.sampled_from("#=+-@\"';,\t\n\r ab\u00e9\u062a\U0001f30d\x0b\x00"), max_size=30),
    st.text(alphabet="ab ,\"'", min_size=300, max_size=6000),  # longer than any column
    st.sampled_from(["#indicator+code", "#reached+f", "=1+1", "@SUM(A1)", "'=x", "-", "'", '"', ""]),
)
PLAUSIBLE = {
    "indicator": st.sampled_from(["migrants_return_assistance", "satisfaction_rate_pct", "nope"]),
    "country_iso3": st.sampled_from([*COMPASS, "", "FRA", "XXX", "ner"]),
    "period_start": st.sampled_from(["2023", "2023-01-01", "2023-02-30", "1989", "2023-12-31"]),
    "period_end": st.sampled_from(["2023", "2023-12-31", "2022", "2101"]),
    "value": st.one_of(
        st.integers(0, 10**9).map(str),
        st.floats(0, 100, allow_nan=False).map(repr),
        st.sampled_from(["-5", "7,000", "7 000", "1e5", "9" * 400, "150"]),
    ),
    "qualifier": st.sampled_from(["", "exact", "more than", "up_to", "approx.", "roughly"]),
    "breakdown": st.sampled_from(["", "", "sex", "Sex!"]),
    "breakdown_value": st.sampled_from(["", "", "female", "male"]),
    "target": st.sampled_from(["", "", "100", "-1"]),
    "source_title": st.sampled_from(["Fuzz source", "Fuzz source 2"]),
    "source_url": st.sampled_from(["", "https://example.org/x", "www.example.org"]),
}


def _cell(name: str):
    return st.one_of(PLAUSIBLE.get(name, TEXT), TEXT)


ROW = st.tuples(*(_cell(name) for name in HEADER)).map(list)
GRID = st.lists(ROW, max_size=6)


def _write_csv(path: Path, rows: list[list], hxl: bool, delimiter: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        if hxl:
            writer.writerow(HXL)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: list[list], hxl: bool) -> None:
    def cell(text: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", text)  # openpyxl cannot write them at all

    path.write_bytes(
        _xlsx_bytes([HEADER, *([HXL] if hxl else []), *[[cell(c) for c in row] for row in rows]])
    )


@FUZZ
@given(rows=GRID, hxl=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_cells_in_a_csv(db, rows, hxl, delimiter):
    engine, folder = db
    path = _path(folder, "csv")
    _write_csv(path, rows, hxl, delimiter)
    _import(engine, path)


@FUZZ
@given(rows=GRID, hxl=st.booleans())
def test_random_cells_in_a_workbook(db, rows, hxl):
    engine, folder = db
    path = _path(folder, "xlsx")
    _write_xlsx(path, rows, hxl)
    _import(engine, path)


# --- whatever is accepted comes back unchanged ---------------------------------------------------

STORED_TEXT = st.one_of(
    # NUL cannot be in a text file (the reader refuses it whole, by design); lone
    # surrogates cannot be encoded in any UTF-8 file.
    st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=60).filter(
        lambda t: t.strip()
    ),
    st.text(alphabet=st.sampled_from("=+-@\"';,\n\r\t #ab\u00e9\x0b"), min_size=1, max_size=30).filter(
        str.strip
    ),
)


@settings(FUZZ, max_examples=40)
@given(
    title=STORED_TEXT,
    note=STORED_TEXT,
    partner=STORED_TEXT,
    # Excel files keep 15-16 significant digits; figures have far fewer.
    value=st.one_of(
        st.integers(0, 10**12), st.decimals(0, 1000, places=6), st.sampled_from(["0.00001", "1e-7"])
    ),
    year=st.integers(1990, 2100),
    suffix=st.sampled_from(["csv", "xlsx"]),
)
def test_accepted_figures_export_and_import_unchanged(db, title, note, partner, value, year, suffix):
    engine, folder = db
    path = _path(folder, "csv")
    number = format(Decimal(value), "f")  # as a person writes it: no exponent
    row = [
        "migrants_return_assistance",
        "NER",
        str(year),
        str(year),
        number,
        "",
        "",
        "",
        "",
        partner,
        title,
        "",
        "",
        note,
    ]
    _write_csv(path, [row], hxl=False, delimiter=",")
    outcome = _import(engine, path)
    if not outcome.ok:  # e.g. a text that is empty once cleaned, or too long
        assert {p.rule for p in outcome.problems.kept if p.severity == "error"} <= {
            "required",
            "too_long",
            "conflicts_with_stored",
        }
        return
    state = snapshot(engine)
    export = _path(folder, suffix)
    export_data(engine, export)
    again = _import(engine, export)
    assert again.ok and not again.written, again.problems.kept
    assert again.results.added == again.results.updated == 0
    assert snapshot(engine) == state
