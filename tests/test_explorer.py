"""The indicator explorer (/indicators) without a browser: its queries (SQLite and
PostgreSQL), its URL (values -> link -> parsed values, whatever the order of
choice; bad values dropped with a notice), its figures and table, and the rule
that figures are never added up.

Reference figures used (data/reference): "Migrants helped to return" has five
rows: programme-wide 1,110 (2021) and "more than 1,400" (2024), Mali 149 (2022),
and Nigeria 2024 stated by two sources as 1,013 and "about 1,000".
"Partner countries" (not summable) is stated for the programme and for Nigeria,
Mali and Ethiopia.
"""

from __future__ import annotations

import importlib
import itertools
import random

import plotly.graph_objects as go
import pytest
from sqlalchemy import insert, select

from components.explorer_figures import graph_filename
from components.explorer_points import figure_points
from components.i18n import get_translator
from data_access import catalog
from data_access import explorer as data
from data_access import schema as s
from data_access.summary import refresh_summary
from data_access.version import bump_version
from pages import ids
from pages.indicators_view import (
    canonical,
    explorer_params,
    explorer_url,
    next_sort,
    parse_sort,
    sort_url,
)
from pages.urlstate import parse_params
from tests.helpers import browser_urls, by_id, navigation_callbacks, text_of, view_nav, view_query, walk
from web.export_registry import explorer_figure

RETURNS = "migrants_return_assistance"
PARTNER_COUNTRIES = "partner_countries"
T = get_translator("en")


def layout(**query):
    return importlib.import_module("pages.indicators").layout(**query)


def figure_of(tree) -> go.Figure:
    return go.Figure(by_id(tree, ids.EXPLORER_GRAPH).figure)


def table_rows(tree) -> list:
    table = by_id(tree, ids.EXPLORER_TABLE)
    return [n for n in walk(table) if getattr(n, "_type", "") == "Tr" and n.__dict__.get("data-indicator")]


def row_data(row) -> tuple:
    return tuple(row.__dict__[k] for k in ("data-indicator", "data-place", "data-period", "data-value"))


def query_of(url: str) -> dict:
    """The query of a link as Dash hands it to a layout (repeated keys become lists)."""
    query: dict = {}
    for pair in url.split("?", 1)[1].split("&"):
        key, value = pair.split("=", 1)
        query[key] = [query[key], value] if key in query else value
    return query


# --- queries (SQLite and PostgreSQL) -----------------------------------------------------


def test_results_of_one_indicator_in_reading_order(app_context):
    frame = data.explorer_results((RETURNS,), lang="en")
    assert list(
        zip(frame.country_iso3, frame.year, frame.value, frame.qualifier, frame.sources, strict=True)
    ) == [
        (None, 2021, 1110.0, "exact", 1),
        (None, 2024, 1400.0, "more_than", 1),
        ("MLI", 2022, 149.0, "exact", 1),
        ("NGA", 2024, 1013.0, "exact", 2),
        ("NGA", 2024, 1000.0, "approx", 2),
    ]
    assert set(frame.indicator_name) == {"Migrants helped to return"}
    assert frame.summable.all() and frame.target.isna().all()
    assert frame.source_title.str.len().gt(0).all()


def test_results_filtered_by_place_year_and_breakdown(app_context):
    frame = data.explorer_results((RETURNS,), ("nga", "programme"), (2024,), None, "fr")
    assert sorted(zip(frame.scope, frame.value, strict=True)) == [
        ("country", 1000.0),
        ("country", 1013.0),
        ("programme", 1400.0),
    ]
    assert set(frame.country_name.dropna()) == {"Nigéria"}
    only_countries = data.explorer_results((RETURNS,), ("MLI", "NGA"), (), None, "en")
    assert set(only_countries.scope) == {"country"}
    assert data.explorer_results((RETURNS,), (), (2023,), None, "en").empty
    assert data.explorer_results((RETURNS,), (), (), "sex", "en").empty  # no breakdown in the reference data
    assert data.explorer_results((), lang="en").empty


def test_a_span_matches_the_year_it_ends(app_context):
    frame = data.explorer_results(("stakeholders_trained",), (), (2022,), None, "en")
    assert sorted((r.period_start.year, r.period_end.year, r.value) for r in frame.itertuples()) == [
        (2021, 2022, 109.0),
        (2021, 2022, 109.0),
        (2022, 2022, 1500.0),
    ]


