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

import functools
from collections.abc import Callable, Sequence
from html import escape

import pandas as pd

from components.data_text import foreign_attributes
from components.formatting import format_figure, period_label
from components.html_block import HtmlBlock, markup, text_html
from components.i18n import Translator
from components.labels import UNITS, label
from components.sources import source_html
from components.theme import PALETTE
from model.figures import is_cumulative
from model.suppression import FEWER_THAN

SLOT = 44  # width of one year's slot in the SVG's own units
BAR = 26
PLOT = 56  # height of the tallest bar
TOP, BOTTOM = 6, 18  # room above the bars, and below them for the years
HATCH = "history-hatch"
OPEN_UP_TO = 3  # figures listed open under a panel; more are folded
LISTED_UP_TO = 12  # figures written out per panel, latest first; the rest are one link away
LABEL_EVERY_UP_TO = 6  # years labelled one by one; beyond, every other year
COLOUR = PALETTE[0]


def results_over_time(
    frame: pd.DataFrame,
    years: Sequence[int],
    lang: str,
    t: Translator,
    element_id: str,
    all_figures_href: Callable[[str], str] | None = None,
) -> HtmlBlock | None:
    """The panels of every indicator in `frame` (a country's totals of every
    year, `queries.country_history`) across `years`; None when it is empty.

    A panel writes out its LISTED_UP_TO latest figures; beyond (monthly series:
    a hundred figures per indicator), it says how many more there are and links
    to them (`all_figures_href(indicator_code)`, the explorer), so a page stays
    light to send and to read.

    Grouped over plain rows (one pass of itertuples): per-group pandas calls
    cost more than the whole HTML on a country with hundreds of figures."""
    if frame.empty or not years:
        return None
    groups: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        groups.setdefault(row.indicator_code, []).append(row)
    sources: dict[tuple, str] = {}
    panels = [_panel(rows, years, lang, t, sources, all_figures_href) for rows in groups.values()]
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


def _panel(
    rows: list,
    years: Sequence[int],
    lang: str,
    t: Translator,
    sources: dict[tuple, str],
    all_figures_href: Callable[[str], str] | None,
) -> str:
    first = rows[0]
    # The name marked where it is not in the page's language (no Arabic name yet), the unit not.
    name_marks = foreign_attributes(first.indicator_name_lang, lang)
    name = (
        markup("span", name_marks, text_html(first.indicator_name))
        if name_marks
        else text_html(first.indicator_name)
    )
    title = f"{name} ({text_html(label(UNITS, first.unit, t))})"
    annual = [r for r in rows if not is_cumulative(r.period_start, r.period_end)]
    chart = _chart(annual, years, first.unit, lang, t) if annual else ""
    # Latest period first; within a period, the order of country_history (sources).
    ordered = sorted(rows, key=lambda r: (r.period_end, r.period_start), reverse=True)
    listed = ordered[:LISTED_UP_TO]
    keys = [_source_key(row) for row in listed]
    # A run of figures from one source cites it once, after the run (a yearly
    # series from one report would repeat the same citation ten times).
    items = "".join(
        _item(row, lang, t, sources, cite=i == len(listed) - 1 or keys[i + 1] != keys[i])
        for i, row in enumerate(listed)
    )
    figures = markup("ul", {"className": "history-figures list-unstyled small mb-0"}, items)
    if len(ordered) > LISTED_UP_TO:
        more = t.plural("{count} earlier figure", "{count} earlier figures", len(ordered) - LISTED_UP_TO)
        more = more.format(count=len(ordered) - LISTED_UP_TO)
        if all_figures_href is not None:
            more = markup("a", {"href": all_figures_href(first.indicator_code)}, text_html(more))
        else:
            more = text_html(more)
        figures += markup("p", {"className": "small mb-0 history-more"}, more)
    summary = markup("summary", {}, text_html(t("Figures and sources ({count})").format(count=len(rows))))
    # Open when short; a long history (many years and sources) folds, so a
    # country with dozens of indicators stays light to lay out on a phone.
    attributes = {"className": "history-list", "open": len(rows) <= OPEN_UP_TO}
    return markup(
        "section",
        {"className": "history-panel", "data-indicator": first.indicator_code},
        markup("h3", {"className": "h6 mb-1", "title": first.definition or None}, title)
        + chart
        + markup("details", attributes, summary + figures),
    )


