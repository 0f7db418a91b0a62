"""Data page (/data): the data version, the import history, every source, the
definition of every indicator and the import templates to download."""

from __future__ import annotations

import dash
from dash import html

from components.provenance import (
    import_history_table,
    indicator_list,
    source_table,
    status_list,
    template_downloads,
)
from data_access import catalog
from pages import paths
from pages.downloads import available_templates
from pages.view import PageContext, guarded, resolve, shell

dash.register_page(__name__, path=paths.DATA, title="Data \u00b7 COMPASS Dashboard", name="Data")

IMPORTS_SHOWN = 50


def _section(title: str, children: list, section_id: str) -> html.Section:
    heading_id = f"{section_id}-title"
    return html.Section(
        [html.H2(title, id=heading_id, className="h4 mt-4")] + children,
        **{"aria-labelledby": heading_id},
        id=section_id,
    )


def _imports(ctx: PageContext) -> list:
    t = ctx.t
    history = catalog.import_history(IMPORTS_SHOWN)
    if history.empty:
        return [html.P(t("No data has been imported yet."))]
    note = html.P(
        t("The latest {count} imports are shown.").format(count=IMPORTS_SHOWN),
        className="small text-body-secondary",
    )
    return [import_history_table(history, ctx.lang, t), note if len(history) >= IMPORTS_SHOWN else None]


def _content(ctx: PageContext) -> list:
    t, lang = ctx.t, ctx.lang
    sources = catalog.source_list(lang)
    indicators = catalog.indicator_definitions(lang)
    return [
        html.H1(t("Data and sources"), className="h2"),
        html.P(
            t(
                "Where every figure of the dashboard comes from: the state of the data, "
                "each import, the sources cited and what each indicator counts."
            ),
            className="lead",
        ),
        _section(t("State of the data"), [status_list(catalog.data_status(), lang, t)], "data-status"),
        _section(t("Import history"), _imports(ctx), "imports"),
        _section(
            t("Import templates"),
            [
                html.P(
                    t("Fill in one of these files to prepare new figures or partner activities for import."),
                ),
                template_downloads(available_templates(), paths.template_download_url, lang, t),
            ],
            "templates",
        ),
        _section(
            t("Sources"),
            [source_table(sources, lang, t)] if not sources.empty else [html.P(t("No sources yet."))],
            "sources",
        ),
        _section(
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


@guarded
def layout(**query) -> html.Div:
    """The Data page in the language of the query string (the year only travels on)."""
    ctx = resolve(query)
    return shell(ctx, "data", None, _content(ctx))
