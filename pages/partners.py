"""Partners (/partners): every partner with its type, countries and activities;
filters by country, type, theme and year, a search on names, a partner x
country matrix and the activities with their sources, in the page language.

Every control lives in the query string (pages/partners_view.py); the controls'
callbacks (pages/partners_callbacks.py) only write a new URL, in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.activities import activity_list
from components.announce import ANNOUNCE
from components.controls import dropdown_labels, multi_select
from components.export_menu import export_links
from components.formatting import format_number
from components.kpi import count_card
from components.labels import PARTNER_TYPES, THEMES, label
from components.partners import matrix_legend, partner_directory, partner_matrix
from components.shell import page_section
from data_access import partners as data
from data_access import queries as q
from pages import identity, ids, paths
from pages.export_paths import data_links, partners_data_url
from pages.intros import intro_header
from pages.partners_view import (
    SEARCH_KEY,
    changed_link,
    cleared_link,
    cutoff_year,
    filters,
    nav_controls,
    partners_context,
    partners_pinned,
)
from pages.previews import route_title
from pages.urlstate import MAX_TEXT
from pages.view import PageContext, guarded, no_data, reused, shell

dash.register_page(__name__, path=paths.PARTNERS, title=route_title(paths.PARTNERS), name="Partners")


def _labelled(text: str, control, control_id: str, **widths: int) -> dbc.Col:
    controls = control if isinstance(control, list) else [control]
    return dbc.Col(
        [html.Label(text, htmlFor=control_id, className="form-label fw-semibold mb-1"), *controls],
        className="partners-control",
        **{"xs": 12, **widths},
    )


def _options(pairs: list[tuple[str, str]], chosen: tuple, names: dict | None = None) -> list[dict]:
    """Dropdown options, plus any chosen value that the data does not offer (a
    country without partner activities, say), so the control shows every choice."""
    known = {value for value, _ in pairs}
    extra = [(value, (names or {}).get(value, value)) for value in chosen if value not in known]
    return [{"label": text, "value": value} for value, text in pairs + extra]


def _multi(control_id: str, options: list[dict], value, placeholder: str, t) -> dcc.Dropdown:
    return multi_select(control_id, options, value, placeholder, t, "partners-dropdown")


def _controls(ctx: PageContext, options: data.PartnerFilterOptions) -> html.Div:
    t, values = ctx.t, ctx.values
    all_countries = q.countries(ctx.lang)
    names = dict(zip(all_countries.iso3, all_countries.name, strict=True))
    countries = list(options.countries)
    types = sorted(((c, label(PARTNER_TYPES, c, t)) for c in options.types), key=lambda p: p[1])
    themes = sorted(((c, label(THEMES, c, t)) for c in options.themes), key=lambda p: p[1])
    chosen_year = (values["year"],) if values.get("year") else ()
    years = [(str(y), str(y)) for y in reversed(options.years)]
    search = dbc.Input(
        id=ids.PARTNERS_SEARCH,
        type="search",
        value=values.get(SEARCH_KEY) or "",
        debounce=True,  # the URL changes on Enter or when the box loses focus, not on every key
        maxLength=MAX_TEXT,
        placeholder=t("Name or acronym"),
        autocomplete="off",
    )
    multi = {
        "countries": (
            ids.PARTNERS_COUNTRIES,
            _options(countries, values["countries"], names),
            t("All countries"),
        ),
        "types": (ids.PARTNERS_TYPES, _options(types, values["types"]), t("All types")),
        "themes": (ids.PARTNERS_THEMES, _options(themes, values["themes"]), t("All themes")),
    }
    dropdowns = {key: _multi(i, o, values[key], placeholder, t) for key, (i, o, placeholder) in multi.items()}
    year = dcc.Dropdown(
        id=ids.PARTNERS_YEAR,
        options=_options(years, chosen_year),
        value=values.get("year"),
        placeholder=t("All years"),
        searchable=False,
        labels=dropdown_labels(t),
        className="partners-dropdown",
    )
    hint = html.Div(
        t("Press Enter to search; accents and capitals are ignored."),
        id=f"{ids.PARTNERS_SEARCH}-hint",
        className="form-text",
    )
    search_row = dbc.Row(_labelled(t("Search partners"), [search, hint], ids.PARTNERS_SEARCH, md=8, lg=6))
    # Labels sit on the controls' baseline, so one that wraps leaves the controls aligned.
    filter_row = dbc.Row(
        [
            _labelled(t("Countries"), dropdowns["countries"], ids.PARTNERS_COUNTRIES, sm=6, lg=3),
            _labelled(t("Partner types"), dropdowns["types"], ids.PARTNERS_TYPES, sm=6, lg=3),
            _labelled(t("Themes"), dropdowns["themes"], ids.PARTNERS_THEMES, sm=6, lg=3),
            _labelled(t("Year"), year, ids.PARTNERS_YEAR, sm=6, lg=3),
        ],
        className="g-3 mt-0 align-items-end",
    )
    return html.Div([search_row, filter_row], role="search", className="partners-controls mb-3")


def _filtered(values) -> bool:
    return any(values.get(k) for k in ("countries", "types", "themes", "year", SEARCH_KEY))


def _summary(ctx: PageContext, entries, matrix, activities) -> html.Div:
    t, lang = ctx.t, ctx.lang
    places = matrix.country_iso3.dropna().nunique()
    cards = dbc.Row(
        [
            count_card(t("Partners"), format_number(len(entries), lang)),
            count_card(t("Countries"), format_number(places, lang)),
            count_card(t("Activities"), format_number(len(activities), lang)),
        ],
        className="row-cols-3 g-2 g-sm-3 kpi-grid",
    )
    until = cutoff_year(ctx.values)
    if ctx.year:
        scope = t("Activities of {year}.").format(year=ctx.year)
    elif until:
        scope = t("Activities of every year up to {year}.").format(year=until)
    else:
        scope = t("Activities of every year.")
    line: list = [scope]
    if ctx.year:
        line += [" ", dcc.Link(t("Show every year"), href=changed_link(ctx.values, lang, year=None))]
    if _filtered(ctx.values):
        line += [
            " ",
            dcc.Link(t("Clear all filters"), href=cleared_link(ctx.values, lang), className="partners-clear"),
        ]
    found = t.plural(
        "{count} partner matches these filters.", "{count} partners match these filters.", len(entries)
    ).format(count=format_number(len(entries), lang))
    return html.Div(
        # The heading says the count in words (the cards below are its parts) and is
        # what assets/announce.js reads out after a filter or search changed it.
        [
            html.H2(found, className="visually-hidden", **{ANNOUNCE: "count"}),
            cards,
            html.P(line, className="small mt-2 mb-0"),
        ],
        id=ids.PARTNERS_SUMMARY,
        role="status",
        className="partners-summary",
    )


def _nothing_found(ctx: PageContext) -> dbc.Alert:
    t = ctx.t
    search = ctx.values.get(SEARCH_KEY)
    message = (
        t("No partner matches \u201c{search}\u201d with these filters.").format(search=search)
        if search
        else t("No partner matches these filters.")
    )
    return dbc.Alert(
        [
            html.Span(message, **{ANNOUNCE: "count"}),
            " ",
            dcc.Link(t("Clear all filters"), href=cleared_link(ctx.values, ctx.lang)),
        ],
        color="light",
        className="no-data",
    )


def _content(ctx: PageContext) -> list:
    t, lang, values = ctx.t, ctx.lang, ctx.values
    options = data.partner_filter_options(lang)
    chosen = filters(values)
    entries = data.partner_directory(lang, **chosen)
    matrix = data.partner_country_matrix(lang, **chosen)
    activities = data.partner_activities(lang, **chosen)
    link_year = ctx.year or (options.years[-1] if options.years else None)

    def country_href(iso3: str) -> str:
        return paths.country_url(iso3, link_year, lang)

    def only_href(entry) -> str:
        return changed_link(values, lang, **{SEARCH_KEY: entry.name[:MAX_TEXT]})

    head = [
        *intro_header(paths.PARTNERS, t),
        _controls(ctx, options),
        _summary(ctx, entries, matrix, activities),
    ]
    if not entries:
        return head + [_nothing_found(ctx)]
    until = cutoff_year(values)
    scope = (
        str(ctx.year)
        if ctx.year
        else (t("all years up to {year}").format(year=until) if until else t("all years"))
    )
    no_activity = html.P(t("No partner activity matches these filters."), className="no-data")
    jump = html.Nav(
        [
            html.A(t("Partners"), href="#partners-list"),
            html.A(t("Partners by country"), href="#partners-matrix-section"),
            html.A(t("Activities"), href="#partners-activities-section"),
        ],
        className="small partners-jump mt-2",
        **{"aria-label": t("On this page")},
    )
    return head + [
        jump,
        page_section(
            t("Partners"),
            [
                export_links(
                    t("Download the data:"),
                    data_links(
                        lambda fmt: partners_data_url(fmt, values, lang), t, t("the partners of this view")
                    ),
                    element_id="partners-data-exports",
                ),
                html.Div(partner_directory(entries, lang, t, only_href), id=ids.PARTNERS_DIRECTORY),
            ],
            "partners-list",
        ),
        page_section(
            t("Partners by country"),
            [
                html.Div(
                    [
                        partner_matrix(
                            matrix,
                            lang,
                            t,
                            t("Number of activities by partner and country, {scope}").format(scope=scope),
                            country_href,
                            table_id=f"{ids.PARTNERS_MATRIX}-table",
                        ),
                        matrix_legend(t),
                    ]
                    if not matrix.empty
                    else [no_activity],
                    id=ids.PARTNERS_MATRIX,
                )
            ],
            "partners-matrix-section",
        ),
        page_section(
            t("Activities"),
            [
                html.Div(
                    activity_list(activities, ctx.lang, t, country_href, show_year=ctx.year is None)
                    if not activities.empty
                    else no_activity,
                    id=ids.PARTNERS_ACTIVITIES,
                )
            ],
            "partners-activities-section",
        ),
    ]


@identity.register(paths.PARTNERS)
def view_context(query: Mapping[str, object]) -> PageContext:
    """The validated view of /partners (pages/identity.py keys links by it)."""
    return partners_context(query)


@guarded
def layout(**query) -> html.Div:
    """The Partners page for the view in the query string."""
    ctx = view_context(query)
    if not ctx.years:
        return shell(ctx, "partners", None, no_data(ctx))
    content = reused(ctx, "partners", None, lambda: [html.Div(_content(ctx), className="partners-page")])
    return shell(
        ctx,
        "partners",
        None,
        content,
        controls=nav_controls(ctx.values),
        pinned=partners_pinned(ctx.values, ctx.years, ctx.lang),
    )