def test_options(app_context):
    indicators = catalog.indicator_definitions("fr")
    assert len(indicators) == len(set(indicators.code)) >= 30
    returns = indicators[indicators.code == RETURNS].iloc[0]
    assert (returns["name"], returns.results, bool(returns.summable)) == ("Migrants aidés au retour", 5, True)
    assert not indicators[indicators.code == PARTNER_COUNTRIES].summable.iloc[0]
    countries = data.country_options("en")
    assert len(countries) == 14 and {"LBY", "NGA", "SDN"} <= set(countries.iso3)
    assert countries[countries.iso3 == "NGA"].results.iloc[0] == 18
    assert data.result_years() == [2021, 2022, 2023, 2024, 2025]
    assert data.breakdown_options() == []
    assert data.default_indicators() == (RETURNS,)


def test_a_non_summable_indicator_is_never_totalled(app_context):
    frame = data.explorer_results((PARTNER_COUNTRIES,), lang="en")
    stored = sorted(frame.value)
    assert len(frame) == 14 and set(stored) == {12.0, 14.0}
    points = figure_points(frame, "en", T)
    assert set(points.value) <= {12.0, 14.0}  # a mark is a stated figure, never a sum
    figure = explorer_figure({"indicators": [PARTNER_COUNTRIES], "chart": "bars"}, "en", T)
    drawn = [x for trace in figure.data for x in trace.x]
    assert set(drawn) <= {12.0, 14.0}
    assert max(drawn) == 14.0  # no total: not the 182 of all rows, nor a country's sum (NGA: 36)
    assert len(drawn) == len(points) == 10  # one bar per place and period, sources not added


# --- the URL ---------------------------------------------------------------------------


def test_url_round_trip_whatever_the_order_of_choice(sqlite_context):
    params = explorer_params()
    chosen = {
        "indicators": [PARTNER_COUNTRIES, RETURNS, "stakeholders_trained"],
        "countries": ["NGA", "programme", "LBY"],
        "years": ["2024", "2021", "2022"],
        "chart": "lines",
        "scale": "common",
        "sort": "-value",
    }
    urls = set()
    for order in itertools.permutations(range(3)):
        shuffled = {k: [v[i] for i in order] if isinstance(v, list) else v for k, v in chosen.items()}
        urls.add(explorer_url(shuffled, "fr"))
    assert len(urls) == 1
    url = urls.pop()
    assert url == (
        "/indicators?indicators=migrants_return_assistance,partner_countries,stakeholders_trained"
        "&countries=LBY,NGA,programme&years=2021,2022,2024&chart=lines&scale=common&sort=-value&lang=fr"
    )
    values, notices = parse_params(query_of(url), params)
    assert notices == []
    assert values == {
        "indicators": (RETURNS, PARTNER_COUNTRIES, "stakeholders_trained"),
        "countries": ("LBY", "NGA", "programme"),
        "years": ("2021", "2022", "2024"),
        "breakdown": None,
        "chart": "lines",
        "scale": "common",
        "sort": "-value",
    }
    assert explorer_url(values, "fr") == url


def test_url_leaves_out_defaults_and_normalises_case(sqlite_context):
    values, notices = parse_params(
        {"indicators": "Migrants_Return_Assistance", "countries": "nga,Programme", "chart": "BARS"},
        explorer_params(),
    )
    assert notices == []
    assert values["indicators"] == (RETURNS,) and values["countries"] == ("NGA", "programme")
    assert explorer_url(values, "en") == (
        "/indicators?indicators=migrants_return_assistance&countries=NGA,programme&lang=en"
    )
    assert canonical({"indicators": [RETURNS], "chart": "bars", "breakdown": ""})["chart"] is None


def test_a_random_query_round_trips(sqlite_context):
    params = explorer_params()
    codes = sorted(catalog.indicator_definitions("en").code)
    isos = sorted(data.country_options("en").iso3) + ["programme"]
    rng = random.Random(7)
    for _ in range(25):
        values = {
            "indicators": rng.sample(codes, rng.randint(1, 4)),
            "countries": rng.sample(isos, rng.randint(0, 4)),
            "years": rng.sample(["2021", "2022", "2023", "2024", "2025"], rng.randint(0, 3)),
            "chart": rng.choice(["bars", "lines", "map"]),
            "sort": rng.choice([None, "country", "-value", "period"]),
        }
        url = explorer_url(values, rng.choice(["en", "fr"]))
        parsed, notices = parse_params(query_of(url), params)
        assert notices == [] and explorer_url(parsed, url.rsplit("=", 1)[1]) == url
        assert set(parsed["indicators"]) == set(values["indicators"])


