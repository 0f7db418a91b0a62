"""Country page (/countries/<ISO3>): figures with sources, partner activities,
partners and campaigns for one COMPASS country and year."""

from __future__ import annotations

from collections.abc import Mapping

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.activities import activity_list, campaign_list, partner_list
from components.export_menu import export_links
from components.formatting import format_number
from components.history import results_over_time
from components.kpi import count_card, figure_card_rows
from components.labels import BREAKDOWNS, REGIONS, label
from components.shell import page_section
from components.suppression import suppression_notes
from components.tables import results_table
from components.targets import targets_table
from data_access import catalog
from data_access import queries as q
from model.figures import is_programme_fact
from pages import export_paths, identity, paths
from pages.contract import do_not_cache
from pages.indicators_view import explorer_url
from pages.previews import route_title
from pages.view import PageContext, guarded, resolve, reused, shell

NOT_FOUND_PAGE = "pages.not_found_404"  # the registered module of the not-found page

EXPORTS = "country-exports"
BREAKDOWN_NOTE = "country-breakdown-note"
CARDS_NOTE = "country-cards-note"
PROGRAMME_FACTS = "country-programme-facts"
HISTORY = "country-history"
# A country-year can have dozens of figures: the cards show the first ones
# (headline indicators first), the figures table all of them.
MAX_FIGURE_CARDS = 12


dash.register_page(__name__, path_template=paths.COUNTRY, title=route_title(paths.COUNTRY), name="Country")


def _not_found(ctx: PageContext, code: str) -> list:
    do_not_cache()  # shown, not stored: endless unknown codes must not fill the response cache
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
                html.Li(dcc.Link(name, href=paths.country_url(iso3, ctx.link_year, ctx.lang)))
                for iso3, name in zip(countries.iso3, countries.name, strict=True)
            ],
            className="country-index",
        ),
    ]


