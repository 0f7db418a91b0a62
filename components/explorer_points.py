"""The explorer's points: what a chart draws for one indicator, place, period
and breakdown, built from the one-row-per-source results frame. Never a sum:
the mark sits at the highest figure a source states, and its label and hover
text list every distinct figure with its qualifier and source.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import pandas as pd

from components.formatting import format_figure, format_percent_of, format_period, format_value
from components.tables import breakdown_label
from components.theme import place_colour
from model.figures import document_of, sources_differ
from model.places import PROGRAMME
from model.suppression import FEWER_THAN

SOURCE_CHARS = 70  # a source title is cut in hover text beyond this


_POINT_KEY = ["indicator_code", "place", "period_start", "period_end", "breakdown_dim", "breakdown_value"]


def short_text(text: str | None, limit: int = SOURCE_CHARS) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def place_name(scope: str, country_name: str | None, iso3: str | None, t: Callable[[str], str]) -> str:
    """A country's name, or "Programme-wide" for a figure of the whole programme."""
    if scope == "programme":
        return t("Programme-wide")
    return country_name or iso3 or ""


def figure_points(frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> pd.DataFrame:
    """One row per indicator, place, period and breakdown, never a sum.

    `value` is the highest figure any source states (where the mark is drawn);
    `label` lists every distinct figure with its qualifier ("1,013 / about 1,000");
    `figures` holds (figure, source title) for each source; `target` is the
    highest target stated and `target_label` every distinct one.
    """
    columns = [
        "indicator_code",
        "indicator_name",
        "unit",
        "summable",
        "place",
        "place_name",
        "period_start",
        "period_end",
        "year",
        "span",
        "breakdown_dim",
        "breakdown_value",
        "breakdown",
        "value",
        "qualifier",
        "label",
        "figures",
        "target",
        "target_label",
        "differ",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(
        place=[
            PROGRAMME if scope == "programme" else iso3
            for scope, iso3 in zip(frame.scope, frame.country_iso3, strict=True)
        ],
        figure=[
            format_figure(v, q, u, lang)
            for v, q, u in zip(frame.value, frame.qualifier, frame.unit, strict=True)
        ],
    )
    rows = []
    for _key, group in frame.groupby(_POINT_KEY, sort=False):
        first = group.iloc[0]
        highest = group.loc[group.value.idxmax()]
        targets = group.target.dropna()
        rows.append(
            {
                "indicator_code": first.indicator_code,
                "indicator_name": first.indicator_name,
                "unit": first.unit,
                "summable": bool(first.summable),
                "place": first.place,
                "place_name": place_name(first.scope, first.country_name, first.country_iso3, t),
                "period_start": first.period_start,
                "period_end": first.period_end,
                "year": int(first.period_end.year),
                "span": first.period_start.year != first.period_end.year,
                "breakdown_dim": first.breakdown_dim,
                "breakdown_value": first.breakdown_value,
                "breakdown": breakdown_label(first, t) if first.breakdown_dim else "",
                # A suppressed small count is not drawn (no bar, a gap in a line, no
                # colour): its label says "fewer than 10" (model/suppression.py).
                "value": float("nan") if highest.qualifier == FEWER_THAN else float(highest.value),
                "qualifier": highest.qualifier,
                "label": " / ".join(dict.fromkeys(group.figure)),
                "figures": list(zip(group.figure, group.source_title, strict=True)),
                "target": float(targets.max()) if not targets.empty else None,
                "target_label": " / ".join(dict.fromkeys(format_value(x, first.unit, lang) for x in targets)),
                # The pages' rule (model.figures): not one article's figure and its rounding.
                "differ": sources_differ(
                    (r.value, r.qualifier, document_of(getattr(r, "source_url", None), r.source_title))
                    for r in group.itertuples()
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def place_colours(points: pd.DataFrame) -> dict[str, str]:
    """Each place's fixed colour (components.theme.place_colour): the same in every
    panel, view and language, whichever places are chosen."""
    return {place: place_colour(place) for place in dict.fromkeys(points.place)}


def mark_name(point, with_year: bool = True) -> str:
    parts = [point.place_name]
    if with_year:
        parts.append(format_period(point.period_start, point.period_end))
    if point.breakdown:
        parts.append(point.breakdown)
    return " \u00b7 ".join(parts)


def hover_text(point, lang: str, t: Callable[[str], str], extra: str | None = None) -> str:
    """Indicator, place and period, each source's figure, the target; HTML-escaped."""
    lines = [f"<b>{escape(point.indicator_name)}</b>", escape(mark_name(point))]
    lines += [f"{escape(figure)} \u2013 {escape(short_text(source))}" for figure, source in point.figures]
    if point.differ:
        lines.append(escape(t("Sources differ: each figure is shown, none is added up.")))
    if pd.notna(point.target):
        share = format_percent_of(point.value, point.target, point.qualifier, lang)
        text = t("Target: {target}").format(target=point.target_label)
        if share:
            text += " \u00b7 " + t("{share} of the target").format(share=share)
        lines.append(escape(text))
    if extra:
        lines.append(escape(extra))
    return "<br>".join(lines)
