"""Partners page (/partners), without a browser: the queries on SQLite and
PostgreSQL (filters, accent-insensitive search, a matrix that adds up to the
activities), the layout in English and French, the URL round trip and the
notices for values that were left out.

Reference data (2022 narrative): Libya's activities name five partners; the
World Food Programme (French acronym PAM) works in Chad; "Médecins du Monde"
and "Terre d'Asile Tunisie" (Terre d’Asile in French) in Tunisia.
"""

from __future__ import annotations

import importlib
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import func, insert, select

from data_access import partners as data
from data_access import schema as s
from data_access.db import get_engine
from data_access.version import bump_version
from pages import ids
from pages.partners_view import partners_context, partners_link
from pages.urlstate import MAX_TEXT
from tests.helpers import (
    LIBYA_PARTNERS,
    browser_urls,
    by_id,
    make_app,
    navigation_callbacks,
    text_of,
    view_nav,
    view_query,
    walk,
)

FILTERS = [
    {},
    {"countries": ("LBY", "TUN")},
    {"themes": ("mhpss",)},
    {"types": ("local_ngo", "government")},
    {"search": "embassy"},
    {"countries": ("ETH",), "types": ("local_ngo",), "year": 2022},
]


def keys(entries) -> set[str]:
    return {e.key for e in entries}


def partner_count() -> int:
    with get_engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(s.partners)).scalar()


# --- queries (SQLite and PostgreSQL) ---------------------------------------------------------


def test_directory_lists_every_partner_with_type_countries_and_activities(app_context):
    entries = data.partner_directory("en")
    assert len(entries) == partner_count()
    wfp = next(e for e in entries if e.key == "wfp")
    assert (wfp.name, wfp.acronym, wfp.type, wfp.activities) == (
        "World Food Programme",
        "PAM",
        "un_agency",
        1,
    )
    assert wfp.countries == (("TCD", "Chad"),) and wfp.themes == ("data_collection",)
    folded = [data.fold(e.name) for e in entries]
    assert folded == sorted(folded)


def test_directory_speaks_the_page_language(app_context):
    wfp = next(e for e in data.partner_directory("fr") if e.key == "wfp")
    assert wfp.name == "Programme alimentaire mondial" and wfp.countries == (("TCD", "Tchad"),)


def test_filters_by_country_type_theme_and_year(app_context):
    assert keys(data.partner_directory("en", countries=("LBY",))) == LIBYA_PARTNERS
    assert keys(data.partner_directory("en", countries=("lby",))) == LIBYA_PARTNERS
    assert keys(data.partner_directory("en", types=("un_agency",))) == {"unhcr", "wfp"}
    mhpss = data.partner_directory("en", themes=("mhpss",))
    assert {"lby-ministry-of-health", "philippines-embassy-lebanon"} <= keys(mhpss)
    assert all(e.themes == ("mhpss",) for e in mhpss)
    both = data.partner_directory("en", countries=("LBY",), themes=("mhpss",), types=("government",))
    assert keys(both) == {"lby-ministry-of-health", "lby-embassy-representatives"}
    assert data.partner_directory("en", year=2021) == []
    assert keys(data.partner_directory("en", year=2022)) == {
        e.key for e in data.partner_directory("en") if e.activities
    }


def test_order_of_values_does_not_matter(app_context):
    one = data.partner_directory("en", countries=("TUN", "LBY"), types=("local_ngo", "government"))
    other = data.partner_directory("en", countries=["LBY", "TUN", "LBY"], types=("government", "local_ngo"))
    assert one == other


@pytest.mark.parametrize("search", ["medecins", "MÉDECINS", "Médecins", "decins du mon", "  medecins   du  "])
def test_search_ignores_case_and_accents(app_context, search):
    assert keys(data.partner_directory("en", search=search)) == {"medecins-du-monde"}


def test_search_looks_at_both_names_the_acronym_and_typographic_apostrophes(app_context):
    assert "wfp" in keys(data.partner_directory("en", search="pam"))  # French acronym
    assert keys(data.partner_directory("en", search="programme alimentaire")) == {"wfp"}  # French name
    assert keys(data.partner_directory("fr", search="terre d'asile")) == {"terre-d-asile-tunisie"}
    assert keys(data.partner_directory("en", search="terre d\u2019asile")) == {"terre-d-asile-tunisie"}


