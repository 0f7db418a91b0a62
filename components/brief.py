"""The content of a country brief, shared by the PDF and the PowerPoint writers.

Pure: query frames and a rendered chart in, a `Brief` out. The figures are
grouped as the country page's cards group them (one per indicator and period,
every distinct figure with its qualifier written out, the number of sources),
so a brief never says something the page does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from components.export_figures import ExportFrame
from components.formatting import format_figure, format_period
from components.labels import PARTNER_TYPES, THEMES, label
from model.figures import document_of, sources_differ

SHORT_TEXT = 240  # characters of an activity description or a quote in a brief


@dataclass(frozen=True)
class BriefKpi:
    """One indicator and period: every distinct figure published, and how many sources."""

    indicator: str
    figures: tuple[str, ...]  # "more than 7,000"; several when the sources differ
    period: str  # "2022" or "2021–2022"
    sources: int
    differ: bool = False  # the sources differ (model.figures.sources_differ), not just their wording


@dataclass(frozen=True)
class BriefSource:
    """A source the brief cites, once per document."""

    title: str
    url: str | None
    cited: int  # figures and activities citing it


@dataclass(frozen=True)
class Brief:
    """Everything a country brief shows, already in the reader's language."""

    lang: str
    iso3: str
    country: str
    region: str
    year: int
    frame: ExportFrame  # title, filters, source caption, export date
    kpis: tuple[BriefKpi, ...] = ()
    chart_png: bytes | None = None
    chart_px: tuple[int, int] = (0, 0)  # the chart's size in layout pixels
    partners: tuple[tuple[str, str], ...] = ()  # (name, type)
    activities: tuple[tuple[str, str, str], ...] = ()  # (theme, description, partners)
    sources: tuple[BriefSource, ...] = ()
    arabic_name: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.kpis or self.activities or self.partners)


def shorten(text: str | None, limit: int = SHORT_TEXT) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "\u2026"


def brief_kpis(results: pd.DataFrame, lang: str) -> tuple[BriefKpi, ...]:
    """One entry per indicator and period of the totals (as `components.kpi.figure_cards`)."""
    totals = results[results.breakdown_dim == ""]
    kpis = []
    for _, group in totals.groupby(["indicator_code", "period_start", "period_end"], sort=False):
        first = group.iloc[0]
        values = dict.fromkeys(zip(group.value, group.qualifier, strict=True))
        kpis.append(
            BriefKpi(
                indicator=first.indicator_name,
                figures=tuple(format_figure(v, q, first.unit, lang) for v, q in values),
                period=format_period(first.period_start, first.period_end),
                sources=len(group),
                differ=sources_differ(
                    (r.value, r.qualifier, document_of(r.source_url, r.source_title))
                    for r in group.itertuples()
                ),
            )
        )
    return tuple(kpis)


def brief_sources(*frames: pd.DataFrame) -> tuple[BriefSource, ...]:
    """Every source document cited by the frames (title, URL), in first-cited order."""
    counts: dict[tuple[str, str | None], int] = {}
    for frame in frames:
        if frame.empty:
            continue
        for title, url in zip(frame.source_title, frame.source_url, strict=True):
            key = (title, url if isinstance(url, str) and url.strip() else None)
            counts[key] = counts.get(key, 0) + 1
    return tuple(BriefSource(title, url, n) for (title, url), n in counts.items())


def build_brief(
    *,
    iso3: str,
    country: str,
    region: str,
    year: int,
    lang: str,
    t: Callable[[str], str],
    frame: ExportFrame,
    results: pd.DataFrame,
    partners: pd.DataFrame,
    activities: pd.DataFrame,
    chart_png: bytes | None = None,
    chart_px: tuple[int, int] = (0, 0),
    arabic_name: str | None = None,
) -> Brief:
    """Assemble a brief from the country page's query results."""
    partner_rows = tuple(
        (f"{r.name} ({r.acronym})" if r.acronym else r.name, label(PARTNER_TYPES, r.type, t))
        for r in partners.itertuples()
    )
    activity_rows = tuple(
        (
            label(THEMES, r.theme, t),
            shorten(r.description),
            r.partners if isinstance(r.partners, str) else "",
        )
        for r in activities.itertuples()
    )
    return Brief(
        lang=lang,
        iso3=iso3,
        country=country,
        region=region,
        year=year,
        frame=frame,
        kpis=brief_kpis(results, lang) if not results.empty else (),
        chart_png=chart_png,
        chart_px=chart_px,
        partners=partner_rows,
        activities=activity_rows,
        sources=brief_sources(results, activities),
        arabic_name=arabic_name,
    )
