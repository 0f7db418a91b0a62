"""The frame of every page: skip link, navigation bar with country picker, year
filter and language switch, notices, content and footer."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.i18n import LANGUAGE_NAMES, LANGUAGE_SWITCH_LABEL, text_direction


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
    copy_status: str  # the live region that says "Link copied"
    copy_manual: str  # the box showing the link when no clipboard works
    copy_manual_field: str  # its read-only field


@dataclass(frozen=True)
class ShareTarget:
    """What Copy link copies, and the URL the view on screen was rendered for."""

    pinned: str  # path + canonical query, the year and moving defaults written out
    path: str  # the path the router rendered ("" for any)
    # The query keys the layout received; None for a key the view does not read
    # (only its presence counts: links that differ in such junk share a render).
    asked: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountLinks:
    """The navbar's account corner: who is signed in (None: nobody), where to sign in
    or out (plain server pages, web/auth.py: full page loads, not Dash routes)."""

    email: str | None
    sign_in: str
    sign_out: str


def account_corner(account: AccountLinks, t: Callable[[str], str]) -> html.Div:
    """ "Sign in" for the public; "Signed in as EMAIL" and a "Sign out" button for staff, signing
    out with a POST form (a link could be followed by anyone's page)."""
    if not account.email:
        return html.Div(
            html.A(t("Sign in"), href=account.sign_in, className="btn btn-sm btn-outline-light"),
            className="account-corner",
        )
    return html.Div(
        html.Form(
            [
                html.Span(t("Signed in as {email}").format(email=account.email), className="account-email"),
                html.Button(t("Sign out"), type="submit", className="btn btn-sm btn-outline-light"),
            ],
            method="post",
            action=account.sign_out,
            # Side by side, or on a phone the button under the email: no separator to strand.
            className="d-flex flex-wrap align-items-center gap-2 mb-0",
        ),
        className="account-corner text-white small",
    )


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
    return html.Nav(items, className="d-flex gap-1 lang-switch", **{"aria-label": LANGUAGE_SWITCH_LABEL})


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


def copy_link_button(ids: ShellIds, target: ShareTarget, t: Callable[[str], str]) -> list:
    """A button that copies the pinned link of the view on screen, once the
    address and the view agree (assets/compass_nav.js); a live region that says
    so, and a field showing the link where no clipboard can be written."""
    button = html.Button(
        html.Span(t("Copy link"), className="copy-link-text"),
        id=ids.copy_link,
        type="button",
        title=t("Copy a link to this view"),
        className="btn btn-sm btn-outline-light copy-link",
        **{
            "data-pinned": target.pinned,
            "data-path": target.path,
            "data-asked": json.dumps(target.asked, sort_keys=True),
            "data-label": t("Copy link"),
            "data-copied": t("Link copied"),
        },
    )
    status = html.Div(id=ids.copy_status, role="status", className="visually-hidden")
    return [button, status]


def copy_link_fallback(ids: ShellIds, t: Callable[[str], str]) -> html.Div:
    """Shown by the script only when no clipboard could be written: the link,
    selected, to copy by hand."""
    field_id = ids.copy_manual_field
    return html.Div(
        [
            html.Label(t("Copy this link:"), htmlFor=field_id, className="form-label mb-1 me-2"),
            html.Textarea(
                id=field_id, readOnly=True, rows=2, dir="ltr", className="form-control form-control-sm"
            ),
        ],
        id=ids.copy_manual,
        hidden=True,
        className="copy-link-manual container-lg py-2",
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
    nav: dict | None = None,
    share: ShareTarget | None = None,
    locked: str | None = None,
    staff_tools: list | None = None,
    account: AccountLinks | None = None,
) -> html.Div:
    """Wrap a page's content in the shared frame; `nav`: how its controls change
    the view (pages/share.py), `share`: what Copy link copies. `locked`: the
    line a donor link's reader sees ("Shared view · expires ..."): the frame then
    offers nothing that leaves the view (no page links, selects or Copy link),
    only the language switch. `staff_tools`: what staff get beside Copy link;
    `account`: the sign-in corner (not on a locked view)."""
    brand = [html.Span("COMPASS", className="fw-bold"), html.Span(" " + t("Dashboard"))]
    if locked:
        items = [
            html.Span(brand, className="navbar-brand"),
            html.Div([_language_switch(lang, links, t)], className="d-flex gap-2 align-items-center ms-auto"),
        ]
    else:
        items = [
            dcc.Link(brand, href=links.home, className="navbar-brand"),
            _page_links(page, links, t),
            html.Div(
                [
                    _controls(lang, year, years, iso3, countries, ids, t),
                    _language_switch(lang, links, t),
                    *copy_link_button(ids, share or ShareTarget(pinned="", path=""), t),
                    *(staff_tools or []),
                    *([account_corner(account, t)] if account else []),
                ],
                className="d-flex flex-wrap gap-2 align-items-center ms-auto",
            ),
        ]
    navbar = dbc.Navbar(
        dbc.Container(
            items,
            fluid=True,
            className="gap-2",
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )
    # The language and its direction (for <html lang dir>) and what the controls'
    # clientside callbacks need.
    state = {"lang": lang, "dir": text_direction(lang), "nav": nav or {}}
    return html.Div(
        [
            html.A(t("Skip to content"), href="#main", className="visually-hidden-focusable skip-link"),
            # In the page, not the app's frame: a callback whose output is already on the
            # screen when its inputs arrive runs at once, prevent_initial_call or not
            # (a request per page load for nothing).
            dcc.Location(id=ids.navigate, refresh="callback-nav"),
            dcc.Store(id=ids.view_state, data=state),
            html.Header([navbar, copy_link_fallback(ids, t), shared_view_banner(locked)]),
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
        className="compass-page locked-view" if locked else "compass-page",
    )


def shared_view_banner(note: str | None) -> html.Div | None:
    """The line above a donor link's view: "Shared view · expires 3 Jan 2027"."""
    if not note:
        return None
    return dbc.Container(html.P(note, className="shared-view-note mb-2", role="note"), fluid="lg")