@pytest.mark.parametrize("search", ["%", "_", "' OR 1=1 --", "\\", "zzzz", "<script>"])
def test_search_text_is_only_ever_text(app_context, search):
    assert data.partner_directory("en", search=search) == []
    assert data.partner_activities("en", search=search).empty
    assert data.partner_country_matrix("en", search=search).empty


def test_search_longer_than_the_limit_is_refused(app_context):
    with pytest.raises(ValueError):
        data.partner_directory("en", search="x" * (data.MAX_SEARCH + 1))


@pytest.mark.parametrize("chosen", FILTERS)
def test_matrix_counts_equal_the_activities(app_context, chosen):
    entries = data.partner_directory("en", **chosen)
    matrix = data.partner_country_matrix("en", **chosen)
    activities = data.partner_activities("en", **chosen)
    assert not matrix.empty and not activities.empty
    # A partner's row adds up to its number of activities in the directory...
    assert matrix.groupby("partner_key").activities.sum().to_dict() == {
        e.key: e.activities for e in entries if e.activities
    }
    # ...and every cell is the number of listed activities in that country naming that partner.
    named = Counter(
        (name, row.country_iso3) for row in activities.itertuples() for name in row.partners.split("; ")
    )
    for row in matrix.itertuples():
        assert named[(row.partner_name, row.country_iso3)] == row.activities, row
    # The directory's countries are the matrix's columns for that partner.
    for entry in entries:
        assert {c for c, _ in entry.countries} == set(matrix.country_iso3[matrix.partner_key == entry.key])


def test_activities_in_the_language_with_partners_and_sources(app_context):
    en = data.partner_activities("en", countries=("TUN",))
    fr = data.partner_activities("fr", countries=("TUN",))
    assert list(en.key) == list(fr.key) and len(en) == 2
    assert en.description.str.contains("Strong links and coordination").any()
    assert fr.description.str.contains("Des liens solides").any()
    assert fr.partners.str.contains("HCR, l\u2019Agence", regex=False).any()
    assert en.source_title.map(bool).all() and en.source_quote.map(bool).all()
    assert (en.country_name == "Tunisia").all() and (en.year == 2022).all()


def test_activities_without_a_partner_are_not_listed(app_context):
    listed = data.partner_activities("en")
    assert listed.partners.map(bool).all()
    assert listed.country_iso3.notna().all()  # the programme-wide activities name no partner


def test_filter_options_are_what_partner_activities_use(app_context):
    options = data.partner_filter_options("fr")
    assert ("LBY", "Libye") in options.countries and "SDN" not in {c for c, _ in options.countries}
    names = [name for _, name in options.countries]
    assert names == sorted(names, key=data.fold)  # Égypte and Éthiopie file under E
    assert {"un_agency", "local_ngo", "government"} <= set(options.types)
    assert "mhpss" in options.themes and options.years == (2022,)


def test_results_are_copies(app_context):
    frame = data.partner_country_matrix("en")
    frame["activities"] = 99
    assert (data.partner_country_matrix("en").activities < 99).all()


# --- hostile names (a database of the test's own) --------------------------------------------

HOSTILE = "<script>alert(1)</script>"


def add_partner(engine, name: str, iso3: str = "LBY") -> None:
    with engine.begin() as conn:
        source_id = conn.execute(select(func.min(s.sources.c.id))).scalar()
        partner = conn.execute(
            insert(s.partners).values(key="hostile", name_en=name, name_fr=name, type="local_ngo")
        ).inserted_primary_key[0]
        activity = conn.execute(
            insert(s.activities).values(
                key="hostile-activity",
                country_iso3=iso3,
                year=2022,
                theme="protection",
                description_en=f"English {name}",
                description_fr=f"Fran\u00e7ais {name}",
                source_id=source_id,
            )
        ).inserted_primary_key[0]
        conn.execute(insert(s.activity_partners).values(activity_id=activity, partner_id=partner))
        bump_version(conn)


