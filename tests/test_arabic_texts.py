"""Data texts in Arabic (issue 16): indicator names and definitions from the
reference data, country names, and the texts that have no Arabic yet (activity
descriptions, source titles and notes) shown in English marked lang="en"
dir="ltr"; Arabic texts an import brings shown as they are and kept by export-data."""

from __future__ import annotations

import csv
import importlib
import io
import re
from pathlib import Path

import pytest
from alembic import command
from dash import html
from dash.development.base_component import Component
from sqlalchemy import inspect, select

from config import REFERENCE_DIR
from data_access import catalog, queries
from data_access import schema as s
from data_access.engine import make_engine
from data_access.imports.export import export_data
from data_access.imports.importer import ImportOptions, import_file
from data_access.loader import prepare_database
from data_access.migrate import alembic_config, upgrade
from data_access.partners import partner_directory
from data_access.reference import read_reference
from data_access.version import bump_version
from model.places import collation_key
from tests.helpers import (
    COMPASS,
    HtmlBlock,
    fresh_postgres,
    make_app,
    parse_html,
    required_env,
    text_of,
    walk,
)

ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN = re.compile(r"[A-Za-z]")
DESCRIPTION_AR = "حملة توعية إذاعية بلغتي الهوسا والزرما حول الهجرة الآمنة."
NOTE_AR = "الجدول 2 من التقرير."
TITLE_AR = "تقرير الاختبار 2024"
PUBLISHED = ImportOptions(visibility="public")


def _arabic(text: object) -> bool:
    """Whether `text` is written in Arabic: Arabic letters, and more of them than Latin ones
    (an Arabic definition may name COMPASS)."""
    return isinstance(text, str) and len(ARABIC.findall(text)) > len(LATIN.findall(text))


def _layout(page: str, **query):
    return importlib.import_module(f"pages.{page}").layout(**query)


def _marked(tree) -> list[tuple[str | None, str | None, str]]:
    """(lang, dir, text) of every element of a layout tree that carries a lang or dir:
    Dash components and the elements of the parts written as HTML."""
    found = []
    for node in walk(tree):
        if isinstance(node, HtmlBlock):
            for element in parse_html(node.html).iter():
                attrs = element.attrs
                if attrs.get("lang") or attrs.get("dir"):
                    found.append((attrs.get("lang"), attrs.get("dir"), " ".join(element.text().split())))
        elif isinstance(node, html.Span | html.P | html.Div | html.A):
            lang, direction = getattr(node, "lang", None), getattr(node, "dir", None)
            if lang or direction:
                found.append((lang, direction, " ".join(text_of(node.children).split())))
    return found


def _elements_saying(tree, text: str) -> list[tuple[str | None, str | None]]:
    """(lang, dir) of every element whose whole text is `text`, marked or not."""

    def says(content: str) -> bool:
        content = " ".join(content.split())
        return content == text

    def says_text(children) -> bool:
        return isinstance(children, str) and says(children)

    found = []
    for node in walk(tree):
        if isinstance(node, HtmlBlock):
            for element in parse_html(node.html).iter():
                if element.tag and says(element.text()):
                    found.append((element.attrs.get("lang"), element.attrs.get("dir")))
        elif isinstance(node, Component) and says_text(getattr(node, "children", None)):
            found.append((getattr(node, "lang", None), getattr(node, "dir", None)))
    return found


# --- the reference data ------------------------------------------------------------------------------


def test_every_indicator_has_an_arabic_name_and_definition():
    indicators = read_reference(REFERENCE_DIR).indicators
    assert len(indicators) >= 30
    for row in indicators:
        assert _arabic(row["name_ar"]), row["code"]
        assert _arabic(row["definition_ar"]), row["code"]
        # A label, not a figure: the Arabic says no number the English does not.
        for text in (row["name_ar"], row["definition_ar"]):
            assert set(re.findall(r"\d+", text)) <= set(
                re.findall(r"\d+", row["definition_en"] + row["name_en"])
            )


