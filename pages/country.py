"""Country page (/countries/<ISO3>): figures with sources, partner activities,
partners and campaigns for one COMPASS country and year."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.activities import activity_list, campaign_list, partner_list
from components.export_menu import export_links
from components.formatting import format_number
from components.kpi import count_card, figure_cards
from components.labels import REGIONS, label
from components.tables import results_table
from components.targets import targets_table
from data_access import catalog
from data_access import queries as q
from pages import export_links as exports
from pages import paths
from pages.view import PageContext, guarded, resolve, shell

EXPORTS = "country-exports"


def _title(iso3: str | None = None, **_) -> str:
    return f"{(iso3 or '').upper()} \u00b7 COMPASS Dashboard"


dash.register_page(__name__, path_template=paths.COUNTRY, title=_title, name="Country")


def _section(title: str, children: list, section_id: str) -> html.Section:
    heading_id = f"{section_id}-title"
    return html.Section(
        [html.H2(title, id=heading_id, className="h4 mt-4")] + children,
        **{"aria-labelledby": heading_id},
        id=section_id,
    )


def _not_found(ctx: PageContext, code: str) -> list:
    t = ctx.t
    countries = q.countries(ctx.lang)
    return [
        html.H1(t("Country not found"), className="h2"),
        html.P(
            t("\u201c{code}\u201d is not one of the 14 COMPASS countries. Choose one below.").format(
                code=code[:40]
            )
        ),
        html.Ul(
            [
                html.Li(dcc.Link(name, href=paths.country_url(iso3, ctx.year, ctx.lang)))
                for iso3, name in zip(countries.iso3, countries.name, strict=True)
            ],
            className="country-index",
        ),
    ]


def _figure_cards(results, ctx: PageContext, partners: int, activity_count: int) -> dbc.Row:
    t, lang = ctx.t, ctx.lang
    cards = figure_cards(results, lang, t) + [
        count_card(t("Partners named"), format_number(partners, lang)),
        count_card(t("Partner activities"), format_number(activity_count, lang)),
    ]
    return dbc.Row(cards, className="row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 kpi-grid")


def _downloads(ctx: PageContext, iso3: str, country_name: str) -> html.P:
    """The country brief (PDF, PowerPoint) and the country's figures (CSV, Excel) for the year."""
    t, year, lang = ctx.t, ctx.year, ctx.lang
    brief = t("Country brief for {country}, {year}").format(country=country_name, year=year)
    data = t("Figures for {country}, {year}").format(country=country_name, year=year)
    items = [
        (
            t("Brief (PDF)"),
            exports.brief_export_url(iso3, "pdf", year, lang),
            t("Download {what} as {format}").format(what=brief, format="PDF"),
        ),
        (
            t("Brief (PowerPoint)"),
            exports.brief_export_url(iso3, "pptx", year, lang),
            t("Download {what} as {format}").format(what=brief, format="PowerPoint"),
        ),
        (
            t("Figures (CSV)"),
            exports.dataset_export_url("country-figures", "csv", year, lang, iso3),
            t("Download {what} as {format}").format(what=data, format="CSV"),
        ),
        (
            t("Figures (Excel)"),
            exports.dataset_export_url("country-figures", "xlsx", year, lang, iso3),
            t("Download {what} as {format}").format(what=data, format="Excel"),
        ),
    ]
    return export_links(t("Download:"), items, element_id=EXPORTS, spacing="mb-3")


def _year_links(ctx: PageContext, iso3: str, years: list[int]) -> html.P | None:
    others = [y for y in years if y != ctx.year]
    if not others:
        return None
    links: list = [ctx.t("Other years with data:") + " "]
    for i, y in enumerate(others):
        links += [", "] if i else []
        links.append(dcc.Link(str(y), href=paths.country_url(iso3, y, ctx.lang)))
    return html.P(links, className="small year-links mt-3")


def _targets_section(ctx: PageContext, country_name: str, targets) -> html.Section:
    t = ctx.t
    return _section(
        t("Progress against targets"),
        [
            html.P(
                t(
                    "Each figure is compared with its own target, as published; "
                    "figures are never added together."
                ),
                className="small text-body-secondary",
            ),
            targets_table(
                targets,
                ctx.lang,
                t,
                t("Targets and results for {country}, {year}").format(country=country_name, year=ctx.year),
            ),
        ],
        "targets",
    )


def _country_content(ctx: PageContext, iso3: str, country) -> list:
    t, lang, year = ctx.t, ctx.lang, ctx.year
    years = q.country_years(iso3)
    results = q.country_results(iso3, year, lang)
    acts = q.activities(year, lang, iso3=iso3)
    partners = q.country_partners(iso3, year, lang)
    camps = q.campaigns(year, lang, iso3=iso3)
    header = [
        dcc.Link("\u2190 " + t("Overview"), href=paths.overview_url(year, lang), className="small"),
        html.H1(
            [
                country.name,
                " ",
                html.Span(country.name_ar, lang="ar", dir="rtl", className="h5 text-body-secondary"),
            ],
            className="h2 mt-1",
        ),
        html.P(
            f"{label(REGIONS, country.region, t)} \u00b7 {year}",
            className="lead",
        ),
    ]
    if not years:
        return header + [
            dbc.Alert(
                t("No COMPASS results have been published for {country} yet.").format(country=country.name),
                color="light",
                className="no-data",
            )
        ]
    header.append(_downloads(ctx, iso3, country.name))
    nothing = results.empty and acts.empty and camps.empty
    body: list = []
    if nothing:
        body.append(
            dbc.Alert(
                t("Nothing was published for {country} in {year}.").format(country=country.name, year=year),
                color="light",
                className="no-data",
            )
        )
    else:
        body.append(_figure_cards(results, ctx, len(partners), len(acts)))
    body.append(_year_links(ctx, iso3, years))
    if not results.empty:
        body.append(
            _section(
                t("Figures published for {year}").format(year=year),
                [
                    results_table(
                        results,
                        lang,
                        t,
                        t("Figures for {country} and their sources").format(country=country.name),
                        table_id="country-figures",
                    )
                ],
                "figures",
            )
        )
    targets = catalog.country_targets(iso3, year, lang)
    if not targets.empty:
        body.append(_targets_section(ctx, country.name, targets))
    if not acts.empty:
        body.append(_section(t("Partner activities"), [activity_list(acts, t)], "activities"))
    if not partners.empty:
        body.append(_section(t("Partners"), [partner_list(partners, t)], "partners"))
    if not camps.empty:
        body.append(_section(t("Campaigns"), [campaign_list(camps, lang, t)], "campaigns"))
    return header + [b for b in body if b is not None]


@guarded
def layout(iso3: str | None = None, **query) -> html.Div:
    """One country's page; an unknown code gets a list of the 14 countries."""
    ctx = resolve(query)
    code = (iso3 or "").strip().upper()
    countries = q.countries(ctx.lang)
    match = countries[countries.iso3 == code]
    if match.empty or ctx.year is None:
        return shell(ctx, "overview", None, _not_found(ctx, code))
    country = next(match.itertuples())
    return shell(ctx, "country", code, _country_content(ctx, code, country))
