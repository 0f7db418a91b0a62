"""The Data page and its queries, the template downloads and the country page's
targets, without a browser."""

from __future__ import annotations

import importlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update

from components.formatting import format_moment, format_percent_of, percent_of
from components.targets import targets_table
from config import Settings
from data_access import catalog
from data_access import schema as s
from data_access.db import get_engine, set_request_audience
from data_access.imports.importer import ImportOptions, import_file
from data_access.summary import refresh_summary
from data_access.templates import TEMPLATE_FILES
from data_access.version import bump_version
from model.audience import STAFF
from model.places import collation_key
from pages import ids, paths
from tests.helpers import (
    NBSP,
    NNBSP,
    browser_url,
    by_id,
    export_hrefs,
    make_app,
    text_of,
    view_nav,
    view_query,
    walk,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NARRATIVE_EN = "COMPASS Year 2 (2022): results narrative"
NARRATIVE_FR = "COMPASS Ann\u00e9e 2 (2022) : r\u00e9cit des r\u00e9sultats"  # as stored (title_fr)
NARRATIVE_DOCUMENT = "COMPASS Year 2 (2022) results narrative (IOM)"  # never the seed file's path


def _count(table, *where) -> int:
    with get_engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar()


# --- catalog queries, on SQLite and PostgreSQL ------------------------------------------------


def test_import_history_lists_the_reference_load(app_context):
    history = catalog.import_history(10)
    assert list(history.columns) == [
        "id",
        "kind",
        "file_name",
        "checksum",
        "rows_total",
        "rows_added",
        "rows_updated",
        "rows_unchanged",
        "loaded_by",
        "loaded_at",
        "visibility",
    ]
    first = history.iloc[0]
    assert (first.kind, first.file_name, first.loaded_by) == ("reference", "data/reference/", "tests")
    assert first.rows_total == first.rows_added + first.rows_updated + first.rows_unchanged > 0
    assert len(first.checksum) == 64
    assert isinstance(first.loaded_at, datetime)


def test_sources_are_listed_once_per_document_with_what_cites_them(app_context):
    en, fr = catalog.source_list("en"), catalog.source_list("fr")
    assert len(en) == len(fr) == catalog.data_status().sources
    # Quotes of one document are stored as separate source rows; the list shows the document once.
    narrative = en[en.title == NARRATIVE_EN]
    assert len(narrative) == 1
    row = narrative.iloc[0]
    assert row.url is None and row.document == NARRATIVE_DOCUMENT and row.language == "fr"
    assert row.entries > 1 and row.results > 0 and row.activities > 0 and row.campaigns > 0
    assert NARRATIVE_FR in fr.title.tolist() and NARRATIVE_EN not in fr.title.tolist()
    # Counted in SQL without double counting: every citing row is counted exactly once.
    assert en.results.sum() == _count(s.results)
    assert en.activities.sum() == _count(s.activities)
    assert en.campaigns.sum() == _count(s.campaigns)
    assert en.entries.sum() == _count(s.sources)
    keys = [collation_key(t) for t in en.title]
    assert keys == sorted(keys)
    assert en.url.dropna().str.startswith("http").all()


def test_indicator_definitions(app_context):
    en, fr = catalog.indicator_definitions("en"), catalog.indicator_definitions("fr")
    assert len(en) == len(fr) == _count(s.indicators) == 34
    assert en.results.sum() == _count(s.results)
    budget = en.set_index("code").loc["budget_eur_million"]
    assert (budget.unit, budget.theme, bool(budget.summable)) == ("eur_million", "programme", False)
    assert budget.definition and budget.results >= 1
    fr_budget = fr.set_index("code").loc["budget_eur_million"]
    assert fr_budget["name"] == "Budget (millions d\u2019euros)"
    assert "millions d\u2019euros" in fr_budget.definition
    assert en.summable.dtype == bool


def test_data_status(app_context):
    status = catalog.data_status()
    assert status.version >= 1
    assert isinstance(status.changed_at, datetime)
    assert status.results == _count(s.results) == 67
    assert status.countries_with_data == 10  # 14 COMPASS countries, 4 with nothing published
    assert status.sources == len(catalog.source_list("en"))


def test_no_targets_in_the_reference_data(app_context):
    assert catalog.country_targets("LBY", 2022, "en").empty
    assert _count(s.results, s.results.c.target.is_not(None)) == 0


# --- targets (a database of the test's own) ----------------------------------------------------


def add_targets(engine) -> None:
    """Libya 2022: a new targeted breakdown ('more than 3,000' of 4,000) and a target of 6
    on the 8 MHPSS sessions (exceeded); the data version is bumped like any load."""
    with engine.begin() as conn:
        reached = conn.execute(
            select(s.results).where(
                s.results.c.country_iso3 == "LBY",
                s.results.c.indicator_code == "migrants_reached_by_ambassadors",
            )
        ).one()
        values = dict(reached._mapping)
        values.pop("id")
        values.update(breakdown_dim="sex", breakdown_value="female", value=3000, target=4000)
        conn.execute(insert(s.results).values(**values))
        conn.execute(
            update(s.results)
            .where(s.results.c.country_iso3 == "LBY", s.results.c.indicator_code == "mhpss_training_sessions")
            .values(target=6)
        )
        refresh_summary(conn)  # like every writer: pages read the summary
        bump_version(conn)


@pytest.fixture
def write_targets():
    """What `targeted_app` (conftest.py) writes to the test's database first."""
    return add_targets


def test_country_targets_query(targeted_app):
    frame = catalog.country_targets("lby", 2022, "fr")
    assert sorted(zip(frame.indicator_code, frame.value, frame.qualifier, frame.target, strict=True)) == [
        ("mhpss_training_sessions", 8.0, "exact", 6.0),
        ("migrants_reached_by_ambassadors", 3000.0, "more_than", 4000.0),
    ]
    assert set(frame.breakdown_dim) == {"", "sex"}
    assert frame.indicator_name.str.len().gt(0).all() and frame.source_title.str.startswith("COMPASS").all()
    assert catalog.country_targets("LBY", 2021, "en").empty
    assert catalog.country_targets("NGA", 2022, "en").empty


def country_layout(**query):
    return importlib.import_module("pages.country").layout(**query)


def test_country_page_shows_progress_against_targets(targeted_app):
    tree = country_layout(iso3="LBY", year="2022", lang="en")
    section = by_id(tree, "targets")
    assert section is not None
    text = text_of(section)
    assert "Progress against targets" in text
    assert "more than 3,000" in text and "4,000" in text and "more than 75%" in text
    assert "Sex: female" in text
    assert "133.3%" in text  # 8 sessions against a target of 6: shown, never capped in the text
    rows = [n for n in walk(by_id(tree, "country-targets")) if getattr(n, "data-indicator", None)]
    assert len(rows) == 2  # one row per targeted figure, no total row
    bars = {
        getattr(n, "aria-valuetext"): n for n in walk(section) if getattr(n, "role", None) == "progressbar"
    }
    assert set(bars) == {"more than 75% of the target", "133.3% of the target"}
    assert getattr(bars["more than 75% of the target"], "aria-valuenow") == "75"
    full = bars["133.3% of the target"]
    assert getattr(full, "aria-valuenow") == "100" and "target-reached" in full.children.className
    assert "against a target of 4,000" in getattr(bars["more than 75% of the target"], "aria-label")


def test_country_targets_in_french(targeted_app):
    text = text_of(by_id(country_layout(iso3="LBY", year="2022", lang="fr"), "targets"))
    assert "Progr\u00e8s par rapport aux cibles" in text
    assert f"plus de 3{NNBSP}000" in text and f"plus de 75{NBSP}%" in text and f"133,3{NBSP}%" in text


def test_no_target_section_without_targets(sqlite_context):
    tree = country_layout(iso3="LBY", year="2022", lang="en")
    assert by_id(tree, "figures") is not None
    assert by_id(tree, "targets") is None and "Progress against targets" not in text_of(tree)


def test_targets_table_without_a_positive_target(targeted_app):
    frame = catalog.country_targets("LBY", 2022, "en").head(1).assign(target=0.0)
    tree = targets_table(frame, "en", lambda m: m, "caption")
    assert not [n for n in walk(tree) if getattr(n, "role", None) == "progressbar"]
    assert "\u2013" in text_of(tree)


def test_percent_of_target_keeps_the_qualifier():
    assert percent_of(3000, 4000) == 75.0 and percent_of(1, 3) == 33.3
    assert percent_of(5, 0) is None and percent_of(5, None) is None
    assert format_percent_of(3000, 4000, "more_than", "en") == "more than 75%"
    assert format_percent_of(900, 1000, "up_to", "fr") == f"jusqu\u2019\u00e0 90{NBSP}%"
    assert format_percent_of(1, 0, "exact", "en") is None


def test_format_moment_is_utc_and_localised():
    naive = datetime(2026, 11, 26, 16, 57, 30)
    assert format_moment(naive, "en") == f"Nov 26, 2026 at 4:57{NNBSP}PM UTC"
    assert format_moment(naive.replace(tzinfo=UTC), "fr") == "26 nov. 2026 \u00e0 16:57 UTC"


# --- the /data layout ------------------------------------------------------------------------------


def data_layout(**query):
    return importlib.import_module("pages.data").layout(**query)


def test_data_page_in_english(sqlite_context):
    tree = data_layout(year="2022", lang="en")
    text = text_of(tree)
    assert "Data and sources" in text
    assert view_query(tree) == ("/data", {"year": "2022", "lang": "en"})
    assert by_id(tree, "status-version").children == "1"
    assert by_id(tree, "status-results").children == "67"
    history = by_id(tree, "import-history")
    assert [h.children for h in walk(history) if getattr(h, "scope", None) == "col"][:3] == [
        "Loaded",
        "By",
        "Data",
    ]
    history_text = text_of(history)
    assert "Reference data" in history_text and "programme team" in history_text and "UTC" in history_text
    sources = by_id(tree, "source-list")
    links = [n for n in walk(sources) if getattr(n, "href", None)]
    assert links and all(link.href.startswith("http") for link in links)
    assert all(link.rel == "noopener noreferrer" and link.target == "_blank" for link in links)
    assert NARRATIVE_EN in text_of(sources)
    definitions = by_id(tree, "indicator-definitions")
    items = [n for n in walk(definitions) if getattr(n, "data-code", None)]
    assert len(items) == 34
    budget = next(n for n in items if getattr(n, "data-code") == "budget_eur_million")
    assert "Unit: EUR million" in text_of(budget) and "never added across countries" in text_of(budget)


def test_data_page_in_french(sqlite_context):
    tree = data_layout(lang="fr")
    text = text_of(tree)
    assert "Donn\u00e9es et sources" in text and "Historique des imports" in text
    assert "Donn\u00e9es de r\u00e9f\u00e9rence" in text_of(by_id(tree, "import-history"))
    assert NARRATIVE_FR in text_of(by_id(tree, "source-list"))
    assert "\u00e0" in text_of(by_id(tree, "status-changed"))  # "26 nov. 2026 à 16:57 UTC"
    switch = [n.href for n in walk(tree) if (getattr(n, "href", None) or "").startswith(paths.DATA)]
    assert "/data?lang=en" in switch  # opened without a year: the switch carries none either
    assert "/data?year=2022&lang=en" in [
        n.href
        for n in walk(data_layout(year="2022", lang="fr"))
        if (getattr(n, "href", None) or "")[:5] == "/data"
    ]


def test_navbar_links_to_the_data_page_keeping_the_view(sqlite_context):
    overview = importlib.import_module("pages.overview").layout(year="2022", lang="fr")
    assert "/data?year=2022&lang=fr" in [getattr(n, "href", None) for n in walk(overview)]
    current = [n for n in walk(data_layout(year="2022")) if getattr(n, "aria-current", None) == "page"]
    assert [n.href for n in current] == ["/data?year=2022&lang=en"]


def test_year_select_on_the_data_page_stays_there(sqlite_context):
    nav = view_nav(data_layout(year="2022", lang="fr"))
    assert browser_url(nav, {ids.YEAR_SELECT: "2021"}) == "/data?year=2021&lang=fr"


def test_data_page_lists_only_templates_that_exist(sqlite_engine, tmp_path):
    (tmp_path / "results_template.csv").write_text("indicator,value\n", encoding="utf-8")
    app = make_app(sqlite_engine)
    app.server.config["COMPASS_TEMPLATES_DIR"] = str(tmp_path)
    with app.server.test_request_context("/"):
        links = [
            n.href
            for n in walk(by_id(data_layout(lang="en"), "template-downloads"))
            if getattr(n, "href", None)
        ]
    assert links == ["/downloads/templates/results_template.csv"]
    app.server.config["COMPASS_TEMPLATES_DIR"] = str(tmp_path / "missing")
    with app.server.test_request_context("/"):
        tree = data_layout(lang="en")
    assert by_id(tree, "template-downloads") is None
    assert "not available yet" in text_of(by_id(tree, "templates"))


# --- template downloads ---------------------------------------------------------------------------


@pytest.fixture
def download_client(sqlite_engine, tmp_path):
    for name in TEMPLATE_FILES:
        (tmp_path / name).write_bytes(f"template {name}\n".encode())
    (tmp_path / "secret.txt").write_text("not for download", encoding="utf-8")
    app = make_app(sqlite_engine)
    app.server.config["COMPASS_TEMPLATES_DIR"] = str(tmp_path)
    return app.server.test_client()


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_download_serves_each_template_as_an_attachment(download_client, name):
    response = download_client.get(paths.template_download_url(name))
    assert response.status_code == 200
    assert response.data == f"template {name}\n".encode()
    assert response.headers["Content-Disposition"] == f"attachment; filename=compass_{name}"
    expected = "text/csv" if name.endswith(".csv") else "application/vnd.openxmlformats"
    assert response.mimetype.startswith(expected)


@pytest.mark.parametrize(
    "path",
    [
        "/downloads/templates/secret.txt",
        "/downloads/templates/unknown.csv",
        "/downloads/templates/..%2Fapp.py",
        "/downloads/templates/../../app.py",
        "/downloads/templates/%2e%2e/%2e%2e/app.py",
        "/downloads/templates/sub/results_template.csv",
        "/downloads/templates/RESULTS_TEMPLATE.CSV",
    ],
)
def test_download_refuses_anything_else(download_client, path):
    response = download_client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.data == b"No such template.\n"


def test_download_of_a_template_not_written_yet(sqlite_engine, tmp_path):
    app = make_app(sqlite_engine)
    app.server.config["COMPASS_TEMPLATES_DIR"] = str(tmp_path)
    response = app.server.test_client().get("/downloads/templates/results_template.xlsx")
    assert response.status_code == 404 and b"not available yet" in response.data


def test_shipped_templates_are_served(sqlite_engine):
    """The files in data/templates/ (when written) come through the real route."""
    from data_access.templates import TEMPLATES_DIR

    present = [name for name in TEMPLATE_FILES if (TEMPLATES_DIR / name).is_file()]
    if not present:
        pytest.skip("data/templates/ has no template yet")
    client = make_app(sqlite_engine).server.test_client()
    for name in present:
        response = client.get(paths.template_download_url(name))
        assert response.status_code == 200 and response.data == (TEMPLATES_DIR / name).read_bytes()


def test_data_url():
    assert paths.data_url() == "/data"
    assert paths.data_url(2022, "fr") == "/data?year=2022&lang=fr"
    assert paths.view_url("data", None, 2023, "en") == "/data?year=2023&lang=en"


# --- the exports section ----------------------------------------------------------------------------


def test_data_page_links_to_every_export_of_the_year(sqlite_context):
    tree = data_layout(year="2022", lang="fr")
    section = by_id(tree, "exports")
    links = export_hrefs(section)
    assert len(links) == len(set(links))
    for figure in ("coverage-map", "country-figures"):
        for fmt in ("png", "svg", "pdf"):
            assert f"/export/figure/{figure}.{fmt}?year=2022&lang=fr" in links
    for dataset in ("programme-figures", "country-figures", "coverage", "activities"):
        for fmt in ("csv", "xlsx"):
            assert f"/export/{dataset}.{fmt}?year=2022&lang=fr" in links
    for fmt in ("csv", "xlsx"):
        assert f"/export/explorer.{fmt}?lang=fr" in links
        assert f"/export/partners.{fmt}?lang=fr" in links
    countries = by_id(tree, "country-exports")
    rows = [n for n in walk(countries) if getattr(n, "data-iso3", None)]
    assert len(rows) == 14
    libya = next(r for r in rows if getattr(r, "data-iso3") == "LBY")
    assert "Libye" in text_of(libya)
    assert export_hrefs(libya) == [
        "/export/brief/LBY.pdf?year=2022&lang=fr",
        "/export/brief/LBY.pptx?year=2022&lang=fr",
        "/export/country-figures.csv?year=2022&country=LBY&lang=fr",
        "/export/country-figures.xlsx?year=2022&country=LBY&lang=fr",
    ]
    assert len(links) == 6 + 8 + 4 + 14 * 4
    assert "Exports" in text_of(data_layout(year="2022"))


def test_without_a_year_each_countrys_files_are_of_its_own_year(sqlite_context):
    section = by_id(data_layout(lang="en"), "exports")
    links = export_hrefs(section)
    assert "/export/figure/coverage-map.png?year=2024&lang=en" in links  # the Overview's default year
    assert "/export/brief/ETH.pdf?lang=en" in links  # no year: Ethiopia's own (2022)
    assert "/export/country-figures.csv?country=ETH&lang=en" in links
    assert "latest year with figures" in text_of(section)


def test_every_data_export_on_the_data_page_answers_with_a_file(sqlite_engine):
    app = make_app(sqlite_engine)
    client = app.server.test_client()
    with app.server.test_request_context("/data?year=2022"):
        links = export_hrefs(data_layout(year="2022"))
    data_links = [link for link in links if link.split("?")[0].endswith((".csv", ".xlsx"))]
    assert len(data_links) == 12 + 14 * 2
    for link in data_links:
        response = client.get(link)
        assert response.status_code == 200, (link, response.get_data(as_text=True))
        assert response.headers["Content-Disposition"].startswith('attachment; filename="compass-')


# --- what the public sees of the import history and the sources -------------------------------


def _imported_by_root(engine, tmp_path):
    """A real import by the system account `root` from a file under tmp_path, and an
    older batch whose file name was recorded with the server's folders."""
    folder = tmp_path / "srv" / "uploads"
    folder.mkdir(parents=True)
    path = folder / "results_ok.csv"
    path.write_bytes((FIXTURES / "results_ok.csv").read_bytes())
    outcome = import_file(
        engine, path, ImportOptions(loaded_by="root", write_report=False, visibility="public")
    )
    assert outcome.written, outcome.problems.kept
    with engine.begin() as conn:
        conn.execute(
            insert(s.import_batches).values(
                kind="results",
                file_name=f"{folder}/older_upload.csv",
                checksum="ab" * 32,
                loaded_by="aminata.diallo",
                visibility="public",
            )
        )
        bump_version(conn)
    return outcome, folder


def _history_and_sources(engine, staff=False, **settings):
    app = make_app(engine, **settings)
    with app.server.test_request_context("/"):
        if staff:
            set_request_audience(STAFF)
        tree = data_layout(lang="en")
        return text_of(by_id(tree, "import-history")), text_of(by_id(tree, "source-list")), text_of(tree)


def test_data_page_shows_no_user_names_checksums_or_server_paths(writable_sqlite, tmp_path):
    outcome, folder = _imported_by_root(writable_sqlite, tmp_path)
    history, sources, page = _history_and_sources(writable_sqlite)
    assert not re.search(r"\broot\b", page)
    assert "aminata" not in page and "tests" not in history
    assert "programme team" in history
    assert outcome.checksum[:12] not in page and "abab" not in page
    assert "Checksum" not in history
    assert str(folder) not in page and "/srv/" not in page and "data/reference" not in page
    # File names (they often name an office or a draft) are for staff only (issue 15).
    assert "results_ok.csv" not in history and "older_upload.csv" not in history and "File" not in history
    assert ".txt" not in sources and "seed" not in sources
    assert NARRATIVE_DOCUMENT in sources
    staff_history, _, staff_page = _history_and_sources(writable_sqlite, staff=True)
    assert "results_ok.csv" in staff_history and "older_upload.csv" in staff_history
    assert "aminata.diallo" in staff_history and re.search(r"\broot\b", staff_history)
    assert str(folder) not in staff_page and "/srv/" not in staff_page and "abab" not in staff_page


def test_data_page_names_importers_when_configured(writable_sqlite, tmp_path):
    _imported_by_root(writable_sqlite, tmp_path)
    history, _, page = _history_and_sources(writable_sqlite, public_importer_names=True)
    assert re.search(r"\broot\b", history) and "aminata.diallo" in history and "tests" in history
    assert "programme team" not in history
    assert "/srv/" not in page and "abab" not in page


def test_data_page_in_french_names_the_programme_team(writable_sqlite, tmp_path):
    _imported_by_root(writable_sqlite, tmp_path)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        history = text_of(by_id(data_layout(lang="fr"), "import-history"))
    assert "\u00e9quipe du programme" in history and "root" not in history


def test_public_importer_names_setting(monkeypatch):
    monkeypatch.delenv("PUBLIC_IMPORTER_NAMES", raising=False)
    assert Settings.from_env().public_importer_names is False
    monkeypatch.setenv("PUBLIC_IMPORTER_NAMES", "1")
    assert Settings.from_env().public_importer_names is True