def _source_key(row) -> tuple:
    return (
        row.source_title,
        row.source_url,
        row.source_quote,
        row.source_note,
        row.source_language,
        row.source_note_lang,
        row.source_title_lang,
    )


def _item(row, lang: str, t: Callable[[str], str], sources: dict[tuple, str], cite: bool = True) -> str:
    """One figure: its period, the figure with its qualifier, and (`cite`) its
    source (each distinct source's HTML built once per call, kept in `sources`)."""
    period = period_label(row.period_start, row.period_end, lang, t)
    figure = format_figure(row.value, row.qualifier, row.unit, lang)
    source = ""
    if cite:
        key = _source_key(row)
        if key not in sources:
            sources[key] = source_html(
                *key[:4],
                t,
                quote_lang=row.source_language,
                note_lang=row.source_note_lang,
                title_lang=row.source_title_lang,
                page_lang=lang,
            )
        source = f'<div class="source">{sources[key]}</div>'
    return (
        f'<li data-year="{int(row.year)}"><span class="history-period">{text_html(period)}</span> '
        f"<strong>{text_html(figure)}</strong>{source}</li>"
    )


def _chart(annual: list, years: Sequence[int], unit: str, lang: str, t: Translator) -> str:
    """Bars per year (the highest figure stated for it), hatched when not exact.

    Written with f-strings: only numbers and the escaped tooltip go in, and a
    country with dozens of indicators draws hundreds of marks."""
    by_year: dict[int, tuple[float, str]] = {}
    for row in annual:
        if row.year not in by_year or row.value > by_year[row.year][0]:
            by_year[row.year] = (float(row.value), row.qualifier)
    # A suppressed small count (model/suppression.py) is not drawn to scale: a flat
    # hatched mark on the baseline, its tooltip "fewer than 10".
    top = max((value for value, q in by_year.values() if q != FEWER_THAN), default=0.0) or 1.0
    width, base = SLOT * len(years), TOP + PLOT
    marks = [_axis(tuple(years))]
    for i, year in enumerate(years):
        centre = i * SLOT + SLOT / 2
        if year not in by_year:
            marks.append(
                f'<text x="{centre:g}" y="{base - 4}" text-anchor="middle" class="history-gap">\u2013</text>'
            )
            continue
        value, qualifier = by_year[year]
        bar = 1.5 if qualifier == FEWER_THAN else max(PLOT * value / top, 1.5)
        box = f'x="{centre - BAR / 2:g}" y="{base - bar:.1f}" width="{BAR}" height="{bar:.1f}"'
        figure = format_figure(value, qualifier, unit, lang)
        tip = text_html(t("{period}: {figure}").format(period=year, figure=figure))
        marks.append(f'<rect {box} fill="{COLOUR}"><title>{tip}</title></rect>')
        if qualifier != "exact":
            marks.append(f'<rect {box} fill="url(#{HATCH})" data-qualifier="{escape(qualifier)}"></rect>')
    return (
        f'<svg viewBox="0 0 {width} {base + BOTTOM}" class="history-chart" aria-hidden="true" '
        f'focusable="false" style="max-width:{width * 1.6:.0f}px">{"".join(marks)}</svg>'
    )


@functools.lru_cache(maxsize=16)
def _axis(years: tuple[int, ...]) -> str:
    """The baseline and the year labels, the same in every panel: every year up
    to LABEL_EVERY_UP_TO of them, else every other one (the latest always)."""
    width, base, height = SLOT * len(years), TOP + PLOT, TOP + PLOT + BOTTOM
    labels = [
        f'<text x="{i * SLOT + SLOT / 2:g}" y="{height - 4}" text-anchor="middle">{year}</text>'
        for i, year in enumerate(years)
        if len(years) <= LABEL_EVERY_UP_TO or (len(years) - 1 - i) % 2 == 0
    ]
    return f'<line x1="0" x2="{width}" y1="{base}" y2="{base}" class="history-axis"></line>' + "".join(labels)
