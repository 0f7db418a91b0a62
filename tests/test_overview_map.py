"""The Overview map's select: its choice lives in the URL (`map`), written in
the browser (assets/compass_nav.js) from what the rendered view ships."""

from __future__ import annotations

import importlib

from pages import ids
from tests.helpers import browser_urls, by_id, view_nav

MAP = ids.OVERVIEW_MAP_INDICATOR


def overview(**query):
    return importlib.import_module("pages.overview").layout(**query)


def test_choosing_an_indicator_writes_the_url(sqlite_context):
    chosen_year = view_nav(overview(year="2022", lang="fr"))
    chosen_map = view_nav(overview(year="2022", map="stakeholders_trained", lang="fr"))
    no_year = view_nav(overview(lang="fr"))
    shown = by_id(overview(year="2022", lang="fr"), MAP).value
    assert browser_urls(
        [
            (chosen_year, {MAP: "stakeholders_trained"}),
            (chosen_map, {MAP: "migrants_return_assistance"}),
            (chosen_map, {MAP: "stakeholders_trained"}),  # as shown: stay
            (chosen_year, {MAP: shown}),  # the default, as shown: stay
            (no_year, {MAP: "stakeholders_trained"}),  # a page without a year: links carry none
        ]
    ) == [
        "/?year=2022&map=stakeholders_trained&lang=fr",
        "/?year=2022&map=migrants_return_assistance&lang=fr",
        None,
        None,
        "/?map=stakeholders_trained&lang=fr",
    ]


def test_a_forged_choice_leads_to_a_notice_not_an_error(sqlite_context):
    (url,) = browser_urls([(view_nav(overview(year="2022")), {MAP: "not_an_indicator"})])
    assert url == "/?year=2022&map=not_an_indicator&lang=en"
    view = importlib.import_module("pages.overview").view_context({"year": "2022", "map": "not_an_indicator"})
    assert [n.code for n in view.view.notices] == ["unknown_value"]
