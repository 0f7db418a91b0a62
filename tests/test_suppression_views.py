"""Small-cell suppression end to end (issue 15), on SQLite and PostgreSQL (+ Redis
when TEST_REDIS_URL is set): a sensitive indicator imported with small values by
sex shows "fewer than 10" to the public on the country page, in the explorer's
callback, in CSV/XLSX exports and in the brief, never the number; staff see the
numbers, marked as suppressed for the public."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.engine import make_engine
from data_access.imports.importer import ImportOptions, import_file
from data_access.loader import prepare_database
from data_access.summary import refresh_summary
from data_access.version import bump_version
from model.audience import PUBLIC, STAFF
from model.file_format import RESULT_COLUMNS
from tests.helpers import fresh_postgres, make_app, required_env, router_body
from web.audience import add_audience_resolver

CODE = "trafficking_victims_identified"
NNBSP = "\u202f"
# NER: a small total (6) hides its parts; LBY: a small part (7 women) takes the men (38) with it.
ROWS = [
    ("NER", "", "", "6"),
    ("NER", "sex", "female", "6"),
    ("NER", "sex", "male", "0"),
    ("LBY", "", "", "45"),
    ("LBY", "sex", "female", "7"),
    ("LBY", "sex", "male", "38"),
]
SMALL = {"6", "7"}  # no visible trace of these for the public (38 is hidden as their complement)


def _write_import(folder: Path) -> Path:
    header = [c.name for c in RESULT_COLUMNS]
    path = folder / "victims.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for iso3, dim, part, value in ROWS:
            row = dict.fromkeys(header, "")
            row.update(
                indicator=CODE,
                country_iso3=iso3,
                period_start="2023",
                period_end="2023",
                value=value,
                breakdown=dim,
                breakdown_value=part,
                source_title="Protection monitoring 2023",
            )
            writer.writerow([row[c] for c in header])
    with (folder / "victims.indicators.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "code",
                "name_en",
                "name_fr",
                "unit",
                "theme",
                "summable",
                "definition_en",
                "definition_fr",
                "sensitive",
            ]
        )
        writer.writerow(
            [
                CODE,
                "Victims of trafficking identified",
                "Victimes de la traite identifiées",
                "people",
                "protection_assistance",
                "1",
                "Victims identified.",
                "Victimes identifiées.",
                "1",
            ]
        )
    return path


def _publish(engine, batch_id: int) -> None:
    """Make the batch public (a stand-in for `flask publish`, another part of issue 15)."""
    with engine.begin() as conn:
        conn.execute(
            update(s.import_batches).where(s.import_batches.c.id == batch_id).values(visibility="public")
        )
        sources = conn.execute(
            select(s.results.c.source_id).where(s.results.c.batch_id == batch_id)
        ).scalars()
        refresh_summary(conn, set(sources))
        bump_version(conn)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("suppression")
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'compass.db'}")
    else:
        engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    outcome = import_file(engine, _write_import(folder), ImportOptions(loaded_by="tests"))
    assert outcome.batch_id, [p.message for p in outcome.problems.kept]
    _publish(engine, outcome.batch_id)
    with engine.connect() as conn:
        assert (
            conn.execute(select(s.indicators.c.sensitive).where(s.indicators.c.code == CODE)).scalar() is True
        )
    overrides = {}
    if request.param == "postgres":
        import os

        if os.environ.get("TEST_REDIS_URL"):
            overrides = {"cache_type": "RedisCache", "cache_redis_url": os.environ["TEST_REDIS_URL"]}
    app = make_app(engine, **overrides)
    readers = {"public": PUBLIC, "staff": STAFF}
    add_audience_resolver(app.server, lambda req: readers.get(req.headers.get("X-Test-Audience", "")))
    return app


def _get(app, url: str, who: str):
    response = app.server.test_client().get(url, headers={"X-Test-Audience": who})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def _view(app, path: str, search: str, who: str) -> str:
    response = app.server.test_client().post(
        "/_dash-update-component", json=router_body(path, search), headers={"X-Test-Audience": who}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace(NNBSP, " ")


def _rows(data: bytes, totals: bool = False) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    found = [dict(zip(rows[0], row, strict=True)) for row in rows[2:] if CODE in row]
    return [r for r in found if not r["breakdown"]] if totals else found


def _suppressed_cells(body: str) -> list[str]:
    """The texts of the explorer/table cells naming our indicator's figures."""
    return [m for m in _plain(body).split('"') if "fewer than" in m or "moins de" in m]