def test_partner_names_are_shown_as_text_never_as_markup(writable_sqlite):
    add_partner(writable_sqlite, HOSTILE)
    app = make_app(writable_sqlite)
    with app.server.test_request_context("/"):
        page = importlib.import_module("pages.partners")
        tree = page.layout(q="script", lang="fr")
    strings = [n for n in walk(tree) if isinstance(n, str)]
    assert HOSTILE in strings  # the name, as one text node: React escapes it
    assert f"Fran\u00e7ais {HOSTILE}" in strings
    row = by_id(tree, f"{ids.PARTNERS_MATRIX}-table")
    assert HOSTILE in text_of(row)
    assert not any(getattr(n, "dangerously_allow_html", False) for n in walk(tree))
    assert not any(type(n).__name__ == "Markdown" for n in walk(tree))


# --- layout ------------------------------------------------------------------------------------


@pytest.fixture
def page(sqlite_context):
    return importlib.import_module("pages.partners")


def entry_keys(tree) -> set[str]:
    return {
        getattr(n, "data-partner")
        for n in walk(tree)
        if "partner-entry" in (getattr(n, "className", "") or "")
    }


def test_layout_in_english(page, sqlite_context):
    tree = page.layout(lang="en")
    text = text_of(tree)
    for control in (
        ids.PARTNERS_COUNTRIES,
        ids.PARTNERS_TYPES,
        ids.PARTNERS_THEMES,
        ids.PARTNERS_YEAR,
        ids.PARTNERS_SEARCH,
        ids.PARTNERS_SUMMARY,
        ids.PARTNERS_DIRECTORY,
        ids.PARTNERS_MATRIX,
        ids.PARTNERS_ACTIVITIES,
    ):
        assert by_id(tree, control) is not None, control
    assert "Partners by country" in text and "World Food Programme (PAM)" in text and "UN agency" in text
    assert len(entry_keys(tree)) == partner_count()
    assert "Activities of every year." in text
    assert view_query(tree) == ("/partners", {"lang": "en"})
    assert by_id(tree, "url-notices") is None
    matrix = by_id(tree, f"{ids.PARTNERS_MATRIX}-table")
    hrefs = [n.href for n in walk(matrix) if getattr(n, "href", None)]
    assert "/countries/LBY?year=2022&lang=en" in hrefs  # country headers open the country page


def test_layout_in_french(page):
    tree = page.layout(lang="fr", countries="TUN")
    text = text_of(tree)
    assert "Partenaires" in text and "Partenaires par pays" in text and "ONG internationale" in text
    assert "Des liens solides et une coordination" in text  # the description in French
    assert "Tunisie" in text and "Tunisia" not in text
    dropdown = by_id(tree, ids.PARTNERS_COUNTRIES)
    assert dropdown.labels["select_all"] == "Tout sélectionner" and dropdown.placeholder == "Tous les pays"
    assert by_id(tree, ids.PARTNERS_SEARCH).placeholder == "Nom ou sigle"


def test_url_filters_the_page(page):
    tree = page.layout(countries="LBY", lang="en")
    assert entry_keys(tree) == LIBYA_PARTNERS
    matrix_text = text_of(by_id(tree, f"{ids.PARTNERS_MATRIX}-table"))
    assert "Libya" in matrix_text and "Tunisia" not in matrix_text
    assert by_id(tree, ids.PARTNERS_COUNTRIES).value == ["LBY"]
    assert view_query(tree)[1]["countries"] == "LBY"


def test_year_filter_and_its_way_back(page):
    tree = page.layout(year="2022", types="un_agency", lang="en")
    assert entry_keys(tree) == {"unhcr", "wfp"}
    assert "Activities of 2022." in text_of(tree)
    hrefs = [n.href for n in walk(tree) if getattr(n, "href", None)]
    assert "/partners?types=un_agency&lang=en" in hrefs  # every year, other filters kept
    assert "/partners?lang=en" in hrefs  # clear all filters


def test_a_partner_name_narrows_the_page_to_it(page):
    tree = page.layout(countries="TCD", lang="en")
    hrefs = [n.href for n in walk(by_id(tree, ids.PARTNERS_DIRECTORY)) if getattr(n, "href", None)]
    assert "/partners?countries=TCD&q=World+Food+Programme&lang=en" in hrefs


def test_nothing_found_says_so(page):
    text = text_of(page.layout(q="zzzz", lang="en"))
    assert "No partner matches \u201czzzz\u201d with these filters." in text


