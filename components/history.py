"""A country's results over time: one small panel per indicator, every year.

Plain HTML with a small server-drawn SVG per indicator (no Plotly: light on a
phone and drawn with the page). A bar is one year's figure, its height on a
linear scale from 0 within the panel (one unit per panel); a figure stated as
a bound or an estimate ("more than", "about") is hatched, as in the explorer;
a year with nothing published is an empty slot marked with a dash, never 0.
Figures over several years are not drawn beside the years (they are not
comparable); they are listed under the panel, labelled cumulative. Under each
panel every figure is written out with its qualifier, period and source. The
SVG repeats what the list says, so screen readers skip it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from components.formatting import format_figure, period_label
from components.html_block import HtmlBlock, markup, text_html
from components.i18n import Translator
from components.labels import UNITS, label
from components.sources import source_html
from components.theme import PALETTE
from model.figures import is_cumulative

SLOT = 44  # width of one year's slot in the SVG's own units
BAR = 26
PLOT = 56  # height of the tallest bar
TOP, BOTTOM = 6, 18  # room above the bars, and below them for the years
HATCH = "history-hatch"
OPEN_UP_TO = 3  # figures listed open under a panel; more are folded
LABEL_EVERY_UP_TO = 6  # years labelled one by one; beyond, every other year
COLOUR = PALETTE[0]


def results_over_time(
    frame: pd.DataFrame, years: Sequence[int], lang: str, t: Translator, element_id: str
) -> HtmlBlock | None:
    """The panels of every indicator in `frame` (a country's totals of every
    year, `queries.country_history`) across `years`; None when it is empty."""
    if frame.empty or not years:
        return None
    panels = [_panel(group, years, lang, t) for _, group in frame.groupby("indicator_code", sort=False)]
    return HtmlBlock(
        "div", {"className": "history-panels", "id": element_id}, _hatch_defs() + "".join(panels)
    )


def _hatch_defs() -> str:
    """The hatch pattern, defined once for every panel's SVG (ids are unique in a page)."""
    pattern = markup(
        "pattern",
        {
            "id": HATCH,
            "width": 6,
            "height": 6,
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
        markup("line", {"x1": 0, "y1": 0, "x2": 0, "y2": 6, "stroke": "white", "stroke-width": 2.5}),
    )
    return markup(
        "svg",
        {"width": 0, "height": 0, "class": "history-defs", "aria-hidden": "true"},
        markup("defs", {}, pattern),
    )


def _panel(group: pd.DataFrame, years: Sequence[int], lang: str, t: Translator) -> str:
    first = group.iloc[0]
    title = f"{first.indicator_name} ({label(UNITS, first.unit, t)})"
    spans = [is_cumulative(s, e) for s, e in zip(group.period_start, group.period_end, strict=True)]
    annual = group[[not s for s in spans]]
    chart = _chart(annual, years, first.unit, lang, t) if not annual.empty else ""
    items = "".join(_item(row, lang, t) for row in _in_order(group).itertuples(index=False))
    figures = markup("ul", {"className": "history-figures list-unstyled small mb-0"}, items)
    summary = markup("summary", {}, text_html(t("Figures and sources ({count})").format(count=len(group))))
    # Open when short; a long history (many years and sources) folds, so a
    # country with dozens of indicators stays light to lay out on a phone.
    attributes = {"className": "history-list", "open": len(group) <= OPEN_UP_TO}
    return markup(
        "section",
        {"className": "history-panel", "data-indicator": first.indicator_code},
        markup("h3", {"className": "h6 mb-1", "title": first.definition or None}, text_html(title))
        + chart
        + markup("details", attributes, summary + figures),
    )


def _in_order(group: pd.DataFrame) -> pd.DataFrame:
    """Latest period first; the country_history order within a period (sources)."""
    return group.sort_values(["period_end", "period_start"], ascending=False, kind="stable")


def _item(row, lang: str, t: Callable[[str], str]) -> str:
    period = period_label(row.period_start, row.period_end, lang, t)
    figure = format_figure(row.value, row.qualifier, row.unit, lang)
    source = source_html(
        row.source_title,
        row.source_url,
        row.source_quote,
        row.source_note,
        t,
        quote_lang=row.source_language,
        note_lang=row.source_note_lang,
    )
    head = (
        markup("span", {"className": "history-period"}, text_html(period))
        + " "
        + markup("strong", {}, text_html(figure))
    )
    return markup("li", {"data-year": str(row.year)}, head + markup("div", {"className": "source"}, source))


def _chart(annual: pd.DataFrame, years: Sequence[int], unit: str, lang: str, t: Translator) -> str:
    """Bars per year (the highest figure stated for it), hatched when not exact."""
    by_year: dict[int, tuple[float, str]] = {}
    for row in annual.itertuples(index=False):
        if row.year not in by_year or row.value > by_year[row.year][0]:
            by_year[row.year] = (float(row.value), row.qualifier)
    top = max(value for value, _ in by_year.values()) or 1.0
    width, height = SLOT * len(years), TOP + PLOT + BOTTOM
    base = TOP + PLOT
    marks = [markup("line", {"x1": 0, "x2": width, "y1": base, "y2": base, "class": "history-axis"})]
    for i, year in enumerate(years):
        centre = i * SLOT + SLOT / 2
        if len(years) <= LABEL_EVERY_UP_TO or (len(years) - 1 - i) % 2 == 0:  # always the latest
            marks.append(
                markup("text", {"x": centre, "y": height - 4, "text-anchor": "middle"}, text_html(str(year)))
            )
        if year not in by_year:
            marks.append(
                markup(
                    "text",
                    {"x": centre, "y": base - 4, "text-anchor": "middle", "class": "history-gap"},
                    "\u2013",
                )
            )
            continue
        value, qualifier = by_year[year]
        bar = max(PLOT * value / top, 1.5)
        attributes = {"x": centre - BAR / 2, "y": base - bar, "width": BAR, "height": bar, "fill": COLOUR}
        figure = format_figure(value, qualifier, unit, lang)
        tip = markup("title", {}, text_html(t("{period}: {figure}").format(period=year, figure=figure)))
        marks.append(markup("rect", attributes, tip))
        if qualifier != "exact":
            hatched = {**attributes, "fill": f"url(#{HATCH})", "data-qualifier": qualifier}
            marks.append(markup("rect", hatched))
    return markup(
        "svg",
        {
            "viewBox": f"0 0 {width} {height}",
            "class": "history-chart",
            "aria-hidden": "true",
            "focusable": "false",
            "style": f"max-width:{width * 1.6:.0f}px",
        },
        "".join(marks),
    )
