"""The Overview's country figures (components.figures.country_indicator_bars) and
the panels it shares with the explorer (components.bar_panels), read as figure dicts."""

from __future__ import annotations

import importlib
import re

import plotly.graph_objects as go
import pytest

from components.bar_panels import LABEL_CHARS, TITLE_CHARS, bar_label, panel_bars
from components.explorer_points import figure_points
from components.figures import country_chart_notes, country_indicator_bars
from components.i18n import get_translator
from components.labels import UNITS
from components.theme import COUNTRY_COLOURS, place_colour
from data_access import explorer as explorer_data
from data_access import queries as q
from pages import ids
from tests.helpers import by_id, text_of


def _chart(year: int, lang: str) -> go.Figure:
    t = get_translator(lang)
    return country_indicator_bars(q.country_level_results(year, lang, breakdowns=False), lang, t, "Chart")


def _bars(fig: go.Figure) -> list:
    return [trace for trace in fig.data if trace.type == "bar"]


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_one_linear_panel_per_indicator_each_with_one_unit(sqlite_context):
    results = q.country_level_results(2022, "en", breakdowns=False)
    fig = _chart(2022, "en")
    layout = fig.to_plotly_json()["layout"]
    axes = [key for key in layout if key.startswith("xaxis")]
    assert axes and all(layout[key].get("type") in (None, "linear") for key in axes)
    bars = _bars(fig)
    drawn = {code for trace in bars for code, _place, _year in trace.customdata}
    assert len(bars) == len(drawn)  # one panel (one bar trace) per indicator
    units = dict(zip(results.indicator_code, results.unit, strict=True))
    titles = [a.text for a in fig.layout.annotations if a.name is None]
    for trace, title in zip(bars, titles, strict=True):
        codes = {code for code, _place, _year in trace.customdata}
        assert len(codes) == 1
        unit = units[codes.pop()]
        assert f"({UNITS[unit]})" in _plain(title.replace("<br>", " "))
        assert min(trace.x) >= 0


def test_programme_facts_are_not_drawn_as_a_country_result(sqlite_context):
    fig = _chart(2022, "en")
    drawn = {code for trace in _bars(fig) for code, _place, _year in trace.customdata}
    assert "partner_countries" not in drawn and "returnees_exposed_exploitation_pct" not in drawn
    assert "migrants_return_assistance" in drawn and "stakeholders_trained" in drawn
    notes = " ".join(
        country_chart_notes(q.country_level_results(2022, "en", breakdowns=False), get_translator("en"))
    )
    assert "Partner countries" in notes  # said, not silently dropped


def test_countries_keep_their_colour_in_every_language(sqlite_context):
    def colours(lang: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for trace in _bars(_chart(2022, lang)):
            for (_code, place, _year), colour in zip(trace.customdata, trace.marker.color, strict=True):
                found.setdefault(place, set()).add(colour)
        return found

    english, french = colours("en"), colours("fr")
    assert english == french
    assert all(len(c) == 1 for c in english.values())
    assert {place: c.pop() for place, c in english.items()} == {p: place_colour(p) for p in english}
    assert len(set(COUNTRY_COLOURS.values())) == len(COUNTRY_COLOURS)  # 14 distinct colours


def test_bounds_are_hatched_and_spans_labelled_cumulative(sqlite_context):
    fig = _chart(2022, "en")
    labels = {(a.yref, a.y): _plain(a.text) for a in fig.layout.annotations if a.name == "bar-label"}
    for trace in _bars(fig):
        for text, shape, opacity, name in zip(
            trace.text, trace.marker.pattern.shape, trace.marker.opacity, trace.y, strict=True
        ):
            exact = not text.startswith(("more than", "about", "up to"))
            assert (shape == "") == exact, text
            cumulative = "cumulative" in labels[(trace.yaxis, name)]
            assert (opacity < 1) == cumulative
    stakeholders = [v for v in labels.values() if v.startswith("Nigeria · 2021–2022, cumulative")]
    assert stakeholders  # the span is written and named
    assert "Mali – 149" in labels.values()  # a yearly figure of the chart's year: no year repeated


def test_labels_and_titles_are_wrapped_to_fit_a_phone(sqlite_context):
    fig = _chart(2022, "fr")
    for annotation in fig.layout.annotations:
        limit = LABEL_CHARS if annotation.name == "bar-label" else TITLE_CHARS
        for line in annotation.text.split("<br>"):
            assert len(_plain(line)) <= limit + len(" · non additionnable"), line
    text, lines = bar_label("Nigéria · 2021–2022, cumulatif", "1\u202f013 / environ 1\u202f000")
    assert lines == 2 and text.endswith("<b>1\u202f013 / environ 1\u202f000</b>")


def _ranges_by_unit(fig: go.Figure, units: dict[str, str]) -> dict[str, list]:
    layout = fig.to_plotly_json()["layout"]
    found: dict[str, list] = {}
    for trace in _bars(fig):
        axis = "xaxis" + trace.xaxis.removeprefix("x")
        found.setdefault(units[trace.customdata[0][0]], []).append(layout[axis].get("range"))
    return found


def test_a_common_scale_shares_the_range_of_panels_of_one_unit(sqlite_context):
    t = get_translator("en")
    codes = ("stakeholders_trained", "scout_leaders_trained", "satisfaction_rate_pct")
    points = figure_points(explorer_data.explorer_results(codes, (), (), None, "en"), "en", t)
    units = dict(zip(points.indicator_code, points.unit, strict=True))
    own = _ranges_by_unit(panel_bars(points, "en", t, "x"), units)
    common = _ranges_by_unit(panel_bars(points, "en", t, "x", common_scale=True), units)
    assert own["people"] == [None, None]  # each panel its own scale
    people_top = points[points.unit == "people"].value.max()
    assert common["people"][0] == common["people"][1] and common["people"][0][1] >= people_top
    assert own["percent"] == common["percent"] == [[0, pytest.approx(105)]]  # a share runs to 100


def test_overview_chart_and_its_notes(sqlite_context):
    overview = importlib.import_module("pages.overview")
    tree = overview.layout(year="2022", lang="fr")
    notes = text_of(by_id(tree, overview.COUNTRY_CHART_NOTES))
    assert "hachur" in notes.lower() and "cumul" in notes.lower()
    assert by_id(tree, ids.COUNTRY_CHART).figure is not None