def test_bad_values_are_left_out_with_notices_and_the_rest_works(page):
    tree = page.layout(
        countries="LBY,XXX", types="alien", themes="mhpss", year="abc", q="x" * (MAX_TEXT + 1), lang="en"
    )
    notices = text_of([n for n in walk(tree) if "url-notices" in (getattr(n, "className", "") or "")])
    for shown in ("XXX", "alien", "abc", "The value of \u201cq\u201d is too long"):
        assert shown in notices, shown
    assert entry_keys(tree) == LIBYA_PARTNERS - {"belkhair-sports-club"}  # the mental health partners
    assert view_query(tree)[1] == {"countries": "LBY", "themes": "mhpss", "lang": "en"}


def test_hostile_search_is_echoed_as_text(page):
    tree = page.layout(q=HOSTILE, lang="en")
    assert f"No partner matches \u201c{HOSTILE}\u201d with these filters." in text_of(tree)
    assert by_id(tree, ids.PARTNERS_SEARCH).value == HOSTILE


def test_other_pages_link_to_partners_without_a_year(sqlite_context):
    overview = importlib.import_module("pages.overview")
    hrefs = [n.href for n in walk(overview.layout(year="2022", lang="fr")) if getattr(n, "href", None)]
    assert "/partners?lang=fr" in hrefs


# --- the URL -------------------------------------------------------------------------------------


def test_url_round_trip(sqlite_context):
    query = {
        "countries": "TUN,lby",
        "types": "local_ngo",
        "themes": "protection",
        "year": "2022",
        "q": " Amal ",
        "lang": "fr",
    }
    ctx = partners_context(query)
    link = partners_link(ctx.values, ctx.lang)
    assert link == "/partners?year=2022&countries=LBY,TUN&types=local_ngo&themes=protection&q=Amal&lang=fr"
    again = partners_context(dict(parse_qsl(urlsplit(link).query)))
    assert again.values == ctx.values and again.lang == "fr" and not again.view.notices
    assert partners_link(again.values, again.lang) == link


def test_order_of_values_gives_the_same_link(sqlite_context):
    one = partners_context({"countries": "TUN,LBY", "types": "government,local_ngo"})
    other = partners_context({"types": "local_ngo,government", "countries": "LBY,TUN,LBY"})
    assert partners_link(one.values, "en") == partners_link(other.values, "en")


def test_language_links_keep_the_filters(page):
    tree = page.layout(countries="LBY", q="health", lang="en")
    hrefs = [n.href for n in walk(tree) if getattr(n, "href", None)]
    assert "/partners?countries=LBY&q=health&lang=fr" in hrefs


CHANGES = [
    ({ids.PARTNERS_COUNTRIES: ["TUN", "LBY"]}, "/partners?countries=LBY,TUN&lang=en"),
    ({ids.PARTNERS_COUNTRIES: ["LBY"]}, None),  # nothing changed: stay
    ({ids.PARTNERS_SEARCH: "  medecins  du "}, "/partners?countries=LBY&q=medecins+du&lang=en"),
    ({ids.PARTNERS_SEARCH: ""}, None),
    ({ids.PARTNERS_YEAR: "2022"}, "/partners?year=2022&countries=LBY&lang=en"),
    ({ids.PARTNERS_COUNTRIES: [], ids.PARTNERS_TYPES: ["donor"]}, "/partners?types=donor&lang=en"),
    (
        {ids.PARTNERS_SEARCH: "Médecins (MSF)!"},
        "/partners?countries=LBY&q=M%C3%A9decins+%28MSF%29%21&lang=en",
    ),
]


def test_url_after_a_control_changed(page):
    """What the browser writes (assets/compass_nav.js) from what the view ships:
    the same link as the server's partners_link."""
    nav = view_nav(page.layout(countries="LBY", lang="en"))
    assert browser_urls([(nav, changes) for changes, _ in CHANGES]) == [url for _, url in CHANGES]
    assert partners_link({"countries": ["LBY"], "q": "Médecins (MSF)!"}, "en") == CHANGES[-1][1]


def test_the_controls_write_the_url_in_the_browser(sqlite_context):
    (found,) = navigation_callbacks(sqlite_context, ids.PARTNERS_SEARCH)
    assert found["clientside_function"]["namespace"] == "compass_nav"
    inputs = {i["id"] for i in found["inputs"]}
    assert inputs == {
        ids.PARTNERS_COUNTRIES,
        ids.PARTNERS_TYPES,
        ids.PARTNERS_THEMES,
        ids.PARTNERS_YEAR,
        ids.PARTNERS_SEARCH,
    }
