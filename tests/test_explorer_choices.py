"""The explorer's choices (issue "charts that can be read"): indicators grouped by
theme with their number of figures, choices sent at once, a notice for every
chosen combination without a figure, and one scale for panels of one unit."""

from __future__ import annotations

import importlib

import plotly.graph_objects as go

from components.explorer_controls import GROUP_PREFIX, indicator_options
from components.explorer_missing import missing_combinations, missing_sentences
from components.i18n import get_translator
from data_access import catalog
from data_access import explorer as data
from pages import ids
from tests.helpers import by_id, text_of

TRAINED = "stakeholders_trained"
SCOUTS = "scout_leaders_trained"


def layout(**query):
    return importlib.import_module("pages.indicators").layout(**query)


def test_indicators_come_grouped_by_theme_with_their_number_of_figures(sqlite_context):
    t = get_translator("fr")
    indicators = catalog.indicator_definitions("fr")
    options = indicator_options(indicators, t, "fr")
    headings = [o for o in options if o["value"].startswith(GROUP_PREFIX)]
    choices = [o for o in options if not o["value"].startswith(GROUP_PREFIX)]
    assert all(o.get("disabled") for o in headings) and not any(o.get("disabled") for o in choices)
    assert sorted(o["value"] for o in choices) == sorted(indicators.code)  # each indicator once
    assert {h["value"].removeprefix(GROUP_PREFIX) for h in headings} == set(indicators.theme)
    # Every indicator sits under its own theme's heading.
    theme = None
    themes = dict(zip(indicators.code, indicators.theme, strict=True))
    counts = dict(zip(indicators.code, indicators.results, strict=True))
    for option in options:
        if option["value"].startswith(GROUP_PREFIX):
            theme = option["value"].removeprefix(GROUP_PREFIX)
            continue
        assert themes[option["value"]] == theme
        count = text_of(option["label"].children[-1])
        assert count.split()[0] == str(counts[option["value"]]) and "chiffre" in count
    assert text_of(headings[0]["label"])  # a named heading, in French
    page = layout(lang="fr", indicators=f"{TRAINED},{SCOUTS}")
    chosen = text_of(by_id(page, f"{ids.EXPLORER_INDICATORS}-chosen"))
    assert chosen == "Choisis\u00a0: Parties prenantes formées, Responsables scouts formés"  # seen at once
    assert [o["value"] for o in by_id(page, ids.EXPLORER_INDICATORS).options] == [o["value"] for o in options]


def test_every_chosen_combination_without_a_figure_is_said(sqlite_context):
    frame = data.explorer_results((TRAINED, SCOUTS), ("EGY", "LBY", "NGA", "TUN"), (2022, 2024), None, "en")
    missing = missing_combinations(frame, (TRAINED, SCOUTS), ("EGY", "LBY", "NGA", "TUN"), (2022, 2024))
    # Nigeria's 2021-2022 stakeholders and Egypt's 2022 scout leaders are the only figures.
    assert missing == [
        (TRAINED, ("EGY", "LBY", "TUN"), 2022),
        (TRAINED, ("EGY", "LBY", "NGA", "TUN"), 2024),
        (SCOUTS, ("LBY", "NGA", "TUN"), 2022),
        (SCOUTS, ("EGY", "LBY", "NGA", "TUN"), 2024),
    ]
    names = {TRAINED: "Stakeholders trained", SCOUTS: "Scout leaders trained"}
    places = {"EGY": "Egypt", "LBY": "Libya", "NGA": "Nigeria", "TUN": "Tunisia"}
    sentences = missing_sentences(missing, names, places, get_translator("en"))
    assert sentences[0] == "Nothing published for Egypt, Libya, Tunisia for Stakeholders trained in 2022."
    # Nothing chosen for places or years: only an indicator with nothing at all is said.
    assert missing_combinations(frame, (TRAINED,), (), ()) == []
    assert missing_combinations(frame.iloc[0:0], (TRAINED,), (), ()) == [(TRAINED, (), None)]
    assert missing_sentences([(TRAINED, (), None)], names, places, get_translator("en")) == [
        "Nothing published for Stakeholders trained."
    ]


def test_the_page_shows_the_notice_in_french(sqlite_context):
    tree = layout(indicators=TRAINED, countries="EGY,LBY,TUN,NGA", years="2022", lang="fr")
    notice = text_of(by_id(tree, ids.EXPLORER_MISSING))
    assert "Égypte, Libye, Tunisie" in notice and "Parties prenantes formées" in notice and "2022" in notice
    assert "Nigéria" not in notice  # it has a figure
    assert by_id(layout(indicators=TRAINED, lang="fr"), ids.EXPLORER_MISSING) is None


def test_one_scale_for_panels_of_one_unit_is_kept_in_the_url(sqlite_context):
    def ranges(tree) -> list:
        layout_json = go.Figure(by_id(tree, ids.EXPLORER_GRAPH).figure).to_plotly_json()["layout"]
        return [layout_json[k].get("range") for k in sorted(layout_json) if k.startswith("xaxis")]

    own = ranges(layout(indicators=f"{TRAINED},{SCOUTS}", lang="en"))
    tree = layout(indicators=f"{TRAINED},{SCOUTS}", scale="common", lang="en")
    common = ranges(tree)
    assert own == [None, None]
    assert common[0] == common[1] and common[0][0] == 0
    assert by_id(tree, ids.EXPLORER_SCALE).value == ["common"]
    links = {getattr(n, "href", None) for n in importlib.import_module("tests.helpers").walk(tree)}
    assert any(link and "scale=common" in link and "lang=fr" in link for link in links)  # kept in FR