def test_a_control_change_writes_a_new_url_keeping_the_rest(sqlite_context):
    """What the browser writes (assets/compass_nav.js) from what the view ships."""
    layout = importlib.import_module("pages.indicators").layout
    nav = view_nav(layout(indicators=RETURNS, sort="-value", lang="fr"))
    cases = [
        {ids.EXPLORER_COUNTRIES: ["NGA", "LBY"]},
        {ids.EXPLORER_CHART_TYPE: "lines"},
        {ids.EXPLORER_CHART_TYPE: "bars"},  # the default chart, shown: stay
        {ids.EXPLORER_COUNTRIES: []},  # as shown: stay
        {ids.EXPLORER_INDICATORS: ["stakeholders_trained", RETURNS]},
        {ids.EXPLORER_SCALE: ["common"]},
        {ids.EXPLORER_BREAKDOWN: ""},
    ]
    assert browser_urls([(nav, case) for case in cases]) == [
        "/indicators?indicators=migrants_return_assistance&countries=LBY,NGA&sort=-value&lang=fr",
        "/indicators?indicators=migrants_return_assistance&chart=lines&sort=-value&lang=fr",
        None,
        None,
        "/indicators?indicators=migrants_return_assistance,stakeholders_trained&sort=-value&lang=fr",
        "/indicators?indicators=migrants_return_assistance&scale=common&sort=-value&lang=fr",
        None,
    ]
    lines = view_nav(layout(indicators=RETURNS, chart="lines", lang="fr"))
    assert browser_urls([(lines, {ids.EXPLORER_CHART_TYPE: "bars"})]) == [
        "/indicators?indicators=migrants_return_assistance&lang=fr"  # the default chart is left out
    ]


def test_table_sort_links():
    assert next_sort(None, "country") == "country"
    assert next_sort(None, "value") == "-value"
    assert next_sort("-value", "value") == "value"
    assert next_sort("value", "value") == "-value"
    assert next_sort("value", "period") == "period"
    assert sort_url({"indicators": (RETURNS,), "sort": "-value"}, "en", "value") == (
        "/indicators?indicators=migrants_return_assistance&sort=value&lang=en"
    )
    assert parse_sort("-value") == ("value", False)
    assert parse_sort(None) is None and parse_sort("nope") is None


def test_download_name_says_what_the_chart_shows():
    values = {"indicators": (RETURNS,), "countries": ("LBY", "NGA"), "years": ("2022",)}
    assert graph_filename(values) == "compass-migrants_return_assistance-LBY-NGA-2022"
    assert graph_filename({"indicators": ("a b/c",)}) == "compass-a_b_c"
    assert len(graph_filename({"indicators": tuple(f"code_{i}" for i in range(40))})) <= 120


# --- the page ------------------------------------------------------------------------------


def test_default_view(sqlite_context):
    tree = layout(lang="en")
    for control in (
        ids.EXPLORER_INDICATORS,
        ids.EXPLORER_COUNTRIES,
        ids.EXPLORER_YEARS,
        ids.EXPLORER_BREAKDOWN,
        ids.EXPLORER_CHART_TYPE,
    ):
        assert by_id(tree, control) is not None, control
    assert by_id(tree, ids.EXPLORER_INDICATORS).value == [RETURNS]
    assert by_id(tree, ids.EXPLORER_CHART_TYPE).value == "bars"
    # Each list of checkboxes is a fieldset named by its legend.
    named = {}
    for fieldset in (n for n in walk(tree) if type(n).__name__ == "Fieldset"):
        legend = text_of(fieldset.children[0])
        for control in (ids.EXPLORER_INDICATORS, ids.EXPLORER_COUNTRIES, ids.EXPLORER_YEARS):
            if by_id(fieldset, control) is not None:
                named[control] = legend
    assert named == {
        ids.EXPLORER_INDICATORS: "Indicators, by theme",
        ids.EXPLORER_COUNTRIES: "Countries",
        ids.EXPLORER_YEARS: "Years",
    }
    figure = figure_of(tree)
    assert [trace.type for trace in figure.data] == ["bar"]
    assert list(figure.data[0].text) == ["1,110", "more than 1,400", "149", "1,013 / about 1,000"]
    assert list(figure.data[0].x) == [1110.0, 1400.0, 149.0, 1013.0]
    assert "more than 1,400" in figure.data[0].hovertext[1]
    # One article's figure and its headline rounding: not "sources differ" (model.figures).
    assert "1,013" in figure.data[0].hovertext[3] and "Sources differ" not in figure.data[0].hovertext[3]
    graph = by_id(tree, ids.EXPLORER_GRAPH)
    assert graph.config["toImageButtonOptions"]["filename"] == "compass-migrants_return_assistance"
    assert graph.config["topojsonURL"].endswith("/assets/geo/")
    assert [row_data(r) for r in table_rows(tree)] == [
        (RETURNS, "programme", "2021", "1110"),
        (RETURNS, "programme", "2024", "1400"),
        (RETURNS, "MLI", "2022", "149"),
        (RETURNS, "NGA", "2021\u20132024", "1013"),  # a running total to February 2024
        (RETURNS, "NGA", "2021\u20132024", "1000"),
    ]
    text = text_of(by_id(tree, ids.EXPLORER_TABLE))
    assert "more than 1,400" in text and "about 1,000" in text and "approximately" in text
    assert "Total" not in [str(n) for n in walk(tree) if isinstance(n, str) and n.startswith("Total ")]
    path, query = view_query(tree)
    assert path == "/indicators" and query["indicators"] == RETURNS
    assert "chart" not in query  # the default chart is not written in links
    assert by_id(tree, "url-notices") is None


