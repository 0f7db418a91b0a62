"""What a rendered view ships for its controls and for Copy link (pages/share.py):
pure functions, and the layouts that use them."""

from __future__ import annotations

import importlib
import json

from pages import ids
from pages.share import control_text, key_control, nav_state, pinned_link, share_target, shell_controls
from tests.helpers import browser_url, by_id


def test_control_text_is_what_the_browser_compares():
    assert control_text(["NGA", "LBY", "LBY", "", None]) == "LBY,NGA"
    assert control_text(("b",)) == "b"
    assert control_text("  medecins   du  monde ") == "medecins du monde"
    assert control_text(None) == "" and control_text(2022) == "2022"


def test_nav_state_orders_the_query_as_links_do():
    nav = nav_state("/indicators", None, "fr", {"indicators": ["b", "a"], "countries": [], "chart": None}, {})
    assert nav["query"] == [["indicators", "a,b"], ["lang", "fr"]]
    assert nav["order"] == ["year", "indicators", "countries", "chart", "lang"]


def test_the_year_select_keeps_the_view_and_the_country_select_opens_a_country():
    controls = shell_controls(ids.YEAR_SELECT, ids.COUNTRY_SELECT, 2022, "LBY", ["EGY", "LBY"], 2022, "fr")
    nav = nav_state("/countries/LBY", 2022, "fr", {}, controls)
    assert browser_url(nav, {ids.YEAR_SELECT: "2023"}) == "/countries/LBY?year=2023&lang=fr"
    assert browser_url(nav, {ids.YEAR_SELECT: "2022"}) is None  # as shown: stay
    assert browser_url(nav, {ids.COUNTRY_SELECT: "EGY"}) == "/countries/EGY?year=2022&lang=fr"
    assert browser_url(nav, {ids.COUNTRY_SELECT: ""}) is None
    assert browser_url(nav, {ids.COUNTRY_SELECT: "XXX"}) is None  # no such option: stay


def test_links_from_a_view_without_a_year_carry_none():
    controls = shell_controls(ids.YEAR_SELECT, ids.COUNTRY_SELECT, 2024, None, ["TCD"], None, "en")
    nav = nav_state("/", None, "en", {}, controls)
    assert browser_url(nav, {ids.COUNTRY_SELECT: "TCD"}) == "/countries/TCD?lang=en"
    assert browser_url(nav, {ids.YEAR_SELECT: "2024"}) is None  # the default year, shown
    assert browser_url(nav, {ids.YEAR_SELECT: "2023"}) == "/?year=2023&lang=en"


def test_a_value_no_control_sends_reaches_the_router_which_says_so(sqlite_context):
    controls = shell_controls(ids.YEAR_SELECT, ids.COUNTRY_SELECT, 2022, None, [], 2022, "en")
    url = browser_url(nav_state("/", 2022, "en", {}, controls), {ids.YEAR_SELECT: "²⁰²²"})
    assert url == "/?year=%C2%B2%E2%81%B0%C2%B2%C2%B2&lang=en"
    view = importlib.import_module("pages.overview").view_context({"year": "²⁰²²", "lang": "en"})
    assert [n.code for n in view.view.notices] == ["bad_year"]


def test_the_pinned_link_writes_the_year_out():
    assert pinned_link("overview", None, 2024, "en", {"map": "stakeholders_trained"}) == (
        "/?year=2024&map=stakeholders_trained&lang=en"
    )
    assert pinned_link("country", "lby", 2022, "fr", {}) == "/countries/LBY?year=2022&lang=fr"
    assert (
        pinned_link("indicators", None, None, "en", {"chart": "lines"}) == "/indicators?chart=lines&lang=en"
    )


def test_the_share_target_names_junk_keys_without_their_values():
    target = share_target(
        "/?year=2022&lang=en", "/", {"year": "2022", "fbclid": "abc", "tag": ["a", "b"]}, []
    )
    assert target.asked == {"year": "2022", "fbclid": None, "tag": None}
    kept = share_target("/x", "/x", {"countries": ["LBY", ""]}, ["countries"])
    assert kept.asked == {"countries": ["LBY", ""]}  # as Dash hands a repeated key to the layout
    assert key_control("q", "  a  b ", text=True) == {"key": "q", "shown": "a b", "text": True}


def copy_button(tree):
    button = by_id(tree, ids.COPY_LINK)
    return {k: getattr(button, k) for k in ("data-pinned", "data-path", "data-asked")}


def test_each_page_ships_its_pinned_link(sqlite_context):
    overview = importlib.import_module("pages.overview").layout
    country = importlib.import_module("pages.country").layout
    shown = copy_button(overview(lang="fr"))
    year = by_id(overview(lang="fr"), ids.YEAR_SELECT).value
    map_code = by_id(overview(lang="fr"), ids.OVERVIEW_MAP_INDICATOR).value
    assert shown == {
        "data-pinned": f"/?year={year}&map={map_code}&lang=fr",  # the defaults a newer figure may move
        "data-path": "/",
        "data-asked": json.dumps({"lang": "fr"}),
    }
    eth = copy_button(country(iso3="eth", fbclid="x"))
    assert eth["data-pinned"].startswith("/countries/ETH?year=") and eth["data-path"] == "/countries/ETH"
    assert json.loads(eth["data-asked"]) == {"fbclid": None}
    lost = copy_button(country(iso3="XYZ"))
    assert lost["data-pinned"] == "" and lost["data-path"] == ""  # not found: the address as it is
