"""What a shared link says about itself before anyone opens it: title,
description, pinned address, language alternates and the address of its image.

Link unfurlers (Teams, Slack, e-mail clients, search engines) read the served
HTML and run no script, so everything here is computed on the server for the
view of the URL, through the same context functions as the page
(pages/identity.py) and the same cached queries. Only validated values reach
the text and links: a hostile query string falls back to the canonical view.

The *pinned* address is the view's canonical link with its year written out:
`/countries/LBY` opened in 2026 pins `/countries/LBY?year=2024&lang=en`, so a
preview keeps describing the figures the sender saw when a newer year is
published; the explorer's and Partners' "every year" is pinned by the data
cutoff `until` (pages/share.py), the same link as their Copy link. The delivery layer (web/previews.py) makes these absolute and writes
the tags; it also serves the image.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pandas as pd

from components.formatting import format_figure, format_period
from components.i18n import LIST_SEMICOLON, Translator, get_translator
from config import LANGUAGES
from data_access import catalog
from data_access import partners as partner_data
from data_access import queries as q
from pages import identity, paths
from pages.contract import page_query
from pages.indicators_view import explorer_frame, explorer_pinned
from pages.overview_map import overview_pinned
from pages.partners_view import filters as partner_filters
from pages.partners_view import partners_pinned
from pages.share import pinned_link as share_pinned
from pages.titles import DESCRIPTION as FALLBACK
from pages.titles import NOT_FOUND, country_name, default_language, titled
from pages.view import PageContext

log = logging.getLogger(__name__)

DESCRIPTION_CHARS = 160  # what search results and unfurlers show before cutting
PREVIEW_PREFIX = "/preview/"  # the image route: /preview/<page>.png?<pinned query> (web/previews.py)
OVERVIEW_IMAGE = "overview"  # the Overview's name in that route ("/" has no name of its own)
COUNTRY_ROUTE = paths.COUNTRY.strip("/")
_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Preview:
    """A view as a link preview describes it; addresses are paths with their query."""

    lang: str
    title: str
    description: str
    pinned: str | None = None  # None: no page at this address (no canonical link)
    alternates: Mapping[str, str] = field(default_factory=dict)  # lang -> pinned link in it
    image: str | None = None  # the preview image's path + query; None: the fallback image
    image_alt: str = ""


def cut_at_word(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """`text` on one line, at most `limit` characters, cut between words with an ellipsis."""
    text = _SPACES.sub(" ", text).strip()  # no-break spaces stay: French "7 000", "Libye :"
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(",;:\u00b7 ") + "\u2026"


# --- pinned links ----------------------------------------------------------------------------------


def pinned_link(route: str, variables: Mapping[str, str], ctx: PageContext, lang: str | None = None) -> str:
    """The view's pinned link, the one its Copy link copies (pages/share.py; the
    Overview's names its map's indicator too), so a preview's canonical address
    and a copied link never differ. `lang`: the same view in another language."""
    lang = lang or ctx.lang
    if route == COUNTRY_ROUTE:
        return share_pinned("country", variables.get("iso3", ""), ctx.year, lang, ctx.values)
    page = next((name for name, path in paths.PAGE_PATHS.items() if path.strip("/") == route), "overview")
    if page == "overview":
        return overview_pinned(ctx, lang)
    if page == "indicators":
        return explorer_pinned(ctx.values, ctx.years, lang)
    if page == "partners":
        return partners_pinned(ctx.values, ctx.years, lang)
    return share_pinned(page, None, ctx.year, lang, ctx.values)


def image_link(pinned: str) -> str:
    """The preview image of a pinned link: '/countries/LBY?year=2022&lang=fr' ->
    '/preview/countries/LBY.png?year=2022&lang=fr'."""
    parts = urlsplit(pinned)
    name = parts.path.strip("/") or OVERVIEW_IMAGE
    return f"{PREVIEW_PREFIX}{name}.png" + (f"?{parts.query}" if parts.query else "")


def image_pathname(name: str) -> str | None:
    """The page path an image name stands for ('overview' -> '/', 'countries/LBY' ->
    '/countries/LBY'); None for a name no page has."""
    if not name or "//" in name or name.startswith("/") or len(name) > 80:
        return None
    return paths.OVERVIEW if name == OVERVIEW_IMAGE else "/" + name


# --- the preview of a view --------------------------------------------------------------------------


def page_preview(pathname: str, query: Mapping[str, object], described: bool = True) -> Preview:
    """The preview of the page at `pathname` for `query` (keys as Dash hands them
    to layouts), in the view's language; without `described`, the
    title alone (the browser tab's, no figure read). Never raises: a view that
    cannot be read gets the dashboard's own title and description."""
    try:
        found = identity.view_of(pathname, query)
    except Exception as exc:  # noqa: BLE001 - the page itself tells the reader; a preview stays generic
        log.warning("link preview of %s without data: %s", pathname[:100], exc)
        return _generic(query)
    if found is None or pathname.rstrip("/").endswith("/404"):
        return _not_found(query)
    route, variables, ctx = found
    t = get_translator(ctx.lang)
    try:
        title, describe = _page(route, variables, ctx, t)
        if title is None:  # an unknown country: the page lists the 14
            return Preview(ctx.lang, titled(t("Country not found"), t), t(FALLBACK))
        description, drawn = describe() if described else ("", False)
    except Exception as exc:  # noqa: BLE001 - as above
        log.warning("link preview of %s without figures: %s", pathname[:100], exc)
        return _generic(query, ctx.lang)
    pinned = pinned_link(route, variables, ctx)
    return Preview(
        lang=ctx.lang,
        title=titled(title, t),
        description=cut_at_word(description or t(FALLBACK)),
        pinned=pinned,
        alternates={lang: pinned_link(route, variables, ctx, lang) for lang in LANGUAGES},
        image=image_link(pinned) if drawn else None,
        # Without a chart the fallback card is shown: it says what the dashboard is.
        image_alt=t("Chart: {title}").format(title=title) if drawn else t(FALLBACK),
    )


def route_title(route: str) -> Callable[..., str]:
    """A page's `title` for Dash's pages feature: Dash calls it with the path
    variables alone, so the query is asked of the delivery layer (page_query);
    the same title as the served HTML's (page_preview)."""

    def title(**variables: object) -> str:
        pathname = route
        for name, value in variables.items():
            pathname = pathname.replace(f"<{name}>", str(value) if value is not None else "")
        return page_preview(pathname, page_query(), described=False).title

    return title


def _lang_of(query: Mapping[str, object]) -> str:
    raw = query.get("lang")
    value = raw.strip().lower() if isinstance(raw, str) else ""
    return value if value in LANGUAGES else ""


def _not_found(query: Mapping[str, object]) -> Preview:
    lang = _lang_of(query) or default_language()
    t = get_translator(lang)
    return Preview(lang, titled(t(NOT_FOUND), t), t(FALLBACK))


def _generic(query: Mapping[str, object], lang: str = "") -> Preview:
    lang = lang or _lang_of(query) or default_language()
    t = get_translator(lang)
    return Preview(lang, titled(None, t), t(FALLBACK))


Described = Callable[[], tuple[str, bool]]  # () -> (description, whether a chart is drawn)


def _page(
    route: str, variables: Mapping[str, str], ctx: PageContext, t: Translator
) -> tuple[str | None, Described]:
    """(page title, its description when asked) of a view; None: no such country."""
    if route == COUNTRY_ROUTE:
        return _country(variables.get("iso3", ""), ctx, t)
    if route == paths.INDICATORS.strip("/"):
        return _explorer(ctx, t)
    if route == paths.PARTNERS.strip("/"):
        return t("Partners"), lambda: _partners(ctx, t)
    if route == paths.DATA.strip("/"):
        return t("Data"), lambda: _data(t)
    return _overview(ctx, t)


def figure_list(rows: pd.DataFrame, lang: str, t: Translator) -> str:
    """'Migrants reached by ambassadors: more than 7,000; MHPSS training sessions: 8':
    one figure per indicator (the first the page lists; it shows them all), with
    its qualifier, and its period when it spans several years."""
    items: dict[str, str] = {}
    columns = ("indicator_code", "indicator_name", "value", "qualifier", "unit", "period_start", "period_end")
    # Plain columns, not itertuples: a results frame is wide, and this runs on every index page.
    for code, name, value, qualifier, unit, start, end in zip(*(rows[c] for c in columns), strict=True):
        if code in items:
            continue
        figure = format_figure(value, qualifier, unit, lang)
        period = f" ({format_period(start, end)})" if start.year != end.year else ""
        items[code] = t("{label}: {value}").format(label=name, value=figure + period)
    return t(LIST_SEMICOLON).join(items.values())


def _country(iso3: str, ctx: PageContext, t: Translator) -> tuple[str | None, Described]:
    code = iso3.strip().upper()
    known = len(code) == 3 and code.isascii() and code.isalpha() and code in set(q.countries("en").iso3)
    if not known or ctx.year is None:
        return None, lambda: ("", False)
    name = country_name(code, ctx.lang)
    title = t("{country} \u00b7 {year}").format(country=name, year=ctx.year)
    return title, lambda: _country_description(code, name, ctx, t)


def _country_description(code: str, name: str, ctx: PageContext, t: Translator) -> tuple[str, bool]:
    rows = q.country_results(code, ctx.year, ctx.lang, breakdowns=False, programme_facts=False)
    if rows.empty:
        text = t("{country}, {year}: no result of IOM's COMPASS programme was published for this year.")
        return text.format(country=name, year=ctx.year), False
    count = len(set(zip(rows.indicator_code, rows.period_start, rows.period_end, strict=True)))
    head = t.plural(
        "{country}, {year}: {count} published result of IOM's COMPASS programme, with its source:",
        "{country}, {year}: {count} published results of IOM's COMPASS programme, each with its source:",
        count,
    ).format(country=name, year=ctx.year, count=count)
    return f"{head} {figure_list(rows, ctx.lang, t)}", True


def _overview(ctx: PageContext, t: Translator) -> tuple[str | None, Described]:
    if ctx.year is None:
        return t("COMPASS programme results"), lambda: (t(FALLBACK), False)
    title = t("Results, {year}").format(year=ctx.year)
    return title, lambda: _overview_description(ctx, t)


def _overview_description(ctx: PageContext, t: Translator) -> tuple[str, bool]:
    rows = q.programme_results(ctx.year, ctx.lang, breakdowns=False)
    headline = rows[rows.headline.notna()]
    figures = figure_list(headline if not headline.empty else rows, ctx.lang, t)
    if not figures:
        return t(FALLBACK), True
    head = t("{year}: headline results of IOM's COMPASS programme, each with its source:").format(
        year=ctx.year
    )
    return f"{head} {figures}", True


def _explorer(ctx: PageContext, t: Translator) -> tuple[str | None, Described]:
    codes = [str(c) for c in ctx.values.get("indicators") or ()]
    if ctx.year is None or not codes:
        return t("Indicators"), lambda: (t(FALLBACK), False)
    definitions = catalog.indicator_definitions(ctx.lang)
    names = dict(zip(definitions.code, definitions.name, strict=True))
    chosen = [names.get(code, code) for code in codes]
    shown = chosen[0] if len(chosen) == 1 else f"{chosen[0]} (+{len(chosen) - 1})"
    return t("Indicators: {indicators}").format(indicators=shown), lambda: _explorer_description(
        ctx, t, shown
    )


def _explorer_description(ctx: PageContext, t: Translator, shown: str) -> tuple[str, bool]:
    count = len(explorer_frame(ctx.values, ctx.lang))
    text = t.plural(
        "{indicators}: {count} published figure of IOM's COMPASS programme, by country and year, "
        "with its source.",
        "{indicators}: {count} published figures of IOM's COMPASS programme, by country and year, "
        "each with its source.",
        count,
    ).format(indicators=shown, count=count)
    return text, count > 0


def _partners(ctx: PageContext, t: Translator) -> tuple[str, bool]:
    count = len(partner_data.partner_directory(ctx.lang, **partner_filters(ctx.values)))
    text = t.plural(
        "{count} partner of IOM's COMPASS programme, with its countries, themes and activities, "
        "each with its source.",
        "{count} partners of IOM's COMPASS programme, with their countries, themes and activities, "
        "each with its source.",
        count,
    ).format(count=count)
    return text, True


def _data(t: Translator) -> tuple[str, bool]:
    text = t(
        "Where every figure of IOM's COMPASS programme comes from: data version {version}, "
        "{count} source documents, the import history and every indicator's definition."
    )
    return text.format(version=q.data_version(), count=len(catalog.source_list("en"))), True
