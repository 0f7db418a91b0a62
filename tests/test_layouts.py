"""Page layouts rendered without a browser: the right figures, texts and IDs."""

from __future__ import annotations

import importlib
import sqlite3

import plotly.graph_objects as go
import pytest

from pages import ids
from tests.helpers import COMPASS_COUNTRIES, Element, by_id, parse_html, text_of, view_query, walk


@pytest.fixture
def pages(sqlite_context):
    return importlib.import_module("pages.overview"), importlib.import_module("pages.country")


def test_overview_in_english(pages):
    overview, _ = pages
    tree = overview.layout(year="2022", lang="en")
    text = text_of(tree)
    assert "more than 1,500" in text and "181" in text and "86%" in text
    assert "Cumulative 2021\u20132022 more than 70,000" in text  # the span above its figure
    assert "Not published for 2022: " in text
    # The map's indicator: the year's default, not written in links.
    assert view_query(tree) == ("/", {"year": "2022", "lang": "en"})
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
    assert view_query(tree)[1]["map"] == "stakeholders_trained"
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


def test_two_pages_stating_a_figure_differently_are_flagged(pages):
    overview, _ = pages
    tree = overview.layout(year="2023", lang="en")
    # The English page says "up to 38,862", the French one 38,862: both shown, flagged.
    assert _kpi_values(tree)[:2] == ["up to 38,862", "38,862"]
    assert "Sources differ" in text_of(tree)


def test_one_article_stating_a_figure_and_its_rounding_is_not_flagged(pages):
    _, country = pages
    tree = country.layout(iso3="NGA", year="2024", lang="en")
    # One article: 1,013 returned, and "1,000" in its headline.
    assert "1,013" in _kpi_values(tree) and "about 1,000" not in _kpi_values(tree)
    assert "also stated as about 1,000" in text_of(tree)
    assert "Sources differ" not in text_of(tree)


def test_bad_query_values_render_the_page_with_notices(pages):
    overview, _ = pages
    tree = overview.layout(year="abc", lang="xx", extra="1")
    notices = [n for n in walk(tree) if "url-notices" in (getattr(n, "className", "") or "")]
    assert len(notices) == 1
    text = text_of(notices[0])
    assert "abc" in text and "xx" in text and "extra" in text
    assert by_id(tree, ids.YEAR_SELECT).value == "2024"  # the Overview's default year is shown ...
    assert "year" not in view_query(tree)[1]  # ... and no link carries it


def test_country_page(pages):
    _, country = pages
    tree = country.layout(iso3="lby", year="2022", lang="fr")
    text = text_of(tree)
    assert "Libye" in text and "\u0644\u064a\u0628\u064a\u0627" in text  # ليبيا
    assert "7\u202f000" in text and "International Medical Corps" in text
    table = by_id(tree, "country-figures")
    assert table is not None
    assert view_query(tree) == ("/countries/LBY", {"year": "2022", "lang": "fr"})


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
    assert "109" in values and "about 109" in values  # two articles, stated differently: both shown ...
    assert "Sources differ" in text_of(tree)  # ... and flagged
    assert "Cumulative 2021\u20132022 \u00b7 2 sources" in text_of(tree)


def _kpi_values(tree) -> list[str]:
    return [text_of(n) for n in walk(tree) if "kpi-value" in (getattr(n, "className", "") or "")]


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


def _hrefs(tree) -> list[str]:
    return [n.href for n in walk(tree) if isinstance(getattr(n, "href", None), str)]


@pytest.mark.parametrize(
    ("iso3", "year"),
    [("ETH", 2022), ("NGA", 2024), ("MLI", 2022), ("TUN", 2025), ("LBY", 2022), ("IRQ", 2022)],
)
def test_country_opens_on_its_own_latest_year_with_figures(pages, iso3, year):
    _, country = pages
    tree = country.layout(iso3=iso3.lower(), lang="fr")
    assert by_id(tree, ids.YEAR_SELECT).value == str(year)
    assert f"\u00b7 {year}" in text_of(tree)
    assert "Nothing was published" not in text_of(tree)


def test_a_country_without_anything_opens_on_the_overview_default(pages):
    _, country = pages
    tree = country.layout(iso3="SDN", lang="en")
    assert by_id(tree, ids.YEAR_SELECT).value == "2024"
    assert "No COMPASS results have been published for Sudan yet." in text_of(tree)


def test_an_explicit_year_still_wins_and_links_keep_it(pages):
    overview, country = pages
    tree = country.layout(iso3="ETH", year="2024", lang="en")
    assert by_id(tree, ids.YEAR_SELECT).value == "2024"
    assert view_query(tree)[1]["year"] == "2024"
    hrefs = _hrefs(tree)
    assert "/?year=2024&lang=en" in hrefs and "/countries/ETH?year=2024&lang=fr" in hrefs
    assert by_id(overview.layout(year="2022"), ids.YEAR_SELECT).value == "2022"


