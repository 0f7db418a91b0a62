"""Small-cell suppression end to end (issue 15), on SQLite and PostgreSQL (+ Redis
when TEST_REDIS_URL is set): a sensitive indicator imported with small values by
sex shows "fewer than 10" to the public on the country page, in the explorer's
callback, in CSV/XLSX exports and in the brief, never the number; staff see the
numbers, marked as suppressed for the public."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.db import set_request_audience
from data_access.engine import make_engine
from data_access.explorer import explorer_results
from data_access.imports.importer import ImportOptions, import_file
from data_access.loader import prepare_database
from data_access.summary import refresh_summary
from data_access.version import bump_version
from model.audience import PUBLIC, STAFF, donor_link
from model.file_format import RESULT_COLUMNS
from tests.helpers import fresh_postgres, make_app, parse_html, required_env, router_body
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
    declare_sensitive(
        folder / "victims.indicators.csv",
        [CODE, "Victims of trafficking identified", "Victimes de la traite identifiées"],
        ["Victims identified.", "Victimes identifiées."],
    )
    return path


DECLARATION_HEADER = [
    "code",
    "name_en",
    "name_fr",
    "unit",
    "theme",
    "summable",
    "definition_en",
    "definition_fr",
]


def declare_sensitive(path, names: list[str], definitions: list[str] = ("", "")) -> None:
    """An indicator declaration file (code, EN and FR names) of one summable,
    sensitive count of people."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*DECLARATION_HEADER, "sensitive"])
        writer.writerow([*names, "people", "protection_assistance", "1", *definitions, "1"])


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
    import_random(engine, folder)
    with engine.connect() as conn:
        for code in (CODE, RANDOM_CODE):
            assert conn.execute(select(s.indicators.c.sensitive).where(s.indicators.c.code == code)).scalar()
    overrides = {}
    if request.param == "postgres":
        import os

        if os.environ.get("TEST_REDIS_URL"):
            overrides = {"cache_type": "RedisCache", "cache_redis_url": os.environ["TEST_REDIS_URL"]}
    app = make_app(engine, **overrides)
    app.test_engine = engine  # for a test that builds another app on the same data
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
    staff = text("staff")
    assert "fewer than 10" not in staff
    assert "suppressed for the public" in staff  # the exact value is marked as hidden from others
    assert "suppressed for the public" not in text("public")


@pytest.mark.parametrize("chart", ["lines", "bars", "map"])
def test_the_public_callback_body_holds_no_small_value_of_the_indicator(app, chart):
    body = _view(app, "/indicators", f"{EXPLORER}&chart={chart}", "public")
    assert "fewer than 10" in _plain(body)
    flat = json.dumps(json.loads(body))
    # Numbers of the figures travel as data-value attributes and chart data: none is small.
    for small in SMALL | {"38"}:
        assert f'"data-value": "{small}"' not in flat
        assert f'"x": [{small}' not in flat and f'"y": [{small}' not in flat


# --- the property on the real queries: random data, random views ---------------------------

RANDOM_CODE = "victims_referred"
PLACES = ("LBY", "NER", "MLI", "TCD")
YEARS = (2021, 2022, 2023)
SPLITS = {"sex": ("female", "male"), "age_group": ("under_18", "adult", "older")}


def random_rows(seed: int = 15) -> list[tuple[str, int, str, str, int]]:
    """(iso3, year, dim, part, value): a total per place and year, and its parts by
    sex and by age summing to it; many of them small (seeded, so failures replay)."""
    rng = random.Random(seed)
    rows = []
    for iso3 in PLACES:
        for year in YEARS:
            total = rng.choice([rng.randint(0, 12), rng.randint(0, 60), rng.randint(10, 300)])
            rows.append((iso3, year, "", "", total))
            for dim, parts in SPLITS.items():
                cuts = sorted(rng.randint(0, total) for _ in parts[1:])
                values = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
                rows += [(iso3, year, dim, part, value) for part, value in zip(parts, values, strict=True)]
    return rows


def import_random(engine, folder: Path) -> None:
    header = [c.name for c in RESULT_COLUMNS]
    path = folder / "referred.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for iso3, year, dim, part, value in random_rows():
            row = dict.fromkeys(header, "")
            row.update(
                indicator=RANDOM_CODE,
                country_iso3=iso3,
                period_start=str(year),
                period_end=str(year),
                value=str(value),
                breakdown=dim,
                breakdown_value=part,
                source_title="Referral monitoring",
            )
            writer.writerow([row[c] for c in header])
    with (folder / "referred.indicators.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["code", "name_en", "name_fr", "unit", "theme", "summable", "definition_en", "definition_fr"]
        )
        writer.writerow(
            [
                RANDOM_CODE,
                "Victims referred",
                "Victimes orientées",
                "people",
                "protection_assistance",
                "1",
                "",
                "",
            ]
        )
    # Declared without the column, then marked sensitive by a second declaration: a
    # file may mark an existing indicator sensitive.
    outcome = import_file(engine, path, ImportOptions(loaded_by="tests"))
    assert outcome.batch_id, [p.message for p in outcome.problems.kept]
    _publish(engine, outcome.batch_id)
    marker = folder / "marker.csv"
    with marker.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        row = dict.fromkeys(header, "")
        row.update(
            indicator=RANDOM_CODE, country_iso3="TUN", period_start="2020", period_end="2020", value="500"
        )
        row.update(source_title="Referral monitoring 2020")
        writer.writerow([row[c] for c in header])
    declare_sensitive(
        folder / "marker.indicators.csv", [RANDOM_CODE, "Victims referred", "Victimes orientées"]
    )
    outcome = import_file(engine, marker, ImportOptions(loaded_by="tests"))
    assert outcome.batch_id, [p.message for p in outcome.problems.kept]
    _publish(engine, outcome.batch_id)


