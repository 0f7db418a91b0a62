"""The data cutoff of pinned links (issue 14): `until=YYYY` keeps the explorer's
and the Partners page's "every year" to the years a link's sender saw
(pages/share.py). Parsing, the pinned links, the browser's URL rules, and a
database of the test's own where a later year is loaded after the link was made."""

from __future__ import annotations

import csv
import importlib
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from components.i18n import get_translator
from components.notices import notice_text
from data_access import explorer as data
from data_access import partners as partner_data
from data_access import queries as q
from model.notice import Notice
from pages import ids
from pages.share import with_cutoff
from pages.urlstate import CUTOFF_KEY, parse_until, parse_view
from tests.helpers import (
    LATER,
    NEW_PARTNER,
    add_a_later_year,
    browser_urls,
    by_id,
    make_app,
    parse_html,
    router_body,
    text_of,
    view_nav,
    walk,
)
from web.export_choices import explorer_choices, partner_choices

RETURNS = "migrants_return_assistance"


def explorer():
    return importlib.import_module("pages.indicators")


def partners():
    return importlib.import_module("pages.partners")


def query_of(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


# --- parsing (pages/urlstate.py) -------------------------------------------------------------------

YEARS = [2021, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        (None, None, None),
        ("", None, None),
        ("2023", "2023", None),
        (" 2025 ", "2025", None),
        ("2021", "2021", None),
        ("2026", None, "until_after"),  # after the latest year with data: would cut nothing
        ("2099", None, "until_after"),
        ("2020", None, "until_before"),  # before the data: would leave nothing
        ("23", None, "bad_until"),
        ("abc", None, "bad_until"),
        ("２０２３", None, "bad_until"),  # full-width digits are not a year of a link
        ("2023-01", None, "bad_until"),
        (["2023", "2024"], None, "repeated"),
    ],
)
def test_the_cutoff_is_a_year_with_data_or_dropped_with_a_notice(raw, value, code):
    query = {} if raw is None else {CUTOFF_KEY: raw}
    found, notices = parse_until(query, YEARS)
    assert found == value
    assert [n.code for n in notices] == ([code] if code else [])
    assert all(n.key == CUTOFF_KEY for n in notices)


def test_without_data_no_cutoff_is_kept():
    assert parse_until({CUTOFF_KEY: "2024"}, [])[0] is None