def test_links_from_a_default_view_carry_no_year(pages):
    overview, country = pages
    tree = country.layout(iso3="ETH", lang="fr")
    hrefs = _hrefs(tree)
    # Overview, language switch and Data page: each lands on its own default.
    assert "/?lang=fr" in hrefs and "/countries/ETH?lang=en" in hrefs and "/data?lang=fr" in hrefs
    assert not [h for h in hrefs if h.startswith(("/?year", "/data?year", "/countries/ETH?year=2022"))]
    assert "year" not in view_query(tree)[1]
    assert "/countries/ETH?year=2022&lang=fr" not in _hrefs(overview.layout(lang="fr"))


def test_default_year_setting_wins_only_where_the_page_has_figures(sqlite_engine):
    from tests.helpers import make_app

    app = make_app(sqlite_engine, default_year=2022)
    with app.server.test_request_context("/"):
        overview = importlib.import_module("pages.overview")
        country = importlib.import_module("pages.country")
        assert by_id(overview.layout(), ids.YEAR_SELECT).value == "2022"
        assert by_id(country.layout(iso3="NGA"), ids.YEAR_SELECT).value == "2022"
        # Tunisia has activities in 2022 but no figure: its own latest year.
        assert by_id(country.layout(iso3="TUN"), ids.YEAR_SELECT).value == "2025"


def test_programme_facts_are_not_a_countrys_results(pages):
    overview, country = pages
    tree = country.layout(iso3="MLI", year="2022", lang="en")
    figures = parse_html(by_id(tree, "country-figures").html).text()
    assert "Migrants helped to return" in figures and "Partner countries" not in figures
    cards = " ".join(text_of(n) for n in walk(tree) if "kpi-card" in (getattr(n, "className", "") or ""))
    assert "Partner countries" not in cards
    facts = parse_html(by_id(tree, "country-programme-facts").html)
    assert "Partner countries" in facts.text() and "migrationjointinitiative.org" in facts.text()
    bars = go.Figure(by_id(overview.layout(year="2022", lang="en"), ids.COUNTRY_CHART).figure)
    assert not [y for trace in bars.data for y in (trace.y or ()) if "Partner countries" in str(y)]


def test_a_year_with_only_a_programme_fact_is_empty_and_offers_no_brief(pages):
    _, country = pages
    tree = country.layout(iso3="ETH", year="2024", lang="fr")
    text = text_of(tree)
    assert "Rien n\u2019a été publié pour Éthiopie en 2024." in text or "Éthiopie" in text
    assert by_id(tree, "country-exports") is None  # no brief of nothing
    assert not [n for n in walk(tree) if "kpi-card" in (getattr(n, "className", "") or "")]
    assert "Pays partenaires" in parse_html(by_id(tree, "country-programme-facts").html).text()
    assert by_id(country.layout(iso3="ETH", year="2022", lang="fr"), "country-exports") is not None


def test_cumulative_figures_have_their_own_labelled_row(pages):
    _, country = pages
    tree = country.layout(iso3="NGA", year="2022", lang="en")
    cumulative = by_id(tree, "cumulative-cards")
    assert "Cumulative figures, over several years" in text_of(cumulative)
    assert "Cumulative 2021\u20132022" in text_of(cumulative) and "261" in text_of(cumulative)
    annual_rows = [n for n in walk(tree) if "kpi-grid" in (getattr(n, "className", "") or "")]
    first = annual_rows[0]
    assert "kpi-grid-cumulative" not in first.className
    assert "MHPSS" not in text_of(first) or "Cumulative" not in text_of(first)
    assert "2021\u20132022" not in text_of(first)  # no span beside the year's own figures


def test_headline_indicators_without_a_figure_share_one_line(pages):
    overview, _ = pages
    tree = overview.layout(year="2024", lang="fr")
    line = text_of(by_id(tree, "kpis-not-published"))
    assert line.startswith("Non publiés pour 2024\u00a0: ")
    cards = [n for n in walk(tree) if "kpi-card" in (getattr(n, "className", "") or "")]
    assert "Non publié pour 2024" not in " ".join(text_of(c) for c in cards)
    names = line.split("\u00a0: ", 1)[1].split(", ")
    assert len(names) + len(cards) == 7 and "Taux de satisfaction" in names


def _history(tree) -> Element:
    return parse_html(by_id(tree, "country-history").outer_html()).by_id("country-history")


