"""Page layouts rendered without a browser: the right figures, texts and IDs."""

from __future__ import annotations

import importlib
import sqlite3

import plotly.graph_objects as go
import pytest

from pages import ids
from tests.helpers import COMPASS_COUNTRIES, Element, by_id, parse_html, text_of, walk


@pytest.fixture
def pages(sqlite_context):
    return importlib.import_module("pages.overview"), importlib.import_module("pages.country")


def test_overview_in_english(pages):
    overview, _ = pages
    tree = overview.layout(year="2022", lang="en")
    text = text_of(tree)
    assert "more than 1,500" in text and "181" in text and "86%" in text
    assert "Cumulative 2021\u20132022: more than 70,000" in text
    assert "Not published for 2022" in text
    assert by_id(tree, ids.VIEW_STATE).data == {
        "page": "overview",
        "iso3": None,
        "year": 2022,
        "lang": "en",
        "values": {"map": None},  # the map's indicator: the year's default
    }
    country_map = _coverage_map(tree)
    links = [a.attrs["href"] for a in country_map.find_all("a")]
    assert len(links) == COMPASS_COUNTRIES  # every COMPASS country, linked to its page
    assert "/countries/LBY?year=2022&lang=en" in links
    assert "Migrants helped to return by country, 2022" in country_map.text()
    assert by_id(tree, ids.COUNTRY_CHART) is not None
    assert by_id(tree, "url-notices") is None


def _coverage_map(tree) -> Element:
    """The Overview map, parsed (a <figure> with a server-drawn SVG, components/svg_map.py)."""
    return parse_html(by_id(tree, ids.COVERAGE_MAP).outer_html()).by_id(ids.COVERAGE_MAP)


def test_overview_map_tooltips_follow_the_language(pages):
    overview, _ = pages
    english = _coverage_map(overview.layout(year="2022", lang="en")).text()
    french_map = _coverage_map(overview.layout(year="2022", lang="fr"))
    french = french_map.text()
    assert "Mali\n149" in english and "Libya\nNot published for 2022" in english
    assert "Mali\n149" in french and "Libye\nNon publié pour 2022" in french
    assert "/countries/LBY?year=2022&lang=fr" in [a.attrs["href"] for a in french_map.find_all("a")]


def test_the_map_indicator_is_kept_in_the_url(pages):
    overview, _ = pages
    tree = overview.layout(year="2022", lang="fr", map="Stakeholders_Trained")
    country_map = _coverage_map(tree)
    assert "Parties prenantes formées par pays, 2022" in country_map.text()
    assert "Nigéria\n109 / environ 109 (cumul 2021\u20132022)" in country_map.text()
    assert by_id(tree, ids.OVERVIEW_MAP_INDICATOR).value == "stakeholders_trained"
    assert by_id(tree, ids.VIEW_STATE).data["values"] == {"map": "stakeholders_trained"}
    links = {getattr(a, "href", None) for a in walk(tree)}
    assert "/?year=2022&map=stakeholders_trained&lang=en" in links  # the English version keeps the map
    # A code that is no indicator: the default map and a notice, never an error.
    tree = overview.layout(year="2022", map="nonsense")
    assert by_id(tree, ids.OVERVIEW_MAP_INDICATOR).value == "migrants_return_assistance"
    assert "nonsense" in text_of(
        [n for n in walk(tree) if "url-notices" in (getattr(n, "className", "") or "")]
    )


def test_overview_in_french_formats_numbers_for_the_locale(pages):
    overview, _ = pages
    text = text_of(overview.layout(year="2022", lang="fr"))
    assert "1\u202f500" in text and "400\u202f000" in text
    assert "1,500" not in text
    assert (
        go.Figure(by_id(overview.layout(year="2022", lang="fr"), ids.COUNTRY_CHART).figure).layout.separators
        == ", "
    )


def test_contradicting_sources_are_flagged_on_the_card(pages):
    overview, _ = pages
    text = text_of(overview.layout(year="2023", lang="en"))
    assert "up to 38,862" in text and "Sources differ" in text


def test_bad_query_values_render_the_page_with_notices(pages):
    overview, _ = pages
    tree = overview.layout(year="abc", lang="xx", extra="1")
    notices = [n for n in walk(tree) if "url-notices" in (getattr(n, "className", "") or "")]
    assert len(notices) == 1
    text = text_of(notices[0])
    assert "abc" in text and "xx" in text and "extra" in text
    assert by_id(tree, ids.VIEW_STATE).data["year"] == 2024


def test_country_page(pages):
    _, country = pages
    tree = country.layout(iso3="lby", year="2022", lang="fr")
    text = text_of(tree)
    assert "Libye" in text and "\u0644\u064a\u0628\u064a\u0627" in text  # ليبيا
    assert "7\u202f000" in text and "International Medical Corps" in text
    table = by_id(tree, "country-figures")
    assert table is not None
    assert by_id(tree, ids.VIEW_STATE).data == {
        "page": "country",
        "iso3": "LBY",
        "year": 2022,
        "lang": "fr",
        "values": {},
    }


