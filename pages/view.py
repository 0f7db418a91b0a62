"""What every page does first: validate the URL, pick the translator, build the shell."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dash import html
from flask import current_app, has_app_context

from components.formatting import format_day, format_number
from components.i18n import LANGUAGE_NAMES, get_translator
from components.notices import notice_alerts
from components.share_form import share_with_donor
from components.shell import AccountLinks, ShellIds, ShellLinks, page_shell
from components.synthetic_banner import synthetic_banner
from config import LANGUAGES, Settings
from data_access import queries as q
from data_access import share_links
from data_access.db import data_unavailable, database_missing, request_audience
from model.audience import Audience
from pages import ids, paths
from pages.content_memo import content_key, reused_content
from pages.contract import NOTICE, do_not_cache, signed_in_as
from pages.share import nav_state, pinned_link, share_target, shell_controls
from pages.urlstate import Param, ViewState, parse_view

log = logging.getLogger(__name__)

SHELL_IDS = ShellIds(
    view_state=ids.VIEW_STATE,
    navigate=ids.NAVIGATE,
    year_select=ids.YEAR_SELECT,
    country_select=ids.COUNTRY_SELECT,
    copy_link=ids.COPY_LINK,
    copy_status=ids.COPY_LINK_STATUS,
    copy_manual=ids.COPY_LINK_MANUAL,
    copy_manual_field=ids.COPY_LINK_FIELD,
)


@dataclass(frozen=True)
class PageContext:
    """The validated view of a page plus what its layout needs to render."""

    view: ViewState
    years: list[int]
    # Whether the URL named the year: links to other pages carry it only then,
    # so a page opened without one sends readers to each page's own default.
    year_chosen: bool = False
    # The query keys as the layout received them: Copy link waits until the
    # address asks for the view on screen (pages/share.py).
    query: Mapping[str, object] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.view.lang

    @property
    def year(self) -> int | None:
        return self.view.year

    @property
    def link_year(self) -> int | None:
        """The year links to other pages carry: the chosen one, else none."""
        return self.view.year if self.year_chosen else None

    @property
    def values(self) -> Mapping[str, object]:
        """The page's own controls, validated (see pages/urlstate.Param)."""
        return self.view.values

    @property
    def t(self):
        return get_translator(self.view.lang)


def _settings() -> Settings:
    return current_app.config["COMPASS_SETTINGS"]


def resolve(
    query: Mapping[str, object],
    params: Sequence[Param] = (),
    page_years: Sequence[int] | None = None,
    cutoff: bool = False,
) -> PageContext:
    """Parse a page's query string (year, language and the page's own controls;
    `cutoff`: the data cutoff `until` too, see pages/share.py).

    Without a year in the URL the page opens on its own latest year with
    figures (`page_years`, ascending; the latest year with a programme-wide
    headline figure when None or empty); DEFAULT_YEAR wins when it is one of them."""
    settings = _settings()
    years = q.available_years()
    view = parse_view(
        query, years, _default_year(settings, years, page_years), settings.default_language, params, cutoff
    )
    if view.notices:
        do_not_cache(NOTICE)  # shown, not stored: only canonical views fill the response cache
    chosen = view.year is not None and str(query.get("year") or "").strip() == str(view.year)
    return PageContext(view=view, years=years, year_chosen=chosen, query=dict(query))


def _default_year(settings: Settings, years: Sequence[int], page_years: Sequence[int] | None) -> int | None:
    own = [y for y in page_years or () if y in years]
    if own:
        return settings.default_year if settings.default_year in own else own[-1]
    if settings.default_year in years:
        return settings.default_year
    return q.headline_year() or (years[-1] if years else None)


