"""Visibility of data (issue 15): an internal figure, source, partner and activity
imported beside public ones never reaches the public (pages, callback bodies,
exports, /data, link previews and images), reaches staff marked as internal,
and publishing or unpublishing its batch shows or hides it at once."""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import zipfile
from html import escape
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader
from sqlalchemy import Engine, select

from components import export_render
from config import REFERENCE_DIR
from data_access import schema as s
from data_access.cache import cache
from data_access.db import set_request_audience
from data_access.engine import make_engine
from data_access.imports.importer import ImportOptions, import_file
from data_access.imports.publish import BatchRefused, set_batch_visibility
from data_access.loader import prepare_database
from data_access.version import bump_version, forget_cached_versions
from model.audience import STAFF
from model.file_format import ACTIVITY_COLUMNS, RESULT_COLUMNS
from tests.helpers import fresh_postgres, make_app, required_env, router_body
from web.audience import add_audience_resolver

INDICATOR = "migrants_return_assistance"
SECRET = "QZX"  # in every internal text: source, partner, activity
SECRET_VALUE = 987654  # the internal figure
SECRET_NUMBERS = ("987654", "987,654", "987\u202f654", "987 654", "987.654", "987.65")
INTERNAL_NOTE = "Includes internal figures: not published, for staff only."
OPEN = "PBX"  # in the public import beside it
OPEN_VALUE = 123457

PAGES = [
    ("/", "?year=2022"),
    ("/", f"?year=2022&map={INDICATOR}"),
    ("/countries/LBY", "?year=2022&lang=fr"),
    ("/countries/LBY", "?year=2022"),
    ("/countries/LBY", ""),
    ("/indicators", f"?indicators={INDICATOR}&countries=LBY&years=2022"),
    ("/indicators", f"?indicators={INDICATOR}"),
    ("/partners", ""),
    ("/partners", "?countries=LBY&year=2022"),
    ("/data", ""),
    ("/data", "?lang=fr"),
]
EXPORTS = [
    "/export/figure/coverage-map.svg?year=2022&lang=en",
    "/export/figure/country-figures.png?year=2022&lang=en",
    f"/export/figure/explorer.png?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
    f"/export/figure/results-map.png?year=2022&map={INDICATOR}&lang=en",
    "/export/programme-figures.csv?year=2022&lang=en",
    "/export/country-figures.csv?year=2022&lang=en",
    "/export/country-figures.xlsx?year=2022&lang=en",
    "/export/country-figures.csv?year=2022&country=LBY&lang=en",
    "/export/country-figures.xlsx?year=2022&country=LBY&lang=fr",
    "/export/coverage.csv?year=2022&lang=en",
    "/export/coverage.xlsx?year=2022&lang=en",
    "/export/activities.csv?year=2022&lang=en",
    "/export/activities.xlsx?year=2022&country=LBY&lang=en",
    f"/export/explorer.csv?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
    f"/export/explorer.xlsx?indicators={INDICATOR}&lang=en",
    "/export/partners.csv?lang=en",
    "/export/partners.xlsx?countries=LBY&year=2022&lang=en",
    "/export/brief/LBY.pdf?year=2022&lang=en",
    "/export/brief/LBY.pptx?year=2022&lang=en",
]
PREVIEWS = [
    "/preview/countries/LBY.png?year=2022&lang=en",
    "/preview/overview.png?year=2022&lang=en",
    f"/preview/indicators.png?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
    "/preview/partners.png?lang=en",
]


# --- the data: the reference, a public import, an internal import ------------------------------