def test_country_without_data_says_so(pages):
    _, country = pages
    text = text_of(country.layout(iso3="SDN", year="2022", lang="en"))
    assert "No COMPASS results have been published for Sudan yet." in text


def test_country_with_data_in_other_years_links_them(pages):
    _, country = pages
    tree = country.layout(iso3="MLI", year="2021", lang="en")
    assert "Nothing was published for Mali in 2021." in text_of(tree)
    hrefs = [n.href for n in walk(tree) if getattr(n, "href", None)]
    assert "/countries/MLI?year=2022&lang=en" in hrefs


def test_unknown_country_lists_the_fourteen(pages):
    _, country = pages
    tree = country.layout(iso3="XYZ", lang="en")
    assert "Country not found" in text_of(tree)
    links = [n.href for n in walk(tree) if (getattr(n, "href", None) or "").startswith("/countries/")]
    assert len(links) == 14


def test_hostile_text_stays_text(pages):
    _, country = pages
    hostile = '"><img src=x onerror=alert(1)>'  # (a "/" would make it a path below the page: not found)
    tree = country.layout(iso3=hostile, lang="en")
    assert hostile[:40].upper() in text_of(tree)  # shown back as plain text


def test_database_failure_gives_a_message_not_a_traceback(tmp_path, caplog):
    from data_access.engine import make_engine
    from tests.helpers import make_app

    sqlite3.connect(tmp_path / "empty.db").close()  # a database with no tables at all
    app = make_app(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with app.server.test_request_context("/"):
        overview = importlib.import_module("pages.overview")
        tree = overview.layout(year="2022", lang="fr")
    assert "page-error" in tree.className
    assert "n\u2019a pas pu" in text_of(tree) or "could not be shown" in text_of(tree)
    assert "Traceback" not in text_of(tree) and "OperationalError" not in text_of(tree)
    assert "page layout failed" in caplog.text  # the server log keeps the details


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2022'; DROP TABLE results;--"},
        {"year": ["2021", "2022", "x"]},
        {"lang": "fr", "year": "-1"},
        {"year": "0x7E6"},
        {"lang": "\u0000"},
        {"a" * 300: "b" * 5000},
    ],
)
def test_any_query_renders(pages, query):
    overview, country = pages
    for tree in (overview.layout(**query), country.layout(iso3="NGA", **query)):
        assert "page-error" not in (tree.className or "")
        assert by_id(tree, ids.VIEW_STATE) is not None


def test_country_cards_group_sources_stating_the_same_figure(pages):
    _, country = pages
    tree = country.layout(iso3="NGA", year="2022", lang="en")
    values = [text_of(n) for n in walk(tree) if "kpi-value" in (getattr(n, "className", "") or "")]
    assert values.count("261") == 1  # two news sites, one card
    assert "109" in values and "about 109" in values  # stated differently: both shown ...
    assert "Sources differ" in text_of(tree)  # ... and flagged
    assert "2021\u20132022 \u00b7 2 sources" in text_of(tree)


def test_a_table_of_totals_has_no_breakdown_column(pages, sqlite_context):
    from components.i18n import get_translator
    from components.tables import results_table
    from data_access import queries as q

    t = get_translator("en")
    totals = q.country_results("LBY", 2022, "en", breakdowns=False)

    def headers(table) -> list[str]:
        return [th.text() for th in parse_html(table.html).find_all("th") if th.attrs.get("scope") == "col"]

    assert "Breakdown" not in headers(results_table(totals, "en", t, "c"))
    assert "Source" in headers(results_table(totals, "en", t, "c"))
    split = totals.copy()
    split.loc[split.index[0], ["breakdown_dim", "breakdown_value"]] = ["sex", "female"]
    table = results_table(split, "en", t, "c")
    assert "Breakdown" in headers(table)
    rows = [tr.text() for tr in parse_html(table.html).find_all("tr") if "data-indicator" in tr.attrs]
    assert len(rows) == len(totals)
    assert "Sex: female" in rows[0] and "Total" in rows[1]
    # Every row still names its source (rows citing the same one share its block).
    assert all(totals.source_title.iloc[i] in rows[i] for i in range(len(rows)))


def test_the_figures_table_escapes_what_it_writes(pages, sqlite_context):
    from components.i18n import get_translator
    from components.tables import results_table
    from data_access import queries as q

    frame = q.country_results("LBY", 2022, "en", breakdowns=False).head(1).copy()
    frame["indicator_name"] = '<img src=x onerror="alert(1)">'
    frame["source_url"] = "javascript:alert(2)"
    frame["definition"] = 'say "hi"'
    html_text = results_table(frame, "en", get_translator("en"), "<b>c</b>", table_id="t").html
    assert "<img" not in html_text and "&lt;img src=x" in html_text and "&lt;b&gt;c&lt;/b&gt;" in html_text
    assert 'href="about:blank"' in html_text and "javascript:" not in html_text
    assert 'title="say &quot;hi&quot;"' in html_text and 'id="t"' in html_text