EXPLORER = f"?indicators={CODE}&countries=LBY,NER&years=2023&breakdown=sex"


def test_explorer_callback_hides_small_parts_and_their_complement_from_the_public(app):
    body = _view(app, "/indicators", EXPLORER, "public")
    assert "fewer than 10" in _plain(body)
    staff = _view(app, "/indicators", EXPLORER, "staff")
    assert "fewer than 10" not in _plain(staff)
    assert "suppressed for the public" in staff.lower()
    french = _view(app, "/indicators", EXPLORER + "&lang=fr", "public")
    assert "moins de 10" in _plain(french)


def test_csv_and_xlsx_exports_say_less_than_10_and_flag_it(app):
    public = _rows(_get(app, f"/export/explorer.csv{EXPLORER}", "public").data)
    assert len(public) == 4
    by_part = {(r["country_iso3"], r["breakdown_value"]): r for r in public}
    assert by_part["NER", "female"]["value"] == "<10" and by_part["NER", "female"]["suppressed"] == "1"
    assert by_part["NER", "male"]["value"] == "0" and by_part["NER", "male"]["suppressed"] == "0"
    assert by_part["LBY", "female"]["value"] == "<10"
    assert by_part["LBY", "male"]["value"] == "<10"  # the complement: 45 - 38 would give 7
    assert not any(r["value"] in SMALL | {"38"} for r in public)
    assert all(r["figure"] == "fewer than 10" for r in public if r["suppressed"] == "1")

    staff = _rows(_get(app, f"/export/explorer.csv{EXPLORER}", "staff").data)
    exact = {(r["country_iso3"], r["breakdown_value"]): (r["value"], r["suppressed"]) for r in staff}
    assert exact == {
        ("NER", "female"): ("6", "1"),
        ("NER", "male"): ("0", "0"),
        ("LBY", "female"): ("7", "1"),
        ("LBY", "male"): ("38", "1"),
    }

    book = load_workbook(io.BytesIO(_get(app, f"/export/explorer.xlsx{EXPLORER}", "public").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    values = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=3)]
    ours = [v for v in values if v["indicator"] == CODE]
    assert sorted(str(v["value"]) for v in ours) == ["0", "<10", "<10", "<10"]
    assert sum(bool(v["suppressed"]) for v in ours) == 3


def test_country_page_and_its_export_show_a_small_total_as_fewer_than_10(app):
    public = _plain(_view(app, "/countries/NER", "?year=2023", "public"))
    assert "fewer than 10" in public
    staff = _plain(_view(app, "/countries/NER", "?year=2023", "staff"))
    assert "fewer than 10" not in staff and "suppressed for the public" in staff.lower()
    rows = _rows(_get(app, "/export/country-figures.csv?year=2023&country=NER", "public").data, True)
    assert [(r["value"], r["figure"], r["suppressed"]) for r in rows] == [("<10", "fewer than 10", "1")]
    rows = _rows(_get(app, "/export/country-figures.csv?year=2023&country=NER", "staff").data, True)
    assert [(r["value"], r["suppressed"]) for r in rows] == [("6", "1")]
    # A total that is not small is shown to everyone.
    rows = _rows(_get(app, "/export/country-figures.csv?year=2023&country=LBY", "public").data, True)
    assert [(r["value"], r["suppressed"]) for r in rows] == [("45", "0")]


def test_brief_says_fewer_than_10_to_the_public(app):
    def text(who: str, lang: str = "en") -> str:
        data = _get(app, f"/export/brief/NER.pdf?year=2023&lang={lang}", who).data
        pages = PdfReader(io.BytesIO(data)).pages
        return " ".join(_plain(" ".join(p.extract_text() for p in pages)).split())

    assert "fewer than 10" in text("public")
    assert "moins de 10" in text("public", "fr")
    assert "fewer than 10" not in text("staff")


@pytest.mark.parametrize("chart", ["lines", "bars", "map"])
def test_the_public_callback_body_holds_no_small_value_of_the_indicator(app, chart):
    body = _view(app, "/indicators", f"{EXPLORER}&chart={chart}", "public")
    assert "fewer than 10" in _plain(body)
    flat = json.dumps(json.loads(body))
    # Numbers of the figures travel as data-value attributes and chart data: none is small.
    for small in SMALL | {"38"}:
        assert f'"data-value": "{small}"' not in flat
        assert f'"x": [{small}' not in flat and f'"y": [{small}' not in flat