def test_results_over_time_show_every_indicator_and_year(pages):
    _, country = pages
    tree = country.layout(iso3="NGA", year="2024", lang="fr")
    history = _history(tree)
    panels = {p.attrs["data-indicator"]: p for p in history.find_all("section")}
    # Every indicator Nigeria has, whatever the year shown; the programme facts apart.
    assert "stakeholders_trained" in panels and "mhpss_professionals_engaged" in panels
    assert "migrants_return_assistance" in panels and "partner_countries" not in panels
    mhpss = panels["mhpss_professionals_engaged"]
    years = [t.text() for t in mhpss.find_all("text") if t.text().isdigit()]
    assert years == ["2021", "2022", "2023", "2024", "2025"]
    assert len(mhpss.find_all("rect")) == 1  # 2022 only ...
    assert [t.text() for t in mhpss.find_all("text")].count("\u2013") == 4  # ... the others are gaps, not 0
    (item,) = mhpss.find_all("li")  # the figure, its period and its source, written out
    assert item.attrs["data-year"] == "2022" and " ".join(item.text().split()).startswith("2022 42 COMPASS")
    # Cumulative figures are listed, labelled, and never drawn beside the years.
    trained = panels["stakeholders_trained"]
    assert not trained.find_all("svg")
    assert "Cumul 2021\u20132022 environ 109" in [
        " ".join(li.text().split()[:4]) for li in trained.find_all("li")
    ]
    supported = panels["migrants_supported"]  # "more than 1,000": hatched
    assert [r.attrs.get("data-qualifier") for r in supported.find_all("rect")] == [None, "more_than"]
    assert "plus de 1\u202f000" in supported.text() and "rodakar.iom.int" in supported.text()


def test_a_country_without_figures_has_no_results_over_time(pages):
    _, country = pages
    assert by_id(country.layout(iso3="IRQ", lang="en"), "country-history") is None
    assert by_id(country.layout(iso3="SDN", lang="en"), "country-history") is None


def test_the_coverage_caption_says_nothing_only_when_nothing_was_published(sqlite_context):
    import pandas as pd

    from components.i18n import get_translator
    from components.tables import coverage_table

    t = get_translator("en")
    some = pd.DataFrame(
        {
            "iso3": ["LBY", "MLI"],
            "name": ["Libya", "Mali"],
            "figures": [4, 0],
            "activities": [5, 0],
            "partners": [3, 0],
        }
    )
    none = some.assign(figures=0, activities=0, partners=0)
    caption = lambda frame: text_of(coverage_table(frame, "en", t, lambda iso3: "/").children.children[0])  # noqa: E731
    assert caption(some) == "What each country published"
    assert caption(none) == "What each country published: nothing for any country yet"


def test_long_histories_fold_their_lists_and_thin_their_year_labels(sqlite_context):
    import pandas as pd

    from components.history import results_over_time
    from components.i18n import get_translator
    from data_access import queries as q

    frame = q.country_history("NGA", "en")
    one = frame[frame.indicator_code == "mhpss_professionals_engaged"]
    years = list(range(2016, 2026))
    long = pd.concat([one.assign(year=y, value=10.0 * i) for i, y in enumerate(years[:5], start=1)])
    block = results_over_time(long, years, "en", get_translator("en"), "h")
    panel = parse_html(block.outer_html()).by_id("h")
    details = [d for d in panel.find_all("details") if d.attrs.get("class") == "history-list"]
    assert len(details) == 1 and "open" not in details[0].attrs
    assert "Figures and sources (5)" in details[0].text()
    labels = [t.text() for t in panel.find_all("text") if t.text().isdigit()]
    assert labels == ["2017", "2019", "2021", "2023", "2025"]  # every other year, the latest kept
    short = results_over_time(one, years[-5:], "en", get_translator("en"), "h")
    assert "open" in parse_html(short.outer_html()).find_all("details")[0].attrs  # one figure: open


def test_a_panel_writes_out_its_latest_figures_and_links_to_the_rest(sqlite_context):
    """A monthly series (a hundred figures per indicator) lists its LISTED_UP_TO
    latest, then says how many more there are and links to them in the explorer."""
    import pandas as pd

    from components.history import LISTED_UP_TO, results_over_time
    from components.i18n import get_translator
    from data_access import queries as q

    frame = q.country_history("NGA", "fr")
    one = frame[frame.indicator_code == "mhpss_professionals_engaged"]
    many = pd.concat([one.assign(value=float(i)) for i in range(LISTED_UP_TO + 5)])
    block = results_over_time(
        many, [2022], "fr", get_translator("fr"), "h", lambda code: f"/indicators?indicators={code}"
    )
    panel = parse_html(block.outer_html()).by_id("h")
    assert len(panel.find_all("li")) == LISTED_UP_TO
    more = [p for p in panel.find_all("p") if "history-more" in (p.attrs.get("class") or "")]
    assert len(more) == 1 and "5 chiffres antérieurs" in more[0].text()
    assert more[0].find_all("a")[0].attrs["href"] == "/indicators?indicators=mhpss_professionals_engaged"
    short = results_over_time(one, [2022], "fr", get_translator("fr"), "h", lambda code: "/x")
    assert "history-more" not in short.outer_html()
