"""What can be exported, by name: figures, datasets and the country brief.

Each entry reads the same cached query functions as the page that shows it and
builds with the same `components` builders, so a file says exactly what the
page says (the explorer's files fetch through pages.indicators_view.explorer_frame,
as its page does). The registries are dicts: another page (the explorer) adds its
figures by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd
import plotly.graph_objects as go

from components import export_render
from components.brief import Brief, build_brief
from components.brief_chart import brief_chart_height, brief_figure
from components.explorer_figures import explorer_chart
from components.explorer_table import sort_figures
from components.export_figures import (
    SOURCE_CAPTION,
    ExportFrame,
    decorate,
    export_frame,
    export_size,
    with_internal_note,
)
from components.export_tables import (
    Table,
    activities_dataset,
    coverage_dataset,
    explorer_dataset,
    partners_dataset,
    results_dataset,
)
from components.figures import country_indicator_bars, coverage_map, results_map
from components.i18n import LANGUAGE_NAMES, N_
from components.labels import REGIONS, label
from components.result_map import map_view
from data_access import catalog
from data_access import partners as partner_data
from data_access import queries as q
from pages import paths
from pages.indicators_view import DEFAULT_CHART, explorer_frame, map_places, parse_sort
from pages.partners_view import filters as partner_filters
from pages.urlstate import as_tuple
from web.export_choices import explorer_choices, explorer_title

log = logging.getLogger(__name__)

FIGURE_WIDTH = 1000  # layout pixels of an exported chart
BRIEF_CHART_WIDTH = 760  # narrower than a download, so its text prints larger on A4
BRIEF_CHART_SCALE = 2  # the brief's chart is printed: twice the pixels


class NothingToExport(LookupError):
    """The view is valid but has nothing to draw or list (e.g. no figures that year);
    its message is for the reader, in the view's language."""


@dataclass(frozen=True)
class ExportView:
    """A validated export request: year, language and the optional country."""

    year: int
    lang: str
    t: Callable[[str], str]
    country: str | None = None  # ISO3
    country_name: str | None = None
    exported_on: date | None = None

    @property
    def today(self) -> date:
        return self.exported_on or datetime.now(UTC).date()

    def filters(self) -> list[tuple[str, str]]:
        """What the file shows, for the line under its title: year, country, language."""
        t = self.t
        rows = [(t("Year"), str(self.year))]
        if self.country_name:
            rows.append((t("Country"), self.country_name))
        rows.append((t("Language"), LANGUAGE_NAMES[self.lang]))
        return rows

    def frame(self, title: str, note: str = "", cited: Sequence[pd.DataFrame] = ()) -> ExportFrame:
        return export_frame(title, self.filters(), self.lang, self.t, self.today, note, cited)


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureExport:
    """An exportable chart: its title and how to build it from the page's queries."""

    title: Callable[[ExportView], str]
    build: Callable[[ExportView, str], go.Figure]  # (view, title) -> figure
    takes_country: bool = False
    note: Callable[[ExportView], str] = lambda _view: ""
    min_width: int = FIGURE_WIDTH
    # The rows the chart draws, for the caption that names their sources.
    cited: Callable[[ExportView], Sequence[pd.DataFrame]] = lambda _view: ()


def _coverage_map(view: ExportView, title: str) -> go.Figure:
    return coverage_map(q.country_coverage(view.year, view.lang), view.lang, view.t, title)


def _country_totals(view: ExportView) -> pd.DataFrame:
    # The chart draws totals: the breakdown rows are never fetched for it.
    if view.country:
        return q.country_results(view.country, view.year, view.lang, breakdowns=False, programme_facts=False)
    return q.country_level_results(view.year, view.lang, breakdowns=False, programme_facts=False)


def _coverage_cited(view: ExportView) -> tuple[pd.DataFrame, ...]:
    """What the map counts: the year's country figures and partner activities."""
    return (
        q.country_level_results(view.year, view.lang, breakdowns=False, programme_facts=False),
        q.activities(view.year, view.lang),
    )


def _country_figures(view: ExportView, title: str) -> go.Figure:
    results = _country_totals(view)
    if results.empty:
        raise NothingToExport(
            view.t("No country-level figures were published for {year}.").format(year=view.year)
        )
    return country_indicator_bars(results, view.lang, view.t, title)


def _country_figures_title(view: ExportView) -> str:
    if view.country_name:
        return view.t("Figures for {country}, {year}").format(country=view.country_name, year=view.year)
    return view.t("Country figures, {year}").format(year=view.year)