def test_lines_break_where_a_year_has_no_figure_and_spans_say_so(sqlite_context):
    tree = layout(indicators="stakeholders_trained,migrants_return_assistance", chart="lines", lang="en")
    figure = figure_of(tree)
    assert {trace.type for trace in figure.data} == {"scatter"}
    programme = next(
        tr for tr in figure.data if tr.name == "Programme-wide" and RETURNS_NAME in tr.hovertext[0]
    )
    assert list(programme.x) == [2021, 2022, 2024] and list(programme.y) == [1110.0, None, 1400.0]
    spans = [tr for tr in figure.data if tr.name == "Nigeria (cumulative, at end year)"]
    assert {tr.mode for tr in spans} == {"markers"}
    assert sorted(x for tr in spans for x in tr.x) == [2022, 2024]  # 2021-2022, and to February 2024
    hovers = " ".join(h for tr in spans for h in tr.hovertext)
    assert "Cumulative figure for 2021\u20132022, plotted at its end year (2022)." in hovers
    assert "cumulative" in text_of(tree)


RETURNS_NAME = "Migrants helped to return"


def test_map_shows_the_first_indicator_and_says_so(sqlite_context):
    tree = layout(indicators=f"{PARTNER_COUNTRIES},{RETURNS}", chart="map", lang="en")
    figure = figure_of(tree)
    assert {trace.type for trace in figure.data} == {"choropleth"}
    mapped = figure.data[-1]
    assert sorted(zip(mapped.locations, mapped.z, strict=True)) == [("MLI", 149.0), ("NGA", 1013.0)]
    assert len(figure.data[0].locations) == 12  # the other COMPASS countries, grey
    text = text_of(tree)
    assert "The map shows one indicator: Migrants helped to return." in text
    assert "Programme-wide figures are not on the map" in text
    assert len(table_rows(tree)) == 5 + 14  # the table keeps every figure of both indicators


def test_french_view(sqlite_context):
    tree = layout(countries="NGA,programme", years="2024", lang="fr")
    figure = figure_of(tree)
    assert figure.layout.separators == ", "
    assert list(figure.data[0].text) == ["plus de 1\u202f400", "1\u202f013 / environ 1\u202f000"]
    assert list(figure.data[0].y) == [
        "Ensemble du programme \u00b7 2024",
        "Nigéria \u00b7 2021\u20132024, cumulé",
    ]
    text = text_of(tree)
    assert "Explorateur d\u2019indicateurs" in text and "plus de 1\u202f400" in text
    assert by_id(tree, ids.EXPLORER_COUNTRIES).value == ["NGA", "programme"]


