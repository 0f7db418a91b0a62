"""Data page (/data): the data version, the import history, every source, the
source notes still without French text, the definition of every indicator and
the import templates to download."""

from __future__ import annotations

from collections.abc import Mapping

import dash
from dash import html
from flask import current_app

from components.i18n import N_
from components.note_translations import missing_french_notes
from components.provenance import (
    country_export_table,
    export_list,
    import_history_table,
    indicator_list,
    source_table,
    status_list,
    template_downloads,
)
from components.shell import page_section
from data_access import catalog
from data_access import queries as q
from data_access.templates import available_templates
from pages import export_paths, identity, paths
from pages.intros import intro_header
from pages.titles import page_title
from pages.view import PageContext, guarded, resolve, shell

dash.register_page(__name__, path=paths.DATA, title=page_title(N_("Data")), name="Data")

IMPORTS_SHOWN = 50


def _imports(ctx: PageContext) -> list:
    t = ctx.t
    history = catalog.import_history(IMPORTS_SHOWN)
    if history.empty:
        return [html.P(t("No data has been imported yet."))]
    note = html.P(
        t("The latest {count} imports are shown.").format(count=IMPORTS_SHOWN),
        className="small text-body-secondary",
    )
    show_names = current_app.config["COMPASS_SETTINGS"].public_importer_names
    staff = q.sees_internal()  # every batch, its visibility, who loaded it and its file
    return [
        import_history_table(history, ctx.lang, t, show_names, staff),
        note if len(history) >= IMPORTS_SHOWN else None,
    ]


IMAGE_FORMATS = ("png", "svg", "pdf")
BRIEF_FORMATS = (("pdf", "PDF"), ("pptx", "PowerPoint"))


def _exports(ctx: PageContext) -> list:
    """Every export file for the page's year and language: the overview's charts,
    each dataset, the explorer's and partners' tables and each country's brief."""
    t, year, lang = ctx.t, ctx.year, ctx.lang
    if year is None:
        return [html.P(t("No data has been imported yet."))]

    def described(what: str, fmt_name: str) -> str:
        return t("Download {what} as {format}").format(what=what, format=fmt_name)

    def images(figure: str, what: str) -> tuple[str, list]:
        return what, [
            (
                fmt.upper(),
                export_paths.figure_export_url(figure, fmt, year, lang),
                described(what, fmt.upper()),
            )
            for fmt in IMAGE_FORMATS
        ]

    def data(what: str, href) -> tuple[str, list]:
        return what, export_paths.data_links(href, t, what)

    def dataset(name: str):
        return lambda fmt: export_paths.dataset_export_url(name, fmt, year, lang)

    charts = [
        images("coverage-map", t("Map of published items per country (chart)")),
        images("country-figures", t("Country figures (chart)")),
    ]
    datasets = [
        data(t("Programme-wide figures"), dataset("programme-figures")),
        data(t("Country figures"), dataset("country-figures")),
        data(t("Coverage by country"), dataset("coverage")),
        data(t("Partner activities"), dataset("activities")),
        data(
            t("Indicator explorer (default view)"), lambda fmt: export_paths.explorer_data_url(fmt, {}, lang)
        ),
        data(
            t("Partner directory (all partners)"), lambda fmt: export_paths.partners_data_url(fmt, {}, lang)
        ),
    ]
    # Without a chosen year, each country's files are of its own latest year with figures.
    country_year = ctx.link_year
    rows = []
    for country in q.countries(lang).itertuples():
        name = country.name
        briefs = [
            (
                label,
                export_paths.brief_export_url(country.iso3, fmt, country_year, lang),
                described(t("the brief of {country}").format(country=name), label),
            )
            for fmt, label in BRIEF_FORMATS
        ]
        figures = export_paths.data_links(
            lambda fmt, iso3=country.iso3: export_paths.dataset_export_url(
                "country-figures", fmt, country_year, lang, iso3
            ),
            t,
            t("the figures of {country}").format(country=name),
        )
        rows.append((country.iso3, name, briefs + figures))
    return [
        html.P(
            t(
                "Every chart, table and country brief of the dashboard as a file, for {year}. "
                "Each file states its filters, sources and export date."
            ).format(year=year),
        ),
        html.H3(t("Charts"), className="h6 mt-3"),
        export_list(charts, "chart-exports"),
        html.H3(t("Data tables"), className="h6 mt-3"),
        export_list(datasets, "data-exports"),
        html.H3(t("Countries"), className="h6 mt-3"),
        None
        if country_year
        else html.P(
            t("Each country\u2019s brief and figures are of its latest year with figures."),
            className="small text-body-secondary",
        ),
        country_export_table(rows, t),
    ]


def _content(ctx: PageContext) -> list:
    t, lang = ctx.t, ctx.lang
    sources = catalog.source_list(lang)
    indicators = catalog.indicator_definitions(lang)
    return [
        *intro_header(paths.DATA, t),
        page_section(t("State of the data"), [status_list(catalog.data_status(), lang, t)], "data-status"),
        page_section(t("Import history"), _imports(ctx), "imports"),
        page_section(
            t("Import templates"),
            [
                html.P(
                    t("Fill in one of these files to prepare new figures or partner activities for import."),
                ),
                template_downloads(available_templates(), paths.template_download_url, lang, t),
            ],
            "templates",
        ),
        page_section(t("Exports"), _exports(ctx), "exports"),
        page_section(
            t("Sources"),
            [source_table(sources, lang, t)] if not sources.empty else [html.P(t("No sources yet."))],
            "sources",
        ),
        page_section(
            t("Source notes without French text"),
            missing_french_notes(catalog.notes_without_french(), lang, t),
            "notes-fr",
        ),
        page_section(
            t("Indicator definitions"),
            [
                html.P(
                    t(
                        "Indicators that are never added across countries are shown country by country; "
                        "programme-wide figures are shown as published."
                    ),
                    className="small text-body-secondary",
                ),
                indicator_list(indicators, lang, t),
            ],
            "indicators",
        ),
    ]


@identity.register(paths.DATA)
def view_context(query: Mapping[str, object]) -> PageContext:
    """The validated view of the Data page (pages/identity.py keys links by it)."""
    return resolve(query)


@guarded
def layout(**query) -> html.Div:
    """The Data page in the language of the query string (the year only travels on)."""
    ctx = view_context(query)
    # Not kept (pages/content_memo.py): it lists the import templates found on disk now.
    return shell(ctx, "data", None, _content(ctx))