def _write(path: Path, columns, rows: list[dict]) -> Path:
    names = [c.name for c in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({n: row.get(n, "") for n in names})
    return path


def _results(tag: str, value: int) -> list[dict]:
    """Libya's figure of 2022 and the programme's (a headline card on the Overview)."""
    row = {
        "indicator": INDICATOR,
        "country_iso3": "LBY",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "value": value,
        "qualifier": "exact",
        "source_title": f"{tag} monitoring sheet",
        "source_url": f"https://example.org/{tag.lower()}",
        "source_note": f"{tag} note",
    }
    return [row, {**row, "country_iso3": ""}]


def _activities(tag: str) -> list[dict]:
    return [
        {
            "key": f"lby-{tag.lower()}-2022",
            "country_iso3": "LBY",
            "year": 2022,
            "theme": "awareness",
            "partners": f"{tag} Partner Org",
            "partner_types": "local_ngo",
            "description_en": f"{tag} activity in Tripoli.",
            "description_fr": f"Activité {tag} à Tripoli.",
            "source_title": f"{tag} activity log",
            "source_url": f"https://example.org/{tag.lower()}-activities",
        }
    ]


def import_tagged(engine: Engine, folder: Path, tag: str, value: int, **options) -> list[int]:
    """Import a figure and an activity marked `tag`; the batch ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for name, columns, rows in (
        (f"{tag}_results.csv", RESULT_COLUMNS, _results(tag, value)),
        (f"{tag}_activities.csv", ACTIVITY_COLUMNS, _activities(tag)),
    ):
        outcome = import_file(
            engine, _write(folder / name, columns, rows), ImportOptions(loaded_by="ana.staff", **options)
        )
        assert outcome.written, [p.line() for p in outcome.problems.kept]
        ids.append(outcome.batch_id)
    return ids


def _prepared(backend: str, path: Path) -> Engine:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{path / 'compass.db'}")
    else:
        engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    return engine


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def mixed(request, tmp_path_factory):
    """The reference, then a public import (PBX), then an internal one (QZX, by default)."""
    engine, internal = _mixed(request.param, tmp_path_factory.mktemp(f"mixed-{request.param}"))
    yield engine, internal
    engine.dispose()
    if request.param == "postgres":  # other tests share this database as the reference data
        restored = fresh_postgres(required_env("TEST_DATABASE_URL"))
        prepare_database(restored, REFERENCE_DIR, loaded_by="tests")
        restored.dispose()


def _mixed(kind: str, folder):
    engine = _prepared(kind, folder)
    import_tagged(engine, folder / "in", OPEN, OPEN_VALUE, visibility="public")
    internal = import_tagged(engine, folder / "in", SECRET, SECRET_VALUE)  # the default: internal
    return engine, internal


@pytest.fixture(scope="module")
def mixed_sqlite(tmp_path_factory):
    """`mixed` on SQLite alone, for the byte-for-byte comparison (one backend is enough)."""
    engine, internal = _mixed("sqlite", tmp_path_factory.mktemp("mixed-sqlite-only"))
    yield engine, internal
    engine.dispose()


@pytest.fixture(scope="module")
def without_internal(tmp_path_factory):
    """The same database without the internal import (SQLite), at the same data version."""
    folder = tmp_path_factory.mktemp("public-only")
    engine = _prepared("sqlite", folder)
    import_tagged(engine, folder / "in", OPEN, OPEN_VALUE, visibility="public")
    with engine.begin() as conn:  # the internal import's two bumps, so footers agree
        bump_version(conn)
        bump_version(conn)
    return engine


@pytest.fixture
def fake_renderer(monkeypatch):
    """Images without chromium: a tiny PNG (or SVG) that carries the JSON of the
    figure it stands for, so a test reads what a picture would show."""

    def render(fig, fmt, width, height, scale=1, title=None, lang=None):
        body = f"{title}\n" + (fig.to_json() if hasattr(fig, "to_json") else json.dumps(fig, default=str))
        if fmt == "svg":
            return f'<svg xmlns="http://www.w3.org/2000/svg"><desc>{escape(body)}</desc></svg>'.encode()
        info = PngInfo()
        info.add_text("figure", body)
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(out, "PNG", pnginfo=info)
        return out.getvalue()

    monkeypatch.setattr(export_render, "render", render)


def staff_app(engine: Engine):
    """An app whose reader is staff when the request says X-Test-Audience: staff."""
    app = make_app(engine, data_version_ttl_ms=0)
    add_audience_resolver(
        app.server, lambda req: STAFF if req.headers.get("X-Test-Audience") == "staff" else None
    )
    return app


STAFF_HEADERS = {"X-Test-Audience": "staff"}
BATCH = re.compile(r'data-batch=\\"(\d+)\\"')  # an import history row, in a callback's JSON


# --- reading any answer as text ------------------------------------------------------------------


def readable(response) -> str:
    """The text a reader of the answer would see: XLSX, PPTX and PDF opened."""
    data = response.data
    if data.startswith(b"PK"):  # a zip: xlsx or pptx, every XML part
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    if data.startswith(b"\x89PNG"):
        return Image.open(io.BytesIO(data)).text.get("figure", "")
    if data.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


def shows_secret(text: str) -> bool:
    return SECRET in text or any(n in text for n in SECRET_NUMBERS)


def answers(client, headers=None) -> dict[str, str]:
    """Every page (GET and its page callback), export and preview, as text."""
    out = {}
    for path, search in PAGES:
        page = client.get(path + search, headers=headers)
        assert page.status_code == 200, (path, search)
        out[f"GET {path}{search}"] = readable(page)
        callback = client.post("/_dash-update-component", json=router_body(path, search), headers=headers)
        assert callback.status_code == 200, (path, search, callback.data[:300])
        out[f"POST {path}{search}"] = readable(callback)
    for url in EXPORTS + PREVIEWS:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.data[:300])
        out[url] = readable(response)
    return out


# --- the import ------------------------------------------------------------------------------------


def test_an_import_is_internal_unless_said_otherwise(mixed):
    engine, internal = mixed
    b = s.import_batches.c
    with engine.connect() as conn:
        rows = dict(conn.execute(select(b.id, b.visibility)).all())
        kinds = dict(conn.execute(select(b.id, b.kind)).all())
    assert {rows[i] for i in internal} == {"internal"}
    assert {rows[i] for i, kind in kinds.items() if kind == "reference"} == {"public"}
    assert sorted(v for i, v in rows.items() if i not in internal and kinds[i] != "reference") == [
        "public",
        "public",
    ]


def test_a_bad_visibility_is_refused_before_anything_is_read(tmp_path, writable_sqlite):
    path = _write(tmp_path / "r.csv", RESULT_COLUMNS, _results(SECRET, SECRET_VALUE))
    outcome = import_file(writable_sqlite, path, ImportOptions(visibility="secret", write_report=False))
    assert not outcome.written and [p.rule for p in outcome.problems.kept] == ["bad_visibility"]


# --- what the public and staff see -----------------------------------------------------------------


def test_the_public_never_sees_an_internal_row_and_staff_do(mixed, fake_renderer):
    engine, _ = mixed
    app = staff_app(engine)
    client = app.server.test_client()
    public = answers(client)
    leaks = [where for where, text in public.items() if shows_secret(text)]
    assert leaks == []
    assert OPEN in public["POST /countries/LBY?year=2022"]  # the public import beside it is there
    assert OPEN in public["/export/country-figures.csv?year=2022&country=LBY&lang=en"]
    staff = answers(client, STAFF_HEADERS)
    for where in (
        "POST /countries/LBY?year=2022",
        f"POST /indicators?indicators={INDICATOR}&countries=LBY&years=2022",
        "POST /partners?countries=LBY&year=2022",
        "POST /data",
        "/export/country-figures.csv?year=2022&country=LBY&lang=en",
        "/export/country-figures.xlsx?year=2022&country=LBY&lang=fr",
        "/export/activities.csv?year=2022&lang=en",
        f"/export/explorer.csv?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
        "/export/partners.csv?lang=en",
        f"/export/figure/explorer.png?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
    ):
        assert shows_secret(staff[where]), where
    # Images and briefs say so in their caption when they draw an internal figure.
    for where in (
        f"/export/figure/explorer.png?indicators={INDICATOR}&countries=LBY&years=2022&lang=en",
        "/export/figure/country-figures.png?year=2022&lang=en",
        "/export/brief/LBY.pdf?year=2022&lang=en",
        "/export/brief/LBY.pptx?year=2022&lang=en",
    ):
        assert INTERNAL_NOTE in " ".join(staff[where].split()), where
    assert not any(INTERNAL_NOTE in text for text in public.values())


def test_staff_see_internal_figures_marked(mixed):
    engine, _ = mixed
    client = staff_app(engine).server.test_client()
    body = client.post(
        "/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"), headers=STAFF_HEADERS
    ).get_data(as_text=True)
    assert "internal-badge" in body and "Internal: not published, shown to staff only" in body
    french = client.post(
        "/_dash-update-component",
        json=router_body("/countries/LBY", "?year=2022&lang=fr"),
        headers=STAFF_HEADERS,
    ).get_data(as_text=True)
    assert "internal-badge" in french and "Interne" in french
    public = client.post("/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"))
    assert "internal-badge" not in public.get_data(as_text=True)
    overview = router_body("/", "?year=2022")  # the programme's headline card
    assert (
        "internal-badge" in client.post("/_dash-update-component", json=overview, headers=STAFF_HEADERS).text
    )
    assert "internal-badge" not in client.post("/_dash-update-component", json=overview).text
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/export/country-figures.csv?year=2022&country=LBY&lang=en", headers=STAFF_HEADERS)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    marked = {row["source_title"]: row["visibility"] for row in rows[1:]}  # rows[0]: the HXL row
    assert (
        marked[f"{SECRET} monitoring sheet"] == "internal" and marked[f"{OPEN} monitoring sheet"] == "public"
    )
    public_csv = client.get("/export/country-figures.csv?year=2022&country=LBY&lang=en").get_data(
        as_text=True
    )
    assert "visibility" not in public_csv.splitlines()[0]  # the public's files are as before


def test_public_answers_are_those_of_a_database_without_the_internal_import(
    mixed_sqlite, without_internal, fake_renderer
):
    engine, _ = mixed_sqlite
    with_it = answers(staff_app(engine).server.test_client())
    without = answers(staff_app(without_internal).server.test_client())
    moments = re.compile(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?|\d{1,2}:\d{2}\s?[AP]M|\d{2}:\d{2}"
        r'|"end_id":"[^"]*"'
    )
    different = [
        where for where in with_it if moments.sub("", with_it[where]) != moments.sub("", without[where])
    ]
    shown = []
    for where in different:  # what differs, to see why when it does
        old, new = moments.sub("", without[where]).split(">"), moments.sub("", with_it[where]).split(">")
        shown += [where, *(line[:300] for line in list(difflib.unified_diff(old, new, lineterm="", n=0))[:8])]
    assert different == [], "\n".join(shown)


def test_public_data_page_hides_internal_batches_names_and_files(mixed):
    engine, internal = mixed
    client = staff_app(engine).server.test_client()
    page = client.post("/_dash-update-component", json=router_body("/data", "")).get_data(as_text=True)
    history = page[page.index("import-history") :][:20000]
    assert "ana.staff" not in page and "_results.csv" not in page, history
    assert {int(i) for i in BATCH.findall(page)}.isdisjoint(internal) and BATCH.findall(page)
    assert "Visibility" not in page
    staff = client.post("/_dash-update-component", json=router_body("/data", ""), headers=STAFF_HEADERS)
    staff = staff.get_data(as_text=True)
    assert "ana.staff" in staff and f"{SECRET}_results.csv" in staff and "Visibility" in staff
    assert set(internal) <= {int(i) for i in BATCH.findall(staff)}


# --- publishing ------------------------------------------------------------------------------------


def test_publish_shows_the_batch_at_once_and_unpublish_hides_it(mixed):
    engine, internal = mixed
    client = staff_app(engine).server.test_client()
    view = router_body("/countries/LBY", "?year=2022")
    before = client.post("/_dash-update-component", json=view).get_data(as_text=True)
    assert SECRET not in before
    with engine.connect() as conn:
        version = conn.execute(select(s.data_version.c.version)).scalar()
    try:
        for batch in internal:
            change = set_batch_visibility(engine, batch, "public")
            assert change.changed and change.version > version
        forget_cached_versions()
        published = client.post("/_dash-update-component", json=view).get_data(as_text=True)
        assert SECRET in published and "internal-badge" not in published
        assert SECRET in client.get("/export/activities.csv?year=2022&lang=en").get_data(as_text=True)
    finally:
        for batch in internal:
            assert set_batch_visibility(engine, batch, "internal").changed
        forget_cached_versions()
    hidden = client.post("/_dash-update-component", json=view).get_data(as_text=True)
    assert SECRET not in hidden
    assert SECRET not in client.get("/export/activities.csv?year=2022&lang=en").get_data(as_text=True)


def test_publish_refuses_unknown_batches_and_the_reference(mixed):
    engine, internal = mixed
    b = s.import_batches.c
    with engine.connect() as conn:
        reference = conn.execute(select(b.id).where(b.kind == "reference")).scalar()
        top = conn.execute(select(b.id).order_by(b.id.desc())).scalar()
    with pytest.raises(BatchRefused, match="there is no batch"):
        set_batch_visibility(engine, top + 100, "public")
    with pytest.raises(BatchRefused, match="reference data"):
        set_batch_visibility(engine, reference, "internal")
    assert not set_batch_visibility(engine, internal[0], "internal").changed  # already: nothing written


def test_publish_commands(writable_sqlite, tmp_path):
    app = make_app(writable_sqlite)
    runner = app.server.test_cli_runner()
    path = _write(tmp_path / "qzx.csv", RESULT_COLUMNS, _results(SECRET, SECRET_VALUE))
    imported = runner.invoke(args=["import-data", str(path), "--by", "ana"])
    assert imported.exit_code == 0, imported.output
    batch = int(re.search(r"Imported as batch (\d+) \(internal", imported.output).group(1))
    assert f"flask --app app publish {batch}" in imported.output
    listed = runner.invoke(args=["batches"])
    assert re.search(rf"^\s*{batch}\s+internal\s+results", listed.output, re.M), listed.output
    published = runner.invoke(args=["publish", str(batch)])
    assert published.exit_code == 0 and f"Batch {batch} is now public" in published.output
    again = runner.invoke(args=["publish", str(batch)])
    assert again.exit_code == 0 and "already public; nothing changed" in again.output
    unknown = runner.invoke(args=["unpublish", "9999"])
    assert unknown.exit_code == 1 and "there is no batch 9999" in unknown.output
    assert runner.invoke(args=["unpublish", "1"]).exit_code == 1  # the reference data
    assert "internal" in runner.invoke(args=["unpublish", str(batch)]).output
    public = runner.invoke(
        args=[
            "import-data",
            str(_write(tmp_path / "p.csv", RESULT_COLUMNS, _results(OPEN, 5))),
            "--visibility",
            "public",
        ]
    )
    assert "(public: everyone sees its rows)" in public.output


# --- the cache -------------------------------------------------------------------------------------


def test_public_then_staff_get_different_bytes_and_keys(mixed):
    engine, _ = mixed
    app = staff_app(engine)
    client = app.server.test_client()
    view = router_body("/countries/LBY", "?year=2022")
    public = client.post("/_dash-update-component", json=view).data
    staff = client.post("/_dash-update-component", json=view, headers=STAFF_HEADERS).data
    assert public != staff
    with app.server.app_context():
        keys = sorted(k for k in cache.cache._cache if k.startswith("resp:"))
    assert len(keys) == 2 and ["-public:" in k for k in keys].count(True) == 1
    assert ["-staff:" in k for k in keys].count(True) == 1
    assert client.post("/_dash-update-component", json=view).data == public  # each from its own entry
    assert client.post("/_dash-update-component", json=view, headers=STAFF_HEADERS).data == staff


def test_queries_read_for_staff_only_with_the_staff_version(mixed):
    from data_access import queries as q

    engine, _ = mixed
    app = make_app(engine)
    with app.server.test_request_context("/"):
        public = q.country_results("LBY", 2022, "en")
        set_request_audience(STAFF)
        staff = q.country_results("LBY", 2022, "en")
    assert "internal" not in public.columns and SECRET_VALUE not in set(public.value)
    assert SECRET_VALUE in set(staff.value) and staff.internal.sum() == 1


@pytest.mark.parametrize("internal", [False, True])
def test_a_donor_link_sees_internal_figures_only_when_made_with_them(mixed, internal):
    from data_access import queries as q
    from model.audience import donor_link

    engine, _ = mixed
    app = make_app(engine)
    with app.server.test_request_context("/"):
        set_request_audience(donor_link("l1", "/countries/LBY?year=2022", internal=internal))
        values = set(q.country_results("LBY", 2022, "en").value)
        acts = " ".join(q.activities(2022, "en", iso3="LBY").description)
    assert (SECRET_VALUE in values) is internal and (SECRET in acts) is internal