def test_table_follows_the_sort_in_the_url(sqlite_context):
    tree = layout(sort="-value", lang="en")
    assert [r.__dict__["data-value"] for r in table_rows(tree)] == ["1400", "1110", "1013", "1000", "149"]
    headers = [n for n in walk(by_id(tree, ids.EXPLORER_TABLE)) if getattr(n, "_type", "") == "Th"]
    sorted_by = [h for h in headers if h.__dict__.get("aria-sort")]
    assert [(h.__dict__["data-column"], h.__dict__["aria-sort"]) for h in sorted_by] == [
        ("value", "descending")
    ]
    link = next(n for n in walk(sorted_by[0]) if getattr(n, "href", None))
    assert link.href == "/indicators?indicators=migrants_return_assistance&sort=value&lang=en"
    by_country = layout(sort="-country", lang="en")
    assert [r.__dict__["data-place"] for r in table_rows(by_country)] == [
        "NGA",
        "NGA",
        "MLI",
        "programme",
        "programme",
    ]


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"indicators": "nope,migrants_return_assistance"}, "nope"),
        ({"years": "1999,2024"}, "1999"),
        ({"countries": "XXX,NGA"}, "XXX"),
        ({"chart": "pie"}, "pie"),
        ({"sort": "value:sideways"}, "value:sideways"),
        ({"breakdown": "sex"}, "sex"),
        ({"indicators": "x" * 5000}, "too long"),
        ({"countries": ["NGA", "LBY"]}, "more than once"),
        ({"utm_source": "mail"}, "utm_source"),
    ],
)
def test_bad_values_are_dropped_with_a_notice_and_the_rest_works(sqlite_context, query, notice):
    tree = layout(lang="en", **query)
    alerts = [n for n in walk(tree) if "url-notices" in (getattr(n, "className", "") or "")]
    assert len(alerts) == 1 and notice in text_of(alerts[0])
    assert figure_of(tree).data, "the chart still renders"
    assert table_rows(tree), "the table still renders"


def test_good_values_survive_next_to_bad_ones(sqlite_context):
    tree = layout(
        indicators="nope,migrants_return_assistance", countries="NGA,XXX", years="1999,2024", lang="en"
    )
    assert [row_data(r) for r in table_rows(tree)] == [
        (RETURNS, "NGA", "2021\u20132024", "1013"),  # a running total to February 2024
        (RETURNS, "NGA", "2021\u20132024", "1000"),
    ]
    assert view_query(tree)[1]["countries"] == "NGA"


def test_a_choice_without_figures_says_so(sqlite_context):
    tree = layout(indicators=RETURNS, years="2023", lang="en")
    assert "No figures were published for this choice." in text_of(tree)
    assert by_id(tree, ids.EXPLORER_GRAPH) is None and by_id(tree, ids.EXPLORER_TABLE) is None


def test_a_non_summable_indicator_shows_each_value_and_no_total(sqlite_context):
    tree = layout(indicators=PARTNER_COUNTRIES, countries="ETH,MLI,NGA", lang="en")
    rows = table_rows(tree)
    assert sorted(r.__dict__["data-value"] for r in rows) == ["12", "12", "12", "14", "14"]
    text = text_of(tree)
    assert "Not summable: Partner countries." in text
    assert "Total" not in text_of(by_id(tree, ids.EXPLORER_TABLE)).replace(
        "Total ", ""
    )  # only the breakdown label
    figure = figure_of(tree)
    assert sorted(figure.data[0].x) == [12.0, 12.0, 14.0, 14.0]  # one bar per country and period
    assert "not summable" in figure.layout.annotations[0].text


def test_export_hook_builds_the_page_figure(sqlite_context):
    tree = layout(indicators=RETURNS, countries="MLI,NGA", chart="lines", lang="fr")
    values = {"indicators": (RETURNS,), "countries": ("MLI", "NGA"), "chart": "lines"}
    fr = get_translator("fr")
    assert explorer_figure(values, "fr", fr).to_plotly_json() == figure_of(tree).to_plotly_json()
    default_view, _ = parse_params({}, explorer_params())
    assert explorer_figure(default_view, "en", T).data[0].type == "bar"  # the default view


def test_explorer_controls_write_the_url_in_the_browser(sqlite_context):
    (found,) = navigation_callbacks(sqlite_context, ids.EXPLORER_CHART_TYPE)
    assert found["clientside_function"] == {"namespace": "compass_nav", "function_name": "change"}
    assert {i["id"] for i in found["inputs"]} == {
        ids.EXPLORER_INDICATORS,
        ids.EXPLORER_COUNTRIES,
        ids.EXPLORER_YEARS,
        ids.EXPLORER_BREAKDOWN,
        ids.EXPLORER_CHART_TYPE,
        ids.EXPLORER_SCALE,
    }


# --- breakdowns and targets (a database of the test's own) --------------------------------------


