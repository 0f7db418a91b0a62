"""The frame of every page: skip link, navigation bar with country picker, year
filter and language switch, notices, content and footer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.i18n import LANGUAGE_NAMES


@dataclass(frozen=True)
class ShellLinks:
    """Links the shell needs, built by the routes module for the current view."""

    home: str
    pages: tuple[tuple[str, str, str], ...]  # (page key, label, href) of the navbar's page links
    languages: dict[str, str]  # lang -> same view in that language


@dataclass(frozen=True)
class ShellIds:
    """Component IDs of the shell's controls (owned by the navigation callbacks)."""

    view_state: str
    navigate: str  # the dcc.Location the controls' callbacks write a new URL to
    year_select: str
    country_select: str
    copy_link: str


def _language_switch(lang: str, links: ShellLinks, t: Callable[[str], str]) -> html.Nav:
    items = []
    for code, href in links.languages.items():
        current = code == lang
        items.append(
            dcc.Link(
                [
                    html.Span(code.upper(), lang=code),
                    html.Span(" " + t("(current)") if current else "", className="visually-hidden"),
                ],
                href=href,
                className="btn btn-sm " + ("btn-light" if current else "btn-outline-light"),
                title=LANGUAGE_NAMES[code],
            )
        )
    return html.Nav(items, className="d-flex gap-1 lang-switch", **{"aria-label": "Language / Langue"})


def _page_links(page: str, links: ShellLinks, t: Callable[[str], str]) -> html.Nav:
    items = []
    for key, text, href in links.pages:
        if key == page:  # dcc.Link takes no aria attributes: the current page is a plain <a>
            items.append(
                html.A(text, href=href, className="nav-link active px-2", **{"aria-current": "page"})
            )
        else:
            items.append(dcc.Link(text, href=href, className="nav-link px-2"))
    return html.Nav(items, className="navbar-nav flex-row flex-wrap page-links", **{"aria-label": t("Pages")})


def page_section(title: str, children: list, section_id: str, title_hidden: bool = False) -> html.Section:
    """A titled part of a page, named by its heading for screen readers; `section_id`
    is its anchor (and its heading's id with '-title'). `title_hidden`: the heading
    is for screen readers only (cards whose own titles say it all to the eye), and
    keeps the outline h1 > h2 > h3 without a jump."""
    heading_id = f"{section_id}-title"
    heading_class = "visually-hidden" if title_hidden else "h4 mt-4"
    return html.Section(
        [html.H2(title, id=heading_id, className=heading_class)] + children,
        **{"aria-labelledby": heading_id},
        id=section_id,
    )


def copy_link_button(component_id: str, t: Callable[[str], str]) -> dcc.Clipboard:
    """Copies the address of the current view (which holds every control)."""
    return dcc.Clipboard(
        id=component_id,
        children=t("Copy link"),
        copied_children=t("Link copied"),
        title=t("Copy a link to this view"),
        className="btn btn-sm btn-outline-light copy-link",
    )


def _controls(
    lang: str,
    year: int | None,
    years: Sequence[int],
    iso3: str | None,
    countries: pd.DataFrame,
    ids: ShellIds,
    t: Callable[[str], str],
) -> html.Div:
    country_options = [
        {"label": name, "value": code} for code, name in zip(countries.iso3, countries.name, strict=True)
    ]
    year_options = [{"label": str(y), "value": str(y)} for y in sorted(years, reverse=True)]
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label(t("Country"), html_for=ids.country_select, className="visually-hidden"),
                    dbc.Select(
                        id=ids.country_select,
                        options=country_options,
                        value=iso3 or "",
                        placeholder=t("Choose a country\u2026"),
                        size="sm",
                    ),
                ],
                className="nav-control",
            ),
            html.Div(
                [
                    dbc.Label(t("Year"), html_for=ids.year_select, className="visually-hidden"),
                    dbc.Select(
                        id=ids.year_select, options=year_options, value=str(year) if year else None, size="sm"
                    ),
                ],
                className="nav-control nav-control-year",
            ),
        ],
        className="d-flex flex-wrap gap-2 align-items-center",
    )


def page_shell(
    *,
    content: list,
    lang: str,
    t: Callable[[str], str],
    page: str,
    year: int | None,
    years: Sequence[int],
    iso3: str | None,
    countries: pd.DataFrame,
    links: ShellLinks,
    ids: ShellIds,
    notices: html.Div | None,
    footer_note: str,
    values: dict | None = None,
    year_in_links: bool = True,
) -> html.Div:
    """Wrap a page's content in the shared frame.

    `year_in_links` False (the URL named no year): the navigation keeps no year
    either, so picking a country opens that country on its own default year."""
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dcc.Link(
                    [html.Span("COMPASS", className="fw-bold"), html.Span(" " + t("Dashboard"))],
                    href=links.home,
                    className="navbar-brand",
                ),
                _page_links(page, links, t),
                html.Div(
                    [
                        _controls(lang, year, years, iso3, countries, ids, t),
                        _language_switch(lang, links, t),
                        copy_link_button(ids.copy_link, t),
                    ],
                    className="d-flex flex-wrap gap-2 align-items-center ms-auto",
                ),
            ],
            fluid=True,
            className="gap-2",
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )
    # What the navigation callbacks need to rebuild this view's URL with a change.
    state = {
        "page": page,
        "iso3": iso3,
        "year": year if year_in_links else None,
        "lang": lang,
        "values": values or {},
    }
    return html.Div(
        [
            html.A(t("Skip to content"), href="#main", className="visually-hidden-focusable skip-link"),
            # In the page, not the app's frame: a callback whose output is already on the
            # screen when its inputs arrive runs at once, prevent_initial_call or not
            # (a request per page load for nothing).
            dcc.Location(id=ids.navigate, refresh="callback-nav"),
            dcc.Store(id=ids.view_state, data=state),
            html.Header(navbar),
            dbc.Container(
                [notices, html.Main(content, id="main", tabIndex="-1")]
                if notices
                else [html.Main(content, id="main", tabIndex="-1")],
                fluid="lg",
            ),
            html.Footer(
                dbc.Container(html.P(footer_note, className="small text-body-secondary mb-0"), fluid="lg"),
                className="py-3 mt-4 border-top",
            ),
        ],
        lang=lang,
        className="compass-page",
    )