FIGURES: dict[str, FigureExport] = {
    "coverage-map": FigureExport(
        title=lambda v: v.t("Published items per country, {year}").format(year=v.year),
        build=_coverage_map,
        note=lambda v: v.t("Grey: nothing published for {year}.").format(year=v.year),
        cited=_coverage_cited,
    ),
    "country-figures": FigureExport(
        title=_country_figures_title,
        build=_country_figures,
        takes_country=True,
        cited=lambda v: (_country_totals(v),),
    ),
}


def results_map_figure(view: ExportView, chosen: str | None) -> tuple[go.Figure, int, int]:
    """The Overview's map of results (`chosen` indicator, else the year's default)
    as a decorated figure with its export size: the same countries and figures as
    the page's map (components.result_map.map_view)."""
    figure, frame = results_map_parts(view, chosen)
    width, height = export_size(figure, frame, FIGURE_WIDTH)
    return decorate(figure, frame, FIGURE_WIDTH), width, height


def results_map_parts(view: ExportView, chosen: str | None) -> tuple[go.Figure, ExportFrame]:
    """The Overview's map and its frame, undecorated (a file or a preview card decorates it)."""
    results = q.country_level_results(view.year, view.lang, breakdowns=False)
    countries = q.country_coverage(view.year, view.lang)[["iso3", "name"]]
    definitions = catalog.indicator_definitions(view.lang)
    shown = map_view(results, chosen, countries, definitions, view.year, view.lang, view.t, str)
    figure = results_map(shown.countries, shown.unit, view.lang, view.t, shown.title)
    frame = view.frame(shown.title, view.t("Grey: nothing published for {year}.").format(year=view.year))
    return figure, with_internal_note(frame, (results,), view.t)


def export_figure(name: str, view: ExportView, min_width: int | None = None) -> tuple[go.Figure, int, int]:
    """The decorated figure `name` for `view`, with its export width and height."""
    figure, frame = figure_parts(name, view)
    min_width = min_width or FIGURES[name].min_width
    width, height = export_size(figure, frame, min_width)
    return decorate(figure, frame, min_width), width, height


def figure_parts(name: str, view: ExportView) -> tuple[go.Figure, ExportFrame]:
    """The figure `name` for `view` and its frame, undecorated."""
    spec = FIGURES[name]
    title = spec.title(view)
    return spec.build(view, title), view.frame(title, spec.note(view), spec.cited(view))


def figure_image(name: str, view: ExportView, fmt: str, scale: float = 1) -> bytes:
    """The figure `name` as PNG/SVG/PDF bytes, through the warm renderer."""
    figure, width, height = export_figure(name, view)
    title = FIGURES[name].title(view)
    return export_render.render(figure, fmt, width, height, scale, title=title, lang=view.lang)


# --- datasets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetExport:
    """An exportable table: how to read it and lay it out."""

    build: Callable[[ExportView, str], Table]  # (view, name) -> table
    takes_country: bool = False


def _programme_figures(view: ExportView, name: str) -> Table:
    return results_dataset(name, q.programme_results(view.year, view.lang), view.lang, view.t)


def _country_figures_table(view: ExportView, name: str) -> Table:
    if view.country:
        frame = q.country_results(view.country, view.year, view.lang)
    else:
        frame = q.country_level_results(view.year, view.lang)
    return results_dataset(name, frame, view.lang, view.t)


def _coverage(view: ExportView, name: str) -> Table:
    return coverage_dataset(name, q.country_coverage(view.year, view.lang))


def _activities(view: ExportView, name: str) -> Table:
    return activities_dataset(name, q.activities(view.year, view.lang, iso3=view.country), view.lang, view.t)


DATASETS: dict[str, DatasetExport] = {
    "programme-figures": DatasetExport(_programme_figures),
    "country-figures": DatasetExport(_country_figures_table, takes_country=True),
    "coverage": DatasetExport(_coverage),
    "activities": DatasetExport(_activities, takes_country=True),
}


# What each dataset is called in its file (the filters sheet; the data sheet outside English).
DATASET_TITLES = {
    "programme-figures": N_("Programme figures"),
    "country-figures": N_("Country figures"),
    "coverage": N_("Published items per country"),
    "activities": N_("Partner activities"),
    "explorer": N_("Indicator explorer"),
    "partners": N_("Partner directory"),
}


def dataset_title(name: str, t: Callable[[str], str]) -> str:
    return t(DATASET_TITLES[name]) if name in DATASET_TITLES else name


def sheet_title(name: str, lang: str, t: Callable[[str], str]) -> str:
    """The data sheet's name: the dataset's stable name in English, its title in another language."""
    return name if lang == "en" else dataset_title(name, t)


