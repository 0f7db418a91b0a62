"""The content of a country brief, shared by the PDF and the PowerPoint writers.

Pure: query frames and a rendered chart in, a `Brief` out. The figures are
grouped as the country page's cards group them (one per indicator and period,
every distinct figure with its qualifier written out, the number of sources,
what each source says), so a brief never says something the page does not.

The chart's panels compare like with like: one panel per unit and period, so
a percentage never sits beside a count and a cumulative figure (2021-2022)
never beside a year's. A bar stands at the highest figure a source states, as
in the explorer; nothing is added up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from components.export_figures import ExportFrame
from components.formatting import format_figure, format_period
from components.i18n import N_
from components.labels import PARTNER_TYPES, THEMES, UNITS, label
from components.suppression import mark_text, marked_for_staff
from model.figures import document_of, sources_differ
from model.suppression import FEWER_THAN

MIN_CHART_FIGURES = 2  # one figure is shown as a headline, not as a one-bar chart
# Said after a quote in another language than the brief's (quotes are never translated).
QUOTE_LANGUAGES = {"en": N_("in English"), "fr": N_("in French"), "ar": N_("in Arabic")}


@dataclass(frozen=True)
class BriefQuote:
    """What a source says about a figure: its quote (the source's words, in its
    language) or, without one, our note on where the figure stands in it."""

    text: str
    lang: str
    is_quote: bool
    source: str  # the source's title


@dataclass(frozen=True)
class BriefKpi:
    """One indicator and period: every distinct figure published, and how many sources."""

    indicator: str
    figures: tuple[str, ...]  # "more than 7,000"; several when sources state it differently
    period: str  # "2022" or "2021–2022"
    sources: int
    quotes: tuple[BriefQuote, ...] = ()
    unit: str = ""  # the unit's code ("people", "percent")
    value: float = 0.0  # where its bar stands: the highest figure stated
    qualifier: str = "exact"  # of that figure
    cumulative: bool = False  # a span of years, not one year's figure
    differ: bool = False  # the sources state different figures (not one figure and its rounding)

    @property
    def label(self) -> str:
        return " / ".join(self.figures)


@dataclass(frozen=True)
class BriefPanel:
    """One panel of the brief's chart: the figures of one unit and period."""

    unit: str  # the unit's name, translated
    period: str
    cumulative: bool
    kpis: tuple[BriefKpi, ...]


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
    panels: tuple[BriefPanel, ...] = ()  # the chart's, empty when it has fewer than two figures
    years_with_data: tuple[int, ...] = ()  # the country's years with figures or activities
    page_url: str = ""  # the country page, for a brief that has nothing to show

    @property
    def empty(self) -> bool:
        return not (self.kpis or self.activities or self.partners)

    @property
    def has_chart(self) -> bool:
        return bool(self.panels)


def _quotes(group: pd.DataFrame) -> tuple[BriefQuote, ...]:
    """Each distinct quote (else note) of the sources of one figure."""
    quotes: dict[str, BriefQuote] = {}
    for r in group.itertuples():
        quote, note = _present(r.source_quote), _present(r.source_note)
        text = quote or note
        if text and text not in quotes:
            if quote:
                lang = r.source_language if isinstance(r.source_language, str) else "en"
            else:  # our note: French where it has a French text (queries pick it per language)
                lang = getattr(r, "source_note_lang", "en") or "en"
            quotes[text] = BriefQuote(text=text, lang=lang, is_quote=bool(quote), source=r.source_title)
    return tuple(quotes.values())