def add_breakdown_with_targets(engine) -> None:
    """Nigeria 2024 returns broken down by sex (female "more than 400" of a 500
    target, male 560 of 500), and a target of 2,000 on the programme's 2024 figure."""
    with engine.begin() as conn:
        base = conn.execute(
            select(s.results).where(
                s.results.c.indicator_code == RETURNS,
                s.results.c.country_iso3 == "NGA",
                s.results.c.qualifier == "exact",
            )
        ).one()
        row = dict(base._mapping)
        row.pop("id")
        for sex, value, qualifier in (("female", 400, "more_than"), ("male", 560, "exact")):
            conn.execute(
                insert(s.results).values(
                    **{
                        **row,
                        "breakdown_dim": "sex",
                        "breakdown_value": sex,
                        "value": value,
                        "qualifier": qualifier,
                        "target": 500,
                    }
                )
            )
        conn.execute(
            s.results.update()
            .where(
                s.results.c.indicator_code == RETURNS,
                s.results.c.scope == "programme",
                s.results.c.value == 1400,
            )
            .values(target=2000)
        )
        refresh_summary(conn)  # like every writer: pages read the summary
        bump_version(conn)


@pytest.fixture
def write_targets():
    """What `targeted_app` (conftest.py) writes to the test's database first."""
    return add_breakdown_with_targets


def test_breakdown_and_targets(targeted_app):
    assert data.breakdown_options() == ["sex"]
    tree = layout(breakdown="sex", lang="en")
    assert [o["value"] for o in by_id(tree, ids.EXPLORER_BREAKDOWN).options] == ["", "sex"]
    rows = table_rows(tree)
    assert [row_data(r) for r in rows] == [
        (RETURNS, "NGA", "2021\u20132024", "400"),
        (RETURNS, "NGA", "2021\u20132024", "560"),
    ]
    text = text_of(by_id(tree, ids.EXPLORER_TABLE))
    assert "Sex: female" in text and "% of target" in text
    assert "more than 80%" in text and "112%" in text  # the share keeps the figure's qualifier
    figure = figure_of(tree)
    bars, target = figure.data
    assert list(bars.y) == [
        "Nigeria \u00b7 2021\u20132024 \u00b7 Sex: female, cumulative",
        "Nigeria \u00b7 2021\u20132024 \u00b7 Sex: male, cumulative",
    ]
    assert target.name == "Target" and list(target.x) == [500.0, 500.0]
    assert "Target: 500 \u00b7 more than 80% of the target" in bars.hovertext[0]


def test_totals_view_shows_targets_where_they_exist(targeted_app):
    tree = layout(lang="en")
    rows = {row_data(r): r for r in table_rows(tree)}
    assert (RETURNS, "programme", "2024", "1400") in rows
    assert "more than 70%" in text_of(rows[(RETURNS, "programme", "2024", "1400")])
    assert "Target" in [tr.name for tr in figure_of(tree).data]
    sorted_rows = table_rows(layout(sort="-share", lang="en"))
    assert row_data(sorted_rows[0]) == (
        RETURNS,
        "programme",
        "2024",
        "1400",
    )  # the only share, first; others last


def test_language_links_keep_the_view_and_no_single_year(sqlite_context):
    tree = layout(indicators=RETURNS, countries="nga", chart="lines", year="2022", lang="en")
    hrefs = [n.href for n in walk(tree) if getattr(n, "href", None)]
    assert "/indicators?indicators=migrants_return_assistance&countries=NGA&chart=lines&lang=fr" in hrefs
    assert "year" not in view_query(tree)[1]  # the explorer's years control replaces it
    assert len(table_rows(tree)) == 2  # `year` is not a filter here: Nigeria's 2024 figures show
    overview = importlib.import_module("pages.overview").layout(year="2022", lang="fr")
    assert "/indicators?lang=fr" in [n.href for n in walk(overview) if getattr(n, "href", None)]


def test_the_hover_says_sources_differ_by_the_pages_rule(app_context):
    """One article's 1,013 and its headline 'about 1,000' agree; a figure stated
    'up to 38,862' on one page and 38,862 on another is shown as differing."""
    from components.explorer_points import hover_text

    returns = figure_points(data.explorer_results((RETURNS,), ("NGA",), lang="en"), "en", T)
    running_total = returns[returns.value == 1013.0].iloc[0]
    assert len(running_total.figures) == 2 and not running_total.differ
    assert "Sources differ" not in hover_text(running_total, "en", T)
    frame = data.explorer_results(("migrants_assisted_total",), lang="en")
    points = figure_points(frame[frame.value == 38862.0], "en", T)
    assert points.differ.any()
    assert "Sources differ" in hover_text(points[points.differ].iloc[0], "en", T)
