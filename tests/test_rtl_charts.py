"""Charts right to left in Arabic (components.theme.reading_direction): titles,
panel titles and bar labels start at the right, horizontal bars grow from the
right, years still run left to right, every text is isolated right to left; the
English and French figures are left as they were. And the server-drawn map's
tooltips in Arabic (components/svg_map.py)."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.figures import (
    country_chart_notes,
    country_indicator_bars,
    coverage_map,
    empty_figure,
    results_map,
)
from components.formatting import format_number
from components.i18n import get_translator
from components.result_map import indicator_countries
from components.svg_map import MapCountry, results_map_figure, svg_map
from components.theme import PDI, RLI, reading_direction, rtl_text, separators
from data_access import queries as q
from tests.helpers import parse_html
from web.export_registry import explorer_figure

INDICATORS = ["migrants_return_assistance", "stakeholders_trained"]
ARABIC = re.compile("[\u0600-\u06ff]")


def _bars(lang: str) -> go.Figure:
    results = q.country_level_results(2024, lang, breakdowns=False)
    return country_indicator_bars(results, lang, get_translator(lang), "title")


def _explorer(chart: str, lang: str) -> go.Figure:
    return explorer_figure({"indicators": INDICATORS, "chart": chart}, lang, get_translator(lang))


def _lines_of(text: str) -> list[str]:
    return [line for line in text.split("<br>") if line]


def _isolated(text: str) -> bool:
    """Every line of a plotly text is isolated right to left."""
    return all(line.startswith(RLI) and line.endswith(PDI) for line in _lines_of(text))


def test_rtl_text_isolates_each_line_and_leaves_empty_ones():
    assert rtl_text("ليبيا \u2013 <b>1,200</b>") == f"{RLI}ليبيا \u2013 <b>1,200</b>{PDI}"
    assert rtl_text("a<br><br>b") == f"{RLI}a{PDI}<br><br>{RLI}b{PDI}"
    assert rtl_text("") == ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_left_to_right_figures_are_left_as_they_were(sqlite_context, lang):
    for fig in (_bars(lang), _explorer("bars", lang), _explorer("lines", lang), _explorer("map", lang)):
        before = fig.to_json()
        assert reading_direction(fig, lang).to_json() == before
        assert RLI not in fig.to_json()
        assert fig.layout.title.x == 0 and fig.layout.title.xanchor == "left"
        assert all(axis.autorange != "reversed" and axis.side is None for axis in fig.select_xaxes())


def test_arabic_bars_grow_from_the_right_with_their_labels_there(sqlite_context):
    english, arabic = _bars("en"), _bars("ar")
    assert arabic.layout.title.x == 1 and arabic.layout.title.xanchor == "right"
    assert arabic.layout.hoverlabel.align == "right"
    assert (arabic.layout.margin.l, arabic.layout.margin.r) == (
        english.layout.margin.r,
        english.layout.margin.l,
    )
    assert arabic.layout.legend.x == 0 and arabic.layout.legend.xanchor == "left"  # clear of the title
    x_axes = list(arabic.select_xaxes())
    assert x_axes and all(
        axis.autorange == "reversed" or (axis.range is not None and axis.range[0] > axis.range[1])
        for axis in x_axes
    )
    assert all(axis.side == "right" for axis in arabic.select_yaxes())
    titles = [a for a in arabic.layout.annotations if a.xref == "paper"]
    labels = [a for a in arabic.layout.annotations if a.name == "bar-label"]
    assert titles and labels
    assert all(a.x == 1 and a.xanchor == "right" and a.align == "right" for a in titles)
    assert all(a.x == 0 and a.xanchor == "right" and a.align == "right" for a in labels)  # at the bar's root
    assert all(_isolated(a.text) for a in arabic.layout.annotations)
    for trace in arabic.data:
        assert all(_isolated(text) for text in trace.hovertext)
        assert trace.hovertemplate == "%{hovertext}<extra></extra>"  # the text isolates itself
    # The same bars, figures and colours as in English: only the layout differs.
    for mine, theirs in zip(arabic.data, english.data, strict=True):
        assert list(mine.x) == list(theirs.x) and list(mine.marker.color) == list(theirs.marker.color)


def test_arabic_explorer_bars_share_the_mirrored_panels(sqlite_context):
    fig = _explorer("bars", "ar")
    assert all(axis.autorange == "reversed" or axis.range[0] > axis.range[1] for axis in fig.select_xaxes())
    assert ARABIC.search(fig.layout.title.text) and _isolated(fig.layout.title.text)


def test_arabic_years_still_run_left_to_right(sqlite_context):
    fig = _explorer("lines", "ar")
    for axis in fig.select_xaxes():
        assert axis.autorange != "reversed" and axis.range is None
        assert list(axis.tickvals) == sorted(axis.tickvals)
    assert fig.layout.title.xanchor == "right"
    assert all(a.x == 1 and a.xanchor == "right" for a in fig.layout.annotations)  # panel titles
    # Below the plot, from the right; said explicitly ("auto" at x=1 takes room beside the plot).
    assert (fig.layout.legend.x, fig.layout.legend.xanchor) == (1, "right")
    assert all(a.align == "right" for a in fig.layout.annotations)  # a wrapped title's lines too
    assert all(_isolated(trace.name) for trace in fig.data)
    assert all(_isolated(axis.title.text) for axis in fig.select_yaxes())


def test_arabic_maps_isolate_their_hover_text_and_scale_title(sqlite_context):
    t = get_translator("ar")
    coverage = coverage_map(q.country_coverage(2024, "ar"), "ar", t, "title")
    grey, published = coverage.data
    assert grey.hovertemplate.startswith(RLI + "<b>%{text}</b>" + PDI + "<br>" + RLI)
    assert grey.hovertemplate.endswith(PDI + "<extra></extra>")
    assert ARABIC.search(grey.hovertemplate) and _isolated(published.colorbar.title.text)
    explorer_map = _explorer("map", "ar")
    assert all(_isolated(text) for trace in explorer_map.data for text in (trace.hovertext or []))
    countries = [MapCountry("LBY", "ليبيا", 12.0, "ليبيا\n12", "/c", "12")]
    exported = results_map(countries, "أشخاص", "ar", t, "خريطة")
    assert exported.data[0].hovertext == (f"{RLI}ليبيا{PDI}<br>{RLI}12{PDI}",)


def test_an_empty_arabic_figure_says_why_from_the_right():
    fig = empty_figure("ar", "لا أرقام")
    assert fig.layout.annotations[0].text == f"{RLI}لا أرقام{PDI}"
    assert json.loads(fig.to_json())["layout"]["title"]["xanchor"] == "right"


def test_the_arabic_map_has_arabic_tooltips_read_right_to_left():
    t = get_translator("ar")
    places = pd.DataFrame({"iso3": ["LBY", "TCD"], "name": ["ليبيا", "تشاد"]})
    countries = indicator_countries(_no_results(), None, places, 2022, "ar", t, lambda c: f"/countries/{c}")
    html = parse_html(results_map_figure(countries, "أشخاص", "ar", t, "خريطة", "m").html)
    (svg,) = html.find_all("svg")
    assert svg.attrs["direction"] == "rtl"
    titles = [title.text() for title in html.find_all("title")]
    assert titles == ["ليبيا\nغير منشور لعام 2022", "تشاد\nغير منشور لعام 2022"]
    english = parse_html(svg_map(countries, "en"))
    assert "direction" not in english.find_all("svg")[0].attrs


def _no_results() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["indicator_code", "breakdown_dim", "theme", "country_iso3", "period_start", "period_end"]
    )


def test_the_chart_notes_list_with_the_arabic_comma(sqlite_context):
    def left_out_note(lang: str) -> str:
        results = q.country_level_results(2022, lang, breakdowns=False)
        notes = country_chart_notes(results, get_translator(lang), lang)
        return notes[-1] if len(notes) > 1 else ""

    english, arabic = left_out_note("en"), left_out_note("ar")
    assert "Partner countries, " in english or ", Partner countries" in english  # two facts or more
    assert "\u060c " in arabic and ", " not in arabic.split(":", 1)[-1]


def test_arabic_chart_numbers_are_written_as_on_the_pages():
    assert separators("ar") == ".,"
    assert format_number(1234.5, "ar") == "1,234.5"  # the same decimal point and group comma