def _first_figures(results: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows of the first MAX_FIGURE_CARDS figures (indicator and period, in the
    results' order: headline indicators first), and how many figures there are."""
    keys = list(zip(results.indicator_code, results.period_start, results.period_end, strict=True))
    figures = list(dict.fromkeys(keys))
    if len(figures) <= MAX_FIGURE_CARDS:
        return results, len(figures)
    shown = set(figures[:MAX_FIGURE_CARDS])
    return results[[key in shown for key in keys]], len(figures)


def _figure_cards(results, ctx: PageContext, partners: int, activity_count: int) -> list:
    t, lang = ctx.t, ctx.lang
    first, total = _first_figures(results)
    counts = [
        count_card(t("Partners named"), format_number(partners, lang)) if partners else None,
        count_card(t("Partner activities"), format_number(activity_count, lang)) if activity_count else None,
    ]
    rows = figure_card_rows(first, lang, t, extra=[c for c in counts if c is not None])
    if total <= MAX_FIGURE_CARDS:
        return rows
    note = t("{shown} of {total} figures as cards; the table below lists them all.").format(
        shown=format_number(MAX_FIGURE_CARDS, lang), total=format_number(total, lang)
    )
    return [*rows, html.P(note, className="small text-body-secondary mt-2", id=CARDS_NOTE)]


def _programme_facts(ctx: PageContext, facts: pd.DataFrame) -> html.Section | None:
    """Figures about the whole programme or its context that a source about the
    country states (e.g. 'COMPASS runs in 14 countries'): shown apart, with the
    source that states them, never as the country's results."""
    if facts.empty:
        return None
    t = ctx.t
    return page_section(
        t("About the programme, as sources on this country state it"),
        [
            html.P(
                t(
                    "These figures describe the programme as a whole or its context; "
                    "they are not results of COMPASS in this country."
                ),
                className="small text-body-secondary",
            ),
            results_table(
                facts,
                ctx.lang,
                t,
                t("Programme and context figures cited by these sources"),
                table_id=PROGRAMME_FACTS,
            ),
        ],
        "programme-facts",
    )


def _downloads(ctx: PageContext, iso3: str, country_name: str) -> html.P:
    """The country brief (PDF, PowerPoint) and the country's figures (CSV, Excel) for the year."""
    t, year, lang = ctx.t, ctx.year, ctx.lang
    brief = t("Country brief for {country}, {year}").format(country=country_name, year=year)
    data = t("Figures for {country}, {year}").format(country=country_name, year=year)
    items = [
        (
            t("Brief (PDF)"),
            export_paths.brief_export_url(iso3, "pdf", year, lang),
            t("Download {what} as {format}").format(what=brief, format="PDF"),
        ),
        (
            t("Brief (PowerPoint)"),
            export_paths.brief_export_url(iso3, "pptx", year, lang),
            t("Download {what} as {format}").format(what=brief, format="PowerPoint"),
        ),
        (
            t("Figures (CSV)"),
            export_paths.dataset_export_url("country-figures", "csv", year, lang, iso3),
            t("Download {what} as {format}").format(what=data, format="CSV"),
        ),
        (
            t("Figures (Excel)"),
            export_paths.dataset_export_url("country-figures", "xlsx", year, lang, iso3),
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


def _breakdown_note(ctx: PageContext, iso3: str, breakdowns) -> html.P | None:
    """One line under the totals: how many broken-down figures the year has, each
    dimension linking to the explorer on this country and year."""
    if breakdowns.empty:
        return None
    t, lang = ctx.t, ctx.lang
    total = int(breakdowns.figures.sum())
    intro = t.plural(
        "This page shows totals; {count} broken-down figure for {year} is in the indicator explorer:",
        "This page shows totals; {count} broken-down figures for {year} are in the indicator explorer:",
        total,
    ).format(count=format_number(total, lang), year=ctx.year)
    links: list = [intro + " "]
    for i, row in enumerate(breakdowns.itertuples()):
        links += [", "] if i else []
        href = paths.indicators_url(
            lang=lang,
            indicators=row.indicator_code,
            countries=iso3,
            years=ctx.year,
            breakdown=row.breakdown_dim,
        )
        text = f"{label(BREAKDOWNS, row.breakdown_dim, t)} ({format_number(int(row.figures), lang)})"
        links.append(dcc.Link(text, href=href))
    return html.P(links, className="small breakdown-note", id=BREAKDOWN_NOTE)


def _history_section(ctx: PageContext, iso3: str) -> html.Section | None:
    """Every indicator the country has, across every year (programme facts apart)."""
    t = ctx.t
    history = q.country_history(iso3, ctx.lang)
    if not history.empty:
        history = history[~history.theme.map(is_programme_fact)]
    panels = results_over_time(
        history,
        ctx.years,
        ctx.lang,
        t,
        HISTORY,
        lambda code: explorer_url({"indicators": (code,), "countries": (iso3,), "chart": "lines"}, ctx.lang),
    )
    if panels is None:
        return None
    note = t(
        "One panel per indicator, on its own scale. Hatched: a bound or an estimate "
        "(\u201cmore than\u201d, \u201cabout\u201d). A dash: nothing published that year. "
        "Figures over several years are listed, not drawn."
    )
    return page_section(
        t("Results over time"), [html.P(note, className="small text-body-secondary"), panels], "history"
    )


def _targets_section(ctx: PageContext, country_name: str, targets) -> html.Section:
    t = ctx.t
    return page_section(
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
    years = q.country_own_years(iso3)  # a year with only a programme fact is not one of them
    # Totals only: a country-year may have a hundred breakdown figures per total.
    results = q.country_results(iso3, year, lang, breakdowns=False)
    breakdowns = q.country_breakdowns(iso3, year)
    acts = q.activities(year, lang, iso3=iso3)
    partners = q.country_partners(iso3, year, lang)
    camps = q.campaigns(year, lang, iso3=iso3)
    header = [
        dcc.Link(
            # The arrow points back along the line: mirrored in RTL (assets/compass.css).
            [html.Span("\u2190", className="dir-arrow", **{"aria-hidden": "true"}), " ", t("Overview")],
            href=paths.overview_url(ctx.link_year, lang),
            className="small back-link",
        ),
        html.H1(
            [
                country.name,
                # The Arabic name beside the others: on an Arabic page it is the name.
                *(
                    [
                        " ",
                        html.Span(country.name_ar, lang="ar", dir="rtl", className="h5 text-body-secondary"),
                    ]
                    if country.name_ar and country.name_ar != country.name
                    else []
                ),
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
    facts = results[results.theme.map(is_programme_fact)] if not results.empty else results
    results = results[~results.index.isin(facts.index)]
    nothing = results.empty and breakdowns.empty and acts.empty and camps.empty
    body: list = []
    if nothing:
        # No downloads either: a brief or a data file of nothing is no use.
        body.append(
            dbc.Alert(
                t("Nothing was published for {country} in {year}.").format(country=country.name, year=year),
                color="light",
                className="no-data",
            )
        )
    else:
        header.append(_downloads(ctx, iso3, country.name))
        body.append(
            page_section(
                t("Key figures, {year}").format(year=year),
                _figure_cards(results, ctx, len(partners), len(acts)),
                "key-figures",
                title_hidden=True,
            )
        )
    body.append(_year_links(ctx, iso3, years))
    if not results.empty:
        body.append(
            page_section(
                t("Figures published for {year}").format(year=year),
                [
                    results_table(
                        results,
                        lang,
                        t,
                        t("Figures for {country} and their sources").format(country=country.name),
                        table_id="country-figures",
                    ),
                    *(
                        html.P(note, className="small text-body-secondary")
                        for note in suppression_notes(results, t)
                    ),
                ],
                "figures",
            )
        )
    body.append(_breakdown_note(ctx, iso3, breakdowns))
    body.append(_history_section(ctx, iso3))
    targets = catalog.country_targets(iso3, year, lang)
    if not targets.empty:
        body.append(_targets_section(ctx, country.name, targets))
    if not acts.empty:
        body.append(page_section(t("Partner activities"), [activity_list(acts, lang, t)], "activities"))
    if not partners.empty:
        body.append(page_section(t("Partners"), [partner_list(partners, lang, t)], "partners"))
    if not camps.empty:
        body.append(page_section(t("Campaigns"), [campaign_list(camps, lang, t)], "campaigns"))
    body.append(_programme_facts(ctx, facts))
    return header + [b for b in body if b is not None]


def _known_code(code: str) -> bool:
    """A code that may name a country (three letters): anything else is not looked up."""
    return len(code) == 3 and code.isascii() and code.isalpha()


@identity.register(paths.COUNTRY)
def view_context(query: Mapping[str, object], iso3: str | None = None) -> PageContext:
    """The validated view of a country page (pages/identity.py keys links by it).

    Without a year in the URL: the country's own latest year with a figure,
    else its latest year with an activity or campaign."""
    code = (iso3 or "").strip().upper()
    own_years = q.country_default_years(code) if _known_code(code) else None
    return resolve(query, page_years=own_years)


@guarded
def layout(iso3: str | None = None, **query) -> html.Div:
    """One country's page; an unknown code gets a list of the 14 countries."""
    if "/" in (iso3 or ""):  # /countries/LBY/extra: Dash's template matches it, no page does
        return dash.page_registry[NOT_FOUND_PAGE]["layout"](**query)
    ctx = view_context(query, iso3)
    code = (iso3 or "").strip().upper()
    countries = q.countries(ctx.lang)
    match = countries[countries.iso3 == code]
    if match.empty or ctx.year is None:
        return shell(ctx, "overview", None, _not_found(ctx, code), pinned="", path="")
    country = next(match.itertuples())
    content = reused(ctx, "country", code, lambda: _country_content(ctx, code, country))
    return shell(ctx, "country", code, content)