def shell(
    ctx: PageContext,
    page: str,
    iso3: str | None,
    content: list,
    *,
    controls: Mapping[str, Mapping[str, object]] | None = None,
    defaults: Mapping[str, str] | None = None,
    pinned: str | None = None,
    path: str | None = None,
) -> html.Div:
    """The page frame for `ctx`, with links that keep the view in other languages.

    `controls`: the page's own controls, as pages/share.py describes them (the
    navbar's selects are added here); `defaults`: values its links leave out;
    `pinned`: the link Copy link copies (default: the view with its year);
    `path`: the path this view answers ("" for any: a not-found page)."""
    if ctx.view.notices:  # (a page may add notices of its own after resolve: /partners)
        do_not_cache(NOTICE)
    t = ctx.t
    fallbacks = {
        "year": str(ctx.year) if ctx.year else "",
        "lang": LANGUAGE_NAMES[ctx.lang],
    }
    year, lang = ctx.link_year, ctx.lang
    links = ShellLinks(
        home=paths.overview_url(year, lang),
        pages=(
            # No year: the explorer has its own years control (all years unless chosen there).
            ("indicators", t("Indicators"), paths.indicators_url(None, lang)),
            # No year: on /partners the year is a filter (all years unless chosen there).
            ("partners", t("Partners"), paths.partners_url(None, lang)),
            ("data", t("Data"), paths.data_url(year, lang)),
        ),
        languages={code: paths.view_url(page, iso3, year, code, ctx.values) for code in LANGUAGES},
    )
    updated = q.data_updated_on()
    footer = (
        t(
            "Figures are shown as their sources publish them, with qualifiers; where sources disagree, "
            "each figure is shown with its own source."
        )
        + " "
        + t("Data version {version}, updated {date}.").format(
            version=format_number(q.data_version(), ctx.lang),
            date=format_day(updated, ctx.lang) if updated else "\u2013",
        )
    )
    countries = q.countries(ctx.lang)
    values = _jsonable(ctx.values)
    view_path = paths.view_path(page, iso3)
    nav = nav_state(
        view_path,
        ctx.link_year,
        ctx.lang,
        values,
        {
            **shell_controls(
                ids.YEAR_SELECT, ids.COUNTRY_SELECT, ctx.year, iso3, countries.iso3, ctx.link_year, ctx.lang
            ),
            **(controls or {}),
        },
        defaults,
    )
    pinned_url = pinned_link(page, iso3, ctx.year, ctx.lang, ctx.values) if pinned is None else pinned
    target = share_target(
        pinned_url,
        view_path if path is None else path,
        ctx.query,
        ctx.values.keys(),
    )
    audience = request_audience()
    back = target.pinned or paths.overview_url(None, ctx.lang)
    account = AccountLinks(
        email=signed_in_as(),
        sign_in=paths.login_url(ctx.lang, back),
        sign_out=paths.logout_url(ctx.lang, back),
    )
    return page_shell(
        locked=shared_view_note(audience, ctx.lang) if audience.is_link else None,
        staff_tools=[share_with_donor(pinned_url, ctx.lang, t)] if audience.is_staff and pinned_url else None,
        content=content,
        lang=ctx.lang,
        t=t,
        page=page,
        year=ctx.year,
        years=ctx.years,
        iso3=iso3,
        countries=countries,
        links=links,
        ids=SHELL_IDS,
        notices=notice_alerts(ctx.view.notices, t, fallbacks),
        footer_note=footer,
        nav=nav,
        share=target,
        account=account,
    )


def shared_view_note(audience: Audience, lang: str) -> str:
    """'Shared view · expires 3 Jan 2027': the line a donor link's reader sees."""
    t = get_translator(lang)
    expires = share_links.request_link_expiry(audience.link_id)
    if expires is None:
        return t("Shared view")
    return t("Shared view \u00b7 expires {date}").format(date=format_day(expires.date(), lang))


def reused(ctx: PageContext, page: str, iso3: str | None, build: Callable[[], list]) -> list:
    """`build()`: the content of `ctx`'s canonical view, built once per process and
    data version (pages/content_memo.py), so that a link with a notice costs the
    shell, not the page. `build` may read only what the key names: the page, the
    country, the language, the year and the page's validated controls."""
    return reused_content(content_key(page, iso3, ctx.lang, ctx.year, ctx.year_chosen, ctx.values), build)


def no_data(ctx: PageContext) -> list:
    """Content for a database with no figures at all (before the first load)."""
    return _no_data_content(ctx.t)


def _no_data_content(t) -> list:
    return [
        html.H1(t("COMPASS programme results")),
        html.P(t("No data has been loaded yet. Run \u201cmake db\u201d to load the reference data.")),
    ]


def guarded(layout: Callable[..., html.Div]) -> Callable[..., html.Div]:
    """Wrap a page layout: an unexpected failure (database down, a bug) is logged
    with its traceback on the server and the reader gets a short message; a
    database that did not answer in time (PAGE_STATEMENT_TIMEOUT_MS, a locked
    table) is said to be temporarily unavailable."""

    @functools.wraps(layout)
    def wrapper(*args, **kwargs) -> html.Div:
        try:
            return layout(*args, **kwargs)
        except Exception as exc:
            do_not_cache()
            lang = kwargs.get("lang") if kwargs.get("lang") in LANGUAGES else "en"
            t = get_translator(lang)
            if database_missing():
                log.warning("page layout: the database file is missing: %s", exc)
                return html.Div(_no_data_content(t), className="container py-4")
            if data_unavailable(exc):
                log.warning("page layout: data unavailable: %s %s: %s", layout.__module__, kwargs, exc)
                message = t("The data is temporarily unavailable. Please try again in a minute.")
            else:
                log.exception("page layout failed: %s %s", layout.__module__, kwargs)
                message = t("Something went wrong on our side. Please try again in a moment.")
            return html.Div(
                [
                    html.H1(t("This page could not be shown"), className="h3"),
                    html.P(message),
                    html.A(t("Go to the overview"), href=paths.overview_url(lang=lang)),
                ],
                className="container py-4 page-error",
                role="alert",
            )

    return wrapper


def _jsonable(values: Mapping[str, object]) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def synthetic_notice() -> list[html.Div]:
    """[the synthetic-data banner] when any synthetic figure is loaded, else [].

    One cached lookup keyed by the data version, so the banner appears and
    disappears with the load that changed it. Outside a request (Dash may build
    the layout once at start-up) or when the database cannot answer, no
    banner: the page itself says what is wrong."""
    if not has_app_context():
        return []
    try:
        shown = q.has_synthetic_data()
    except Exception as exc:  # noqa: BLE001 - the frame of every page must always render
        log.warning("could not tell whether synthetic data is loaded: %s", exc)
        return []
    return [synthetic_banner(ids.SYNTHETIC_BANNER)] if shown else []