def _present(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _figure(value: float, qualifier: str, unit: str, lang: str, group: pd.DataFrame) -> str:
    """The figure as the brief writes it; for staff, an exact value that the
    public reads as "fewer than N" says so ("8 (suppressed for the public)")."""
    text = format_figure(value, qualifier, unit, lang)
    if "suppressed" not in group:
        return text
    rows = group[(group.value.astype(float) == value) & (group.qualifier == qualifier)]
    if any(marked_for_staff(row) for row in rows.itertuples()):
        return f"{text} ({mark_text(lang)})"
    return text


def brief_kpis(results: pd.DataFrame, lang: str) -> tuple[BriefKpi, ...]:
    """One entry per indicator and period of the totals (as `components.kpi.figure_cards`)."""
    totals = results[results.breakdown_dim == ""]
    kpis = []
    for _, group in totals.groupby(["indicator_code", "period_start", "period_end"], sort=False):
        first = group.iloc[0]
        stated = list(zip(group.value.astype(float), group.qualifier, strict=True))
        values = dict.fromkeys(stated)
        top_value, top_qualifier = max(stated, key=lambda vq: (vq[0], vq[1] == "exact"))
        kpis.append(
            BriefKpi(
                indicator=first.indicator_name,
                figures=tuple(_figure(v, q, first.unit, lang, group) for v, q in values),
                period=format_period(first.period_start, first.period_end),
                sources=len(group),
                quotes=_quotes(group) if "source_quote" in group else (),
                unit=first.unit,
                # A suppressed small count is not drawn (a bar of zero, its label
                # "fewer than 10"): model/suppression.py.
                value=0.0 if top_qualifier == FEWER_THAN else top_value,
                qualifier=top_qualifier,
                cumulative=first.period_start.year != first.period_end.year,
                differ=sources_differ(
                    (r.value, r.qualifier, document_of(r.source_url, r.source_title))
                    for r in group.itertuples()
                ),
            )
        )
    return tuple(kpis)


def brief_panels(kpis: tuple[BriefKpi, ...], t: Callable[[str], str]) -> tuple[BriefPanel, ...]:
    """The chart's panels: one per unit and period, in the order of the figures;
    none when there are fewer than two figures (a one-bar chart says nothing)."""
    if len(kpis) < MIN_CHART_FIGURES:
        return ()
    groups: dict[tuple[str, str], list[BriefKpi]] = {}
    for kpi in kpis:
        groups.setdefault((kpi.unit, kpi.period), []).append(kpi)
    return tuple(
        BriefPanel(
            unit=label(UNITS, unit, t), period=period, cumulative=group[0].cumulative, kpis=tuple(group)
        )
        for (unit, period), group in groups.items()
    )


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
    years_with_data: tuple[int, ...] = (),
    page_url: str = "",
) -> Brief:
    """Assemble a brief from the country page's query results; activity
    descriptions are kept whole (a brief is read where the page is not)."""
    partner_rows = tuple(
        (f"{r.name} ({r.acronym})" if r.acronym else r.name, label(PARTNER_TYPES, r.type, t))
        for r in partners.itertuples()
    )
    activity_rows = tuple(
        (
            label(THEMES, r.theme, t),
            " ".join(str(r.description).split()),
            r.partners if isinstance(r.partners, str) else "",
        )
        for r in activities.itertuples()
    )
    kpis = brief_kpis(results, lang) if not results.empty else ()
    return Brief(
        lang=lang,
        iso3=iso3,
        country=country,
        region=region,
        year=year,
        frame=frame,
        kpis=kpis,
        panels=brief_panels(kpis, t),
        years_with_data=tuple(years_with_data),
        page_url=page_url,
        chart_png=chart_png,
        chart_px=chart_px,
        partners=partner_rows,
        activities=activity_rows,
        sources=brief_sources(results, activities),
        arabic_name=arabic_name,
    )


# --- words shared by the PDF, the deck and the chart ---------------------------------------------


def period_text(kpi: BriefKpi, t: Callable[[str], str]) -> str:
    """'2022', or 'cumulative, 2021–2022' for a span of years."""
    return t("cumulative, {period}").format(period=kpi.period) if kpi.cumulative else kpi.period


def figure_text(kpi: BriefKpi, t: Callable[[str], str]) -> str:
    """Every figure stated, and 'Sources differ' only when they do."""
    return kpi.label + (f" ({t('Sources differ')})" if kpi.differ else "")


def quote_text(
    quote: BriefQuote, lang: str, t: Callable[[str], str], wrap: Callable[[str], str] = str
) -> str:
    """A quote in the reader's quotation marks with its source; a note says it is
    ours, and that it is in English when the brief is not. `wrap` is applied to
    the quoted words and the source's title (a right-to-left writer isolates them)."""
    if quote.is_quote:
        # « » in French (with no-break spaces) and in Arabic (translations/README.md), else “ ”.
        marks = {"fr": ("\u00ab\u00a0", "\u00a0\u00bb"), "ar": ("\u00ab", "\u00bb")}.get(
            lang, ("\u201c", "\u201d")
        )
        # The source's own words, untranslated: a reader is told their language.
        other = (
            f" ({t(QUOTE_LANGUAGES[quote.lang])})"
            if quote.lang != lang and quote.lang in QUOTE_LANGUAGES
            else ""
        )
        return f"{wrap(marks[0] + quote.text + marks[1])}{other} \u2013 {wrap(quote.source)}"
    if quote.lang != lang:
        return t("Source note (in English): {note}").format(note=wrap(quote.text))
    return t("Source note: {note}").format(note=wrap(quote.text))


def nothing_text(brief: Brief, t: Callable[[str], str]) -> str:
    """What a brief without figures says first: nothing at all, or no figures (but activities)."""
    if brief.empty:
        return t("Nothing was published for {country} in {year}.").format(
            country=brief.country, year=brief.year
        )
    return t("No figures were published for {country} in {year}.").format(
        country=brief.country, year=brief.year
    )


def panel_title(panel: BriefPanel, t: Callable[[str], str]) -> str:
    """'people · 2022' or 'people · cumulative, 2021–2022'."""
    if not panel.cumulative:
        return f"{panel.unit} \u00b7 {panel.period}"
    return f"{panel.unit} \u00b7 " + t("cumulative, {period}").format(period=panel.period)