def test_only_a_page_that_reads_the_cutoff_accepts_it():
    plain = parse_view({"until": "2024"}, YEARS, 2024, "en")
    assert [n.code for n in plain.notices] == ["unknown_key"] and "until" not in plain.values
    read = parse_view({"until": "2024"}, YEARS, 2024, "en", cutoff=True)
    assert read.notices == () and read.values == {"until": "2024"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("code", ["bad_until", "until_after", "until_before"])
def test_each_cutoff_notice_is_a_sentence_in_each_language(lang, code):
    text = notice_text(Notice(code, CUTOFF_KEY, "2031"), get_translator(lang), "")
    assert "2031" in text and not text.startswith("Ignored") and not text.startswith("Ignoré")


def test_with_cutoff_writes_the_latest_year_only_for_every_year():
    assert with_cutoff({"countries": ("LBY",)}, True, YEARS) == {"countries": ("LBY",), "until": "2025"}
    assert with_cutoff({"years": ("2022",)}, False, YEARS) == {"years": ("2022",)}
    assert with_cutoff({"until": "2023"}, True, YEARS) == {"until": "2023"}  # a pinned view keeps its own
    assert with_cutoff({}, True, []) == {}


# --- pinned links and the browser's URL rules (the reference data) -------------------------------


def copy_target(tree) -> dict:
    button = by_id(tree, ids.COPY_LINK)
    return {k: getattr(button, k) for k in ("data-pinned", "data-path", "data-asked")}


def test_the_explorers_pinned_link_writes_the_cutoff_and_the_address_stays_short(sqlite_context):
    latest = str(max(q.available_years()))
    tree = explorer().layout(lang="fr")
    link = copy_target(tree)["data-pinned"]
    assert link == f"/indicators?indicators={RETURNS}&until={latest}&lang=fr"
    assert CUTOFF_KEY not in dict(view_nav(tree)["query"])  # the address bar is not rewritten with it
    # A year ticked: the link names it, no cutoff is added.
    ticked = copy_target(explorer().layout(years="2022", lang="en"))["data-pinned"]
    assert ticked == f"/indicators?indicators={RETURNS}&years=2022&lang=en"
    # Opened from a pinned link: the cutoff is part of the view, and its link keeps it.
    opened = explorer().layout(until="2023", countries="NGA", lang="en")
    assert dict(view_nav(opened)["query"])[CUTOFF_KEY] == "2023"
    assert query_of(copy_target(opened)["data-pinned"])[CUTOFF_KEY] == "2023"
    assert "every year up to 2023" in text_of(opened)


def test_the_partners_pinned_link_writes_the_cutoff(sqlite_context):
    latest = str(max(q.available_years()))
    tree = partners().layout(lang="en")
    assert copy_target(tree)["data-pinned"] == f"/partners?until={latest}&lang=en"
    assert CUTOFF_KEY not in dict(view_nav(tree)["query"])
    assert (
        copy_target(partners().layout(year="2022", lang="fr"))["data-pinned"] == "/partners?year=2022&lang=fr"
    )
    opened = partners().layout(until="2023", types="local_ngo", lang="fr")
    assert query_of(copy_target(opened)["data-pinned"]) == {
        "types": "local_ngo",
        "until": "2023",
        "lang": "fr",
    }
    assert "toutes les années jusqu\u2019à 2023" in text_of(opened)
    # "Clear all filters" clears the filters, not the cutoff.
    clear = [n for n in _links(opened) if "partners-clear" in (getattr(n, "className", "") or "")]
    assert clear and clear[0].href == "/partners?until=2023&lang=fr"


def _links(tree):
    return [n for n in walk(tree) if getattr(n, "href", None)]


def test_a_bad_cutoff_is_a_notice_and_the_page_renders(sqlite_context):
    for page, query in ((explorer(), {}), (partners(), {})):
        tree = page.layout(until="20x5", lang="en", **query)
        assert "\u201c20x5\u201d is not a year; every year is shown." in text_of(tree)
        latest = str(max(q.available_years()))
        assert query_of(copy_target(tree)["data-pinned"])[CUTOFF_KEY] == latest
    future = explorer().layout(until="2031", lang="fr")
    assert "2031 est postérieur à la dernière année de données" in text_of(future)


def test_the_browser_keeps_the_cutoff_through_control_changes(sqlite_context):
    """The browser writes URLs from nav_state: ticking a country keeps the cutoff;
    ticking a year keeps it too (it then cuts nothing), so unticking the year
    brings the pinned "every year up to" back."""
    nav = view_nav(explorer().layout(until="2023", lang="en"))
    ticked = view_nav(explorer().layout(until="2023", years="2024", lang="en"))
    country, year, untick = browser_urls(
        [
            (nav, {ids.EXPLORER_COUNTRIES: ["NGA"]}),
            (nav, {ids.EXPLORER_YEARS: ["2024"]}),
            (ticked, {ids.EXPLORER_YEARS: []}),
        ]
    )
    assert country == f"/indicators?indicators={RETURNS}&countries=NGA&until=2023&lang=en"
    assert year == f"/indicators?indicators={RETURNS}&years=2024&until=2023&lang=en"
    assert untick == f"/indicators?indicators={RETURNS}&until=2023&lang=en"
    # The ticked year is shown even though it is after the cutoff.
    assert "2024" in text_of(
        by_id(explorer().layout(until="2023", years="2024", lang="en"), ids.EXPLORER_TABLE)
    )
    pnav = view_nav(partners().layout(until="2023", lang="en"))
    (partner_url,) = browser_urls([(pnav, {ids.PARTNERS_TYPES: ["local_ngo"]})])
    assert query_of(partner_url) == {"types": "local_ngo", "until": "2023", "lang": "en"}


def test_exports_and_previews_of_a_view_carry_its_cutoff(sqlite_context):
    tree = explorer().layout(until="2023", lang="en")
    hrefs = [n.href for n in _links(tree) if n.href.startswith("/export/")]
    assert hrefs and all(query_of(h).get(CUTOFF_KEY) == "2023" for h in hrefs)
    ptree = partners().layout(until="2023", lang="en")
    phrefs = [n.href for n in _links(ptree) if n.href.startswith("/export/")]
    assert phrefs and all(query_of(h).get(CUTOFF_KEY) == "2023" for h in phrefs)


# --- a later year loaded after the link was copied (a database of the test's own) ---------------


@pytest.fixture
def later_app(writable_sqlite):
    """The reference data, the link copied (pinned as it stood), then 2026 loaded."""
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        link = copy_target(explorer().layout(lang="en"))["data-pinned"]
        partners_link = copy_target(partners().layout(lang="en"))["data-pinned"]
    add_a_later_year(writable_sqlite)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        yield app, link, partners_link


def test_a_later_year_is_left_out_of_a_pinned_view_only(later_app):
    _, link, _ = later_app
    until = int(query_of(link)[CUTOFF_KEY])
    assert until < LATER and LATER in q.available_years()
    pinned_rows = data.explorer_results((RETURNS,), until=until)
    every = data.explorer_results((RETURNS,))
    assert LATER in set(every.year) and LATER not in set(pinned_rows.year)
    assert len(every) == len(pinned_rows) + 1
    assert LATER in set(
        data.explorer_results((RETURNS,), years=(LATER,), until=until).year
    )  # a ticked year wins
    # The page: the pinned view lists what it listed before; without the cutoff, 2026 too.
    shown = text_of(by_id(explorer().layout(**query_of(link)), ids.EXPLORER_TABLE))
    assert "987,654" not in shown
    assert "987,654" in text_of(by_id(explorer().layout(lang="en"), ids.EXPLORER_TABLE))
    # The new view's own pinned link moves on to 2026.
    assert query_of(copy_target(explorer().layout(lang="en"))["data-pinned"])[CUTOFF_KEY] == str(LATER)


def test_a_later_partner_activity_is_left_out_of_a_pinned_view_only(later_app):
    _, _, link = later_app
    until = int(query_of(link)[CUTOFF_KEY])
    every = {e.key for e in partner_data.partner_directory("en")}
    kept = {e.key for e in partner_data.partner_directory("en", until=until)}
    assert NEW_PARTNER in every and kept == every - {NEW_PARTNER}
    assert LATER not in set(partner_data.partner_activities("en", until=until).year)
    assert LATER in set(partner_data.partner_activities("en").year)
    matrix = partner_data.partner_country_matrix("en", until=until)
    assert NEW_PARTNER not in set(matrix.partner_key)
    assert NEW_PARTNER in {e.key for e in partner_data.partner_directory("en", year=LATER, until=until)}
    assert "Zeta Later Partner" not in text_of(partners().layout(**query_of(link)))
    assert "Zeta Later Partner" in text_of(partners().layout(lang="en"))


def test_exports_previews_and_cached_responses_keep_the_cutoff(later_app):
    app, link, partners_link = later_app
    client = app.server.test_client()
    params = query_of(link)
    csv_url = "/export/explorer.csv?" + "&".join(f"{k}={v}" for k, v in params.items())
    pinned_csv = client.get(csv_url).get_data(as_text=True)
    every_csv = client.get(f"/export/explorer.csv?indicators={RETURNS}&lang=en").get_data(as_text=True)
    assert "987654" in every_csv and "987654" not in pinned_csv
    assert len(list(csv.reader(io.StringIO(every_csv)))) == len(list(csv.reader(io.StringIO(pinned_csv)))) + 1
    partner_csv = client.get("/export/partners.csv?" + urlsplit(partners_link).query).get_data(as_text=True)
    assert "Zeta Later Partner" not in partner_csv
    assert "Zeta Later Partner" in client.get("/export/partners.csv?lang=en").get_data(as_text=True)
    # The link preview describes the pinned view: one figure fewer than the open one.
    pinned_head, open_head = (
        _head(client, url) for url in (link, f"/indicators?indicators={RETURNS}&lang=en")
    )
    assert pinned_head["canonical"] == "http://localhost" + link
    assert _figures_described(open_head) == _figures_described(pinned_head) + 1
    assert query_of(pinned_head["og:image"])[CUTOFF_KEY] == params[CUTOFF_KEY]
    # Cached responses: the open view first, then the pinned one, each its own figures.
    for search, shown in ((f"?indicators={RETURNS}&lang=en", True), ("?" + urlsplit(link).query, False)):
        for _ in range(2):  # the second answer comes from the response cache
            body = json.dumps(
                client.post("/_dash-update-component", json=router_body("/indicators", search)).get_json()
            )
            assert ("987,654" in body) is shown


def _head(client, url: str) -> dict[str, str]:
    """The description, canonical address and image of a served page."""
    root = parse_html(client.get(url).get_data(as_text=True))
    found = {
        m.attrs.get("name") or m.attrs.get("property"): m.attrs.get("content") for m in root.find_all("meta")
    }
    found["canonical"] = next(
        (link.attrs.get("href") for link in root.find_all("link") if link.attrs.get("rel") == "canonical"),
        None,
    )
    return found


def _figures_described(head: dict[str, str]) -> int:
    """N of a description "Migrants helped to return: N published figures ..."."""
    return int(head["description"].split(": ", 1)[1].split(" ", 1)[0])


def test_the_cutoff_queries_on_each_backend(app_context):
    """The same SQL on SQLite and PostgreSQL: periods ending after the cutoff are out."""
    cut = data.explorer_results((RETURNS,), until=2022)
    assert not cut.empty and max(cut.year) == 2022
    assert set(cut.year) < set(data.explorer_results((RETURNS,)).year)
    activity_years = partner_data.partner_filter_options("en").years
    before = min(activity_years) - 1
    if before in q.available_years():
        assert partner_data.partner_activities("en", until=before).empty
    every = partner_data.partner_directory("en")
    assert {e.key for e in partner_data.partner_directory("en", until=max(activity_years))} == {
        e.key for e in every
    }


def test_an_exports_filter_line_says_up_to_which_year(sqlite_context):
    en, fr = get_translator("en"), get_translator("fr")
    assert ("Years", "all up to 2023") in explorer_choices(
        {"indicators": (RETURNS,), "until": "2023"}, "en", en
    )
    assert ("Years", "all") in explorer_choices({"indicators": (RETURNS,)}, "en", en)
    assert ("Years", "2022") in explorer_choices({"years": ("2022",), "until": "2023"}, "en", en)
    assert ("Année", "toutes années confondues jusqu\u2019à 2023") in partner_choices(
        {"until": "2023"}, "fr", fr
    )