BELOW = 10
VIEWS = st.tuples(
    st.sets(st.sampled_from(PLACES)),
    st.sets(st.sampled_from(YEARS)),
    st.sampled_from([None, *SPLITS]),
    st.sampled_from(["public", "link"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(VIEWS)
def test_no_view_shows_a_small_count_or_lets_one_be_recomputed(app, view):
    """Random filters and breakdowns through the explorer's query, for the public and
    a donor link: no visible value between 1 and 9, and for every place and year whose
    total is visible, the hidden parts of each breakdown (as that breakdown's own view
    shows them) are at least two and sum to at least the threshold."""
    places, years, breakdown, who = view
    reader = PUBLIC if who == "public" else donor_link("l1", "/indicators", internal=False)
    with app.server.test_request_context("/"):
        set_request_audience(reader)
        frame = explorer_results((RANDOM_CODE,), tuple(places), tuple(years), breakdown)
        assert len(frame), view
        shown = frame[~frame.suppressed]
        assert not any(0 < v < BELOW for v in shown.value), shown[["country_iso3", "value"]]
        assert (frame[frame.suppressed].value == BELOW).all() and (
            frame[frame.suppressed].qualifier == "fewer_than"
        ).all()
        totals = explorer_results((RANDOM_CODE,), tuple(places), tuple(years), None)
        for dim in SPLITS:
            parts = explorer_results((RANDOM_CODE,), tuple(places), tuple(years), dim)
            for (iso3, year), group in parts.groupby(["country_iso3", "year"]):
                total = totals[(totals.country_iso3 == iso3) & (totals.year == year)]
                if total.empty or total.suppressed.any():
                    assert group.suppressed.sum() == (group.value > 0).sum() or not any(
                        0 < v < BELOW for v in group.value[~group.suppressed]
                    )
                    continue
                hidden = group[group.suppressed]
                if hidden.empty:
                    continue
                remainder = float(total.value.iloc[0]) - float(group.value[~group.suppressed].sum())
                assert len(hidden) >= 2 and remainder >= BELOW, (iso3, year, dim, remainder)


def test_random_data_does_hide_something_and_staff_see_it_all(app):
    """The property above is not vacuous: the seeded data has small cells, hidden
    for the public and shown exactly (flagged) to staff."""
    exact = {(i, y, d, p): v for i, y, d, p, v in random_rows()}
    with app.server.test_request_context("/"):
        set_request_audience(STAFF)
        staff = explorer_results((RANDOM_CODE,), PLACES, YEARS, "sex")
        assert staff.suppressed.sum() >= 2
        for row in staff.itertuples():
            assert row.value == exact[row.country_iso3, row.year, "sex", row.breakdown_value]
    with app.server.test_request_context("/"):
        set_request_audience(PUBLIC)
        public = explorer_results((RANDOM_CODE,), PLACES, YEARS, "sex")
        assert public.suppressed.sum() == staff.suppressed.sum()


def test_link_preview_and_chart_file_say_fewer_than_10_to_the_public(app):
    def description(who: str) -> str:
        page = parse_html(_get(app, "/countries/NER?year=2023", who).get_data(as_text=True))
        metas = [m for m in page.iter("meta") if m.attrs.get("property") == "og:description"]
        return _plain(metas[0].attrs["content"])

    assert "Victims of trafficking identified: fewer than 10;" in description("public")
    assert "Victims of trafficking identified: 6;" in description("staff")
    svg = _plain(
        _get(app, "/export/figure/country-figures.svg?year=2023&country=NER", "public").get_data(as_text=True)
    )
    assert "fewer than 10" in svg
    svg = _plain(
        _get(app, "/export/figure/country-figures.svg?year=2023&country=NER", "staff").get_data(as_text=True)
    )
    assert "fewer than 10" not in svg


def test_the_threshold_is_suppress_below(app):
    """With SUPPRESS_BELOW=5 the total of 6 is shown; the 2-victim cells still are not."""
    other = make_app(app.test_engine, suppress_below=5)
    with other.server.test_request_context("/"):
        set_request_audience(PUBLIC)
        totals = explorer_results((CODE,), ("NER", "LBY"), (2023,), None)
        assert sorted(totals.value) == [6, 45] and not totals.suppressed.any()
        assert (totals.suppress_below == 5).all()
        referred = explorer_results((RANDOM_CODE,), PLACES, YEARS, "sex")
        assert not any(0 < v < 5 for v in referred.value[~referred.suppressed])
        assert (referred.value[referred.suppressed] == 5).all()