def test_the_arabic_columns_of_the_csv_are_read_not_left_empty(tmp_path):
    """read_reference takes name_ar/definition_ar from the file: a row whose cells are
    emptied loads as None (English on Arabic pages), the others keep their Arabic."""
    source = REFERENCE_DIR / "indicators.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["name_ar"] = rows[0]["definition_ar"] = ""
    folder = tmp_path / "reference"
    folder.mkdir()
    for path in REFERENCE_DIR.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    with (folder / "indicators.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    loaded = {r["code"]: r for r in read_reference(folder).indicators}
    assert loaded[rows[0]["code"]]["name_ar"] is None
    assert _arabic(loaded[rows[1]["code"]]["name_ar"])


def test_arabic_names_sort_by_their_letters():
    names = ["مصر", "أفغانستان", "تونس", "الجزائر"]
    assert sorted(names, key=collation_key) == ["أفغانستان", "الجزائر", "تونس", "مصر"]
    assert collation_key("Égypte") == "egypte"  # Latin names as before


# --- queries, on both backends -------------------------------------------------------------------------


def test_countries_in_arabic(app_context):
    frame = queries.countries("ar")
    assert sorted(frame.iso3) == sorted(COMPASS)
    assert all(_arabic(name) for name in frame.name)
    assert frame.set_index("iso3").name["MAR"] == "المغرب"


def test_indicator_definitions_in_arabic_with_their_language(app_context):
    frame = catalog.indicator_definitions("ar")
    assert all(_arabic(name) for name in frame.name)
    assert all(_arabic(text) for text in frame.definition)
    assert set(frame.name_lang) == {"ar"} and set(frame.definition_lang) == {"ar"}
    english = catalog.indicator_definitions("en")
    assert set(english.name_lang) == {"en"} and not any(_arabic(n) for n in english.name)


def test_country_results_in_arabic_fall_back_to_english_notes(app_context):
    frame = queries.country_results("NGA", 2024, "ar")
    assert not frame.empty
    assert all(_arabic(name) for name in frame.indicator_name)
    assert set(frame.indicator_name_lang) == {"ar"}
    assert all(_arabic(name) for name in frame.country_name)
    notes = frame[frame.source_note.notna()]
    assert not notes.empty and set(notes.source_note_lang) == {"en"}
    assert not any(_arabic(n) for n in notes.source_note)


@pytest.mark.parametrize(("lang", "expected"), [("ar", "en"), ("fr", "fr"), ("en", "en")])
def test_activity_descriptions_say_their_language(app_context, lang, expected):
    frame = queries.activities(2022, lang, "LBY")
    assert not frame.empty
    assert set(frame.description_lang) == {expected}
    assert frame.description.str.len().min() > 0


def test_kpis_carry_the_language_of_their_name_and_definition(app_context):
    kpis = queries.programme_kpis(2022, "ar")
    assert kpis and all(_arabic(k.name) and k.name_lang == "ar" for k in kpis)
    assert all(k.definition_lang == "ar" for k in kpis)
    figures = [f for k in kpis for f in k.figures + k.cumulative]
    assert figures and {f.source_title_lang for f in figures} == {"en"}  # no Arabic title yet


def test_partner_search_finds_an_arabic_name(writable_sqlite):
    with writable_sqlite.begin() as conn:
        conn.execute(
            s.partners.update()
            .where(s.partners.c.key == "international-medical-corps")
            .values(name_ar="الهيئة الطبية الدولية")
        )
        bump_version(conn)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        found = partner_directory("ar", search="الطبية")
        assert [e.key for e in found] == ["international-medical-corps"]
        assert found[0].name == "الهيئة الطبية الدولية"
        english = partner_directory("en", search="الطبية")
        assert [e.name for e in english] == ["International Medical Corps"]


# --- pages -------------------------------------------------------------------------------------------


def test_country_page_in_arabic(sqlite_context):
    tree = _layout("country", iso3="LBY", year="2022", lang="ar")
    text = text_of(tree)
    assert "ليبيا" in text
    arabic_names = {r["name_ar"] for r in read_reference(REFERENCE_DIR).indicators}
    assert any(name in text for name in arabic_names)
    english = {text for lang, direction, text in _marked(tree) if lang == "en" and direction == "ltr"}
    descriptions = {" ".join(d.split()) for d in queries.activities(2022, "en", "LBY").description}
    assert descriptions and descriptions <= english
    quotes = {" ".join(q.split()) for q in queries.country_results("LBY", 2022, "en").source_quote.dropna()}
    french = {text for lang, direction, text in _marked(tree) if lang == "fr" and direction == "ltr"}
    assert quotes and quotes <= french  # the Year 2 narrative's quotes, verbatim in French


def test_country_page_in_arabic_marks_english_notes(sqlite_context):
    tree = _layout("country", iso3="NGA", year="2024", lang="ar")
    assert "نيجيريا" in text_of(tree)
    english = {text for lang, direction, text in _marked(tree) if lang == "en" and direction == "ltr"}
    notes = {" ".join(n.split()) for n in queries.country_results("NGA", 2024, "en").source_note.dropna()}
    assert notes and notes <= english


def test_nothing_arabic_is_marked_as_foreign_on_an_arabic_page(sqlite_context):
    marked = _marked(_layout("country", iso3="LBY", year="2022", lang="ar"))
    assert not [m for m in marked if m[0] == "en" and _arabic(m[2])]


def test_english_pages_mark_no_description(sqlite_context):
    marked = _marked(_layout("country", iso3="LBY", year="2022", lang="en"))
    descriptions = {" ".join(d.split()) for d in queries.activities(2022, "en", "LBY").description}
    assert not [m for m in marked if m[2] in descriptions]


def test_explorer_in_arabic_names_the_indicator_in_arabic(sqlite_context):
    tree = _layout("indicators", indicators="migrants_return_assistance", lang="ar")
    name_ar = next(
        r["name_ar"]
        for r in read_reference(REFERENCE_DIR).indicators
        if r["code"] == "migrants_return_assistance"
    )
    assert name_ar in text_of(tree)
    english = {text for lang, direction, text in _marked(tree) if lang == "en" and direction == "ltr"}
    notes = {
        " ".join(n.split())
        for n in queries.indicator_across("migrants_return_assistance", "en").source_note.dropna()
    }
    assert notes and notes <= english


def test_partners_page_in_arabic(sqlite_context):
    tree = _layout("partners", lang="ar")
    marked = _marked(tree)
    autos = {text for _, direction, text in marked if direction == "auto"}
    assert "International Medical Corps" in autos  # the directory's and the matrix's
    english = {text for lang, direction, text in marked if lang == "en" and direction == "ltr"}
    descriptions = {" ".join(d.split()) for d in queries.activities(2022, "en").description}
    assert english & descriptions


def test_data_page_lists_arabic_definitions(sqlite_context):
    tree = _layout("data", lang="ar")
    definitions = {r["definition_ar"] for r in read_reference(REFERENCE_DIR).indicators}
    assert sum(d in text_of(tree) for d in definitions) == len(definitions)


# --- import and export-data ------------------------------------------------------------------------


def _activity_file(path: Path, description_ar: str) -> Path:
    path.write_text(
        "key,country_iso3,year,theme,partners,partner_types,description_en,description_fr,description_ar,source_title\n"
        f'ner-radio-ar,NER,2024,awareness,Studio Kalangou,private_sector,"Radio spots, in Hausa and Zarma, on safe migration.",'
        f'"Spots radio, en haoussa et zarma, sur la migration sûre.",{description_ar},Test source\n',
        encoding="utf-8",
    )
    return path


def _results_file(path: Path) -> Path:
    path.write_text(
        "indicator,country_iso3,period_start,period_end,value,source_title,source_note,source_note_ar,source_title_ar\n"
        f"migrants_return_assistance,NER,2024,2024,75,Test source 2024,Table 2,{NOTE_AR},{TITLE_AR}\n",
        encoding="utf-8",
    )
    return path


def test_an_imported_arabic_description_shows_on_arabic_pages(writable_sqlite, tmp_path):
    outcome = import_file(writable_sqlite, _activity_file(tmp_path / "a.csv", DESCRIPTION_AR), PUBLISHED)
    assert outcome.ok and outcome.written, outcome.problems.kept
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        frame = queries.activities(2024, "ar", "NER")
        assert list(frame.description) == [DESCRIPTION_AR] and list(frame.description_lang) == ["ar"]
        tree = _layout("country", iso3="NER", year="2024", lang="ar")
        shown = [n for n in walk(tree) if isinstance(n, html.P) and n.children == DESCRIPTION_AR]
        assert shown and getattr(shown[0], "lang", None) is None  # the page's language: not marked
        english = queries.activities(2024, "en", "NER")
        assert list(english.description) == ["Radio spots, in Hausa and Zarma, on safe migration."]


def test_an_imported_arabic_note_shows_on_arabic_pages(writable_sqlite, tmp_path):
    outcome = import_file(writable_sqlite, _results_file(tmp_path / "r.csv"), PUBLISHED)
    assert outcome.ok and outcome.written, outcome.problems.kept
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        frame = queries.country_results("NER", 2024, "ar")
        mine = frame[frame.source_title == TITLE_AR]
        assert list(mine.source_note) == [NOTE_AR] and list(mine.source_note_lang) == ["ar"]
        assert list(mine.source_title_lang) == ["ar"]
        english = queries.country_results("NER", 2024, "en")
        mine = english[english.source_note == "Table 2"]
        assert list(mine.source_title) == ["Test source 2024"]
        assert list(mine.source_title_lang) == ["und"]  # an imported source's language is not stated
        shown = _elements_saying(_layout("country", iso3="NER", year="2024", lang="ar"), NOTE_AR)
        assert shown and set(shown) == {("ar", None)}  # its language (as every note), no direction to undo


def test_a_file_without_arabic_keeps_the_stored_arabic(writable_sqlite, tmp_path):
    assert import_file(writable_sqlite, _activity_file(tmp_path / "a.csv", DESCRIPTION_AR)).written
    again = import_file(writable_sqlite, _activity_file(tmp_path / "b.csv", ""))
    assert again.ok and not again.written and again.activities.unchanged == 1
    with writable_sqlite.connect() as conn:
        stored = conn.execute(
            select(s.activities.c.description_ar).where(s.activities.c.key == "ner-radio-ar")
        )
        assert stored.scalar() == DESCRIPTION_AR


def test_too_long_arabic_description_is_refused(writable_sqlite, tmp_path):
    outcome = import_file(writable_sqlite, _activity_file(tmp_path / "long.csv", "ب" * 5001))
    assert not outcome.ok and not outcome.written
    assert [p.rule for p in outcome.problems.kept if p.column == "description_ar"] == ["too_long"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_data_round_trips_the_arabic_texts(writable_sqlite, tmp_path, suffix):
    assert import_file(writable_sqlite, _activity_file(tmp_path / "a.csv", DESCRIPTION_AR)).written
    assert import_file(writable_sqlite, _results_file(tmp_path / "r.csv")).written
    if suffix == ".csv":
        export_data(writable_sqlite, tmp_path / "results.csv")
        export_data(writable_sqlite, tmp_path / "activities.csv", kind="activities")
        results = (tmp_path / "results.csv").read_text(encoding="utf-8")
        activities = (tmp_path / "activities.csv").read_text(encoding="utf-8")
        assert "#meta+note+ar" in results and NOTE_AR in results
        assert "#description+ar" in activities and DESCRIPTION_AR in activities
        files = [tmp_path / "results.csv", tmp_path / "activities.csv"]
    else:
        export_data(writable_sqlite, tmp_path / "all.xlsx")
        files = [tmp_path / "all.xlsx"]
    fresh = make_engine_like(writable_sqlite, tmp_path / "fresh.db")
    for path in files:
        outcome = import_file(fresh, path)
        assert outcome.ok and outcome.written, outcome.problems.kept
    with fresh.connect() as conn:
        assert (
            conn.execute(
                select(s.activities.c.description_ar).where(s.activities.c.key == "ner-radio-ar")
            ).scalar()
            == DESCRIPTION_AR
        )
        stored = conn.execute(
            select(s.sources.c.note_ar, s.sources.c.title_ar).where(s.sources.c.note == "Table 2")
        )
        assert [tuple(row) for row in stored] == [(NOTE_AR, TITLE_AR)]


def make_engine_like(_engine, path: Path):
    """A new database with the reference data, to import an export into."""
    fresh = make_engine(f"sqlite:///{path}")
    prepare_database(fresh, REFERENCE_DIR, loaded_by="tests")
    return fresh


# --- migration 0007 --------------------------------------------------------------------------------

ARABIC_COLUMNS = {
    "indicators": {"name_ar", "definition_ar"},
    "sources": {"title_ar", "note_ar"},
    "partners": {"name_ar"},
    "activities": {"description_ar"},
    "campaigns": {"description_ar"},
}


def _columns(engine) -> dict[str, set[str]]:
    inspector = inspect(engine)
    return {table: {c["name"] for c in inspector.get_columns(table)} for table in ARABIC_COLUMNS}


def _down_and_up(engine):
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    after_downgrade = _columns(engine)
    upgrade(engine)
    return after_downgrade, _columns(engine)


def _check_down_and_up(engine):
    down, up = _down_and_up(engine)
    for table, columns in ARABIC_COLUMNS.items():
        assert not columns & down[table], table
        assert columns <= up[table], table
    with engine.connect() as conn:  # the data survived both ways
        assert conn.execute(select(s.indicators.c.code)).first() is not None


def test_migration_0007_downgrades_and_upgrades_on_sqlite(writable_sqlite):
    _check_down_and_up(writable_sqlite)


def test_migration_0007_downgrades_and_upgrades_on_postgres():
    engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")  # as the session database, which this replaces
    try:
        _check_down_and_up(engine)
    finally:
        engine.dispose()


def test_an_indicator_without_arabic_name_is_shown_in_english_marked(writable_sqlite):
    """An indicator an import declared without name_ar: its English name, marked, on
    the country page's cards and tables, and the explorer's table."""
    code = "migrants_return_assistance"
    with writable_sqlite.begin() as conn:
        conn.execute(s.indicators.update().where(s.indicators.c.code == code).values(name_ar=None))
        bump_version(conn)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        english_name = "Migrants helped to return"
        frame = queries.country_results("NGA", 2024, "ar")
        mine = frame[frame.indicator_code == code]
        assert set(mine.indicator_name) == {english_name} and set(mine.indicator_name_lang) == {"en"}
        for page, query in (
            ("country", {"iso3": "NGA", "year": "2024"}),
            ("indicators", {"indicators": code}),
        ):
            shown = _elements_saying(_layout(page, lang="ar", **query), english_name)
            assert shown and set(shown) == {("en", "ltr")}, page


# --- the dashboard's downloads -------------------------------------------------------------------------


def _download(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_arabic_downloads_use_the_arabic_texts_and_fall_back_plain(sqlite_engine):
    client = make_app(sqlite_engine, export_rate_limit="").server.test_client()
    header, hxl, *rows = _download(client, "/export/country-figures.csv?year=2022&lang=ar")
    names = [row[hxl.index("#indicator+name")] for row in rows]
    assert names and all(_arabic(name) for name in names)
    header, hxl, *rows = _download(client, "/export/activities.csv?year=2022&lang=ar")
    assert "#description" in hxl and "#description+ar" not in hxl  # English where no Arabic yet
    descriptions = [row[hxl.index("#description")] for row in rows]
    with make_app(sqlite_engine).server.test_request_context("/"):
        english = set(queries.activities(2022, "en").description)
    assert descriptions and set(descriptions) == english  # as stored: no markup in a file
    assert all(_arabic(row[hxl.index("#country+name")]) for row in rows if row[hxl.index("#country+code")])


def test_a_declared_indicator_may_bring_its_arabic_name_and_definition(writable_sqlite, tmp_path):
    results = tmp_path / "radio.csv"
    results.write_text(
        "indicator,country_iso3,period_start,period_end,value,source_title\n"
        "radio_listeners,NER,2024,2024,1200,Test source 2024\n"
        "households_visited,NER,2024,2024,80,Test source 2024\n",
        encoding="utf-8",
    )
    (tmp_path / "radio.indicators.csv").write_text(
        "code,name_en,name_fr,unit,theme,summable,definition_en,definition_fr,name_ar,definition_ar\n"
        "radio_listeners,Radio listeners,Auditeurs,people,awareness,1,People who heard the spots.,"
        "Personnes ayant entendu les spots.,مستمعو الإذاعة,الأشخاص الذين استمعوا إلى الومضات.\n"
        "households_visited,Households visited,Ménages visités,households,awareness,1,Door to door.,"
        "Porte à porte.,,\n",
        encoding="utf-8",
    )
    outcome = import_file(writable_sqlite, results, PUBLISHED)
    assert outcome.ok and outcome.written, outcome.problems.kept
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        frame = catalog.indicator_definitions("ar").set_index("code")
        assert frame.loc["radio_listeners", ["name", "name_lang"]].tolist() == ["مستمعو الإذاعة", "ar"]
        assert frame.loc["radio_listeners", "definition"] == "الأشخاص الذين استمعوا إلى الومضات."
        assert frame.loc["households_visited", ["name", "name_lang"]].tolist() == ["Households visited", "en"]
        assert frame.loc["households_visited", "definition_lang"] == "en"