def view_filters(
    name: str,
    controls: list[tuple[str, str]],
    lang: str,
    t: Callable[[str], str],
    page_url: str,
    today: date | None = None,
) -> list[tuple[str, object]]:
    """The 'filters' sheet of every exported table: the dataset's name, the
    controls that chose its rows, then language, data version, export date, the
    link to the same view and the source."""
    return [
        (t("Dataset"), dataset_title(name, t)),
        *controls,
        (t("Language"), LANGUAGE_NAMES[lang]),
        (t("Data version"), str(q.data_version())),
        (t("Export date"), today or datetime.now(UTC).date()),
        (t("View in the dashboard"), page_url),
        (t("Source"), t(SOURCE_CAPTION)),
    ]


def dataset_filters(name: str, view: ExportView, page_url: str) -> list[tuple[str, object]]:
    """The 'filters' sheet of a year's dataset: its year and country, then what
    every export's sheet says (`view_filters`)."""
    t = view.t
    controls = [
        (t("Year"), str(view.year)),
        (t("Country"), view.country_name if view.country else t("All countries")),
    ]
    return view_filters(name, controls, view.lang, t, page_url, view.today)


# --- the explorer's chart and table, the partners page's table: for their own query ---------------


def explorer_figure(values: Mapping[str, object], lang: str, t: Callable[[str], str]) -> go.Figure:
    """The explorer's chart for its validated controls: the figure /indicators?<same query> draws."""
    chart = str(values.get("chart") or DEFAULT_CHART)
    common = values.get("scale") == "common"  # the page's "one scale" checkbox
    return explorer_chart(explorer_frame(values, lang), chart, map_places(values, lang), lang, t, common)


def explorer_parts(
    values: Mapping[str, object], lang: str, t: Callable[[str], str]
) -> tuple[go.Figure, ExportFrame]:
    """The explorer's chart for validated `values` and its frame (title naming the
    indicators, a line of what else was chosen, the cited sources), undecorated."""
    figure = explorer_figure(values, lang, t)
    cited = (explorer_frame(values, lang),)
    drawn = tuple(dict.fromkeys(cited[0].indicator_code))
    title = explorer_title(values, lang, t, figure.layout.title.text or "", drawn)
    # The title names the indicators; the line under it says what else was chosen.
    several = len(as_tuple(values.get("indicators"))) > 1
    filters = explorer_choices(values, lang, t, with_indicators=several, drawn=drawn)
    filters.append((t("Language"), LANGUAGE_NAMES[lang]))
    return figure, export_frame(title, filters, lang, t, datetime.now(UTC).date(), cited=cited)


def explorer_rows(values: Mapping[str, object], lang: str, t: Callable[[str], str]) -> Table:
    """The explorer's table for its validated controls: the same rows, in the same
    order (the `sort` control), as /indicators?<same query> lists."""
    frame = explorer_frame(values, lang)
    return explorer_dataset("explorer", sort_figures(frame, parse_sort(values.get("sort")), t), lang, t)


def partners_rows(values: Mapping[str, object], lang: str, t: Callable[[str], str]) -> Table:
    """The partner directory for the page's validated filters, as /partners lists it."""
    return partners_dataset("partners", partner_data.partner_directory(lang, **partner_filters(values)), t)


# --- the country brief ---------------------------------------------------------------------------


def country_brief(view: ExportView, country: pd.Series, host_url: str = "") -> Brief:
    """Everything the brief shows for `view.country`: the country page's figures,
    partners, activities and sources, and its chart (linear panels, one per unit
    and period) rendered by the warm renderer."""
    t, lang, year, iso3 = view.t, view.lang, view.year, view.country
    # Totals, and the country's own: a programme fact its sources cite is not its result.
    results = q.country_results(iso3, year, lang, breakdowns=False, programme_facts=False)
    activities = q.activities(year, lang, iso3=iso3)
    frame = view.frame(t("{country}, {year}").format(country=country["name"], year=year))
    brief = build_brief(
        iso3=iso3,
        country=country["name"],
        region=label(REGIONS, country["region"], t),
        year=year,
        lang=lang,
        t=t,
        frame=with_internal_note(frame, (results, activities), t),
        results=results,
        partners=q.country_partners(iso3, year, lang),
        activities=activities,
        arabic_name=country.get("name_ar") or None,
        years_with_data=tuple(y for y in q.country_years(iso3) if y != year),
        page_url=host_url + paths.country_url(iso3, None, lang),
    )
    if not brief.has_chart:
        return brief
    height = brief_chart_height(brief.panels)
    try:
        figure = brief_figure(brief.panels, lang, t)
        png = export_render.render(figure, "png", BRIEF_CHART_WIDTH, height, BRIEF_CHART_SCALE)
    except export_render.RendererUnavailable:
        log.warning("country brief %s %s without its chart: no renderer", iso3, year, exc_info=True)
        return brief
    return replace(brief, chart_png=png, chart_px=(BRIEF_CHART_WIDTH, height))
