"""The view a donor link shows, and whether a request stays inside it (issue 15).

A donor link is stored with one view, "PATH?QUERY", written as the view's
pinned link writes it (pages/share.py): the page, its year and every control
written out. `canonical_view` validates such an address (the page must exist,
its query must carry no notice) and writes it canonically; `ViewKey`s are what
two addresses are compared on: the page's path (a country's code in capitals),
the year it shows and its validated controls, never the language and never the
raw text, so `/countries/lby?lang=fr&year=2022` is the view of
`/countries/LBY?year=2022&lang=en`.

The delivery layer (web/donor_links.py) asks `view_key` for a page or a page
callback, `export_key` for a file under /export/ and `preview_key` for a link
preview, and compares each with the link's own key: anything else is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from components.notices import refusal_template
from data_access import queries as q
from pages import identity, paths
from pages.indicators_view import canonical as explorer_canonical
from pages.previews import image_pathname
from pages.share import pinned_link
from pages.view import PageContext

COUNTRY_ROUTE = paths.COUNTRY.strip("/")
# Route (as pages/identity.py names it) -> page name (as pages/share.py names it).
PAGE_NAMES = {
    paths.OVERVIEW.strip("/"): "overview",
    COUNTRY_ROUTE: "country",
    paths.DATA.strip("/"): "data",
    paths.INDICATORS.strip("/"): "indicators",
    paths.PARTNERS.strip("/"): "partners",
}
# Controls that change how an export draws or orders the view's figures, not which.
EXPLORER_PRESENTATION = frozenset({"chart", "sort", "scale"})
OVERVIEW_DATASETS = frozenset({"programme-figures", "coverage", "activities", "country-figures"})
OVERVIEW_FIGURES = frozenset({"coverage-map", "country-figures"})


class BadView(ValueError):
    """An address that is not a view a link can show; the message says why."""


@dataclass(frozen=True)
class ViewKey:
    """What a view shows: page path, year and controls (no language)."""

    path: str
    year: int | None
    values: tuple[tuple[str, object], ...]

    def without(self, keys: frozenset[str]) -> ViewKey:
        return ViewKey(self.path, self.year, tuple((k, v) for k, v in self.values if k not in keys))


def split_address(address: str) -> tuple[str, dict[str, object]]:
    """(path, query keys as Dash hands them to layouts) of "PATH?QUERY" or of a
    full URL of the dashboard."""
    parts = urlsplit(address.strip())
    path = parts.path or "/"
    return path, identity.parse_search("?" + parts.query) if parts.query else {}


def _frozen(value: object) -> object:
    return (
        tuple(sorted(str(v) for v in value)) if isinstance(value, list | tuple | set | frozenset) else value
    )


def _key(route: str, variables: Mapping[str, str], ctx: PageContext) -> ViewKey:
    path = "/" + route
    for name, value in variables.items():
        path = path.replace(f"<{name}>", value.strip().upper())
    values = ctx.values
    year = ctx.year
    if route == paths.INDICATORS.strip("/"):
        values, year = explorer_canonical(values), None  # the explorer's years control, not `year`
    kept = tuple(
        sorted((k, _frozen(v)) for k, v in values.items() if v not in (None, "", ()) and k != "year")
    )
    return ViewKey(path, year, kept)


def view_key(pathname: str, query: Mapping[str, object]) -> ViewKey | None:
    """The key of the page at `pathname` for `query`; None for a path no page has,
    or a query that overrides a path variable (Dash lets it: not a view)."""
    found = identity.view_of(pathname, query)
    if found is None:
        return None
    route, variables, ctx = found
    if any(name in query for name in variables):
        return None
    return _key(route, variables, ctx)


def canonical_view(address: str) -> str:
    """`address` ("PATH?QUERY") written as its pinned link writes it, or BadView
    saying what is wrong: no such page, an unknown country, a query with a
    notice (unknown key, bad value), or no data."""
    if not isinstance(address, str) or not address.strip():
        raise BadView("give the view as a path and query, such as /countries/LBY?year=2022")
    path, query = split_address(address)
    found = identity.view_of(path, query)
    if found is None or not path.startswith("/"):
        raise BadView(f"no page at {path[:80]!r}: use /, /countries/<ISO3>, /indicators, /partners or /data")
    route, variables, ctx = found
    if any(name in query for name in variables):
        raise BadView(f"the query may not set {', '.join(sorted(variables))}")
    if ctx.view.notices:
        problems = " ".join(refusal_template(n).format(key=n.key, value=n.value) for n in ctx.view.notices)
        raise BadView(f"the query of {address.strip()[:120]!r} is not valid: {problems}")
    iso3 = variables.get("iso3", "").strip().upper() or None
    if iso3 is not None and iso3 not in set(q.countries("en").iso3):
        raise BadView(f"{iso3[:40]!r} is not a COMPASS country")
    if not ctx.years or (route != paths.PARTNERS.strip("/") and ctx.year is None):
        raise BadView("there is no data to show yet")
    return pinned_view(route, iso3, ctx)


def pinned_view(route: str, iso3: str | None, ctx: PageContext) -> str:
    """The view as its page's Copy link writes it (pages/share.py): its year and
    controls written out."""
    page = PAGE_NAMES[route]
    if page == "overview":
        from pages.overview_map import overview_pinned  # the Overview's own pinned link (its map)

        return overview_pinned(ctx)
    if page == "indicators":
        return paths.indicators_url(None, ctx.lang, **explorer_canonical(ctx.values))
    if page == "partners":
        return pinned_link(page, None, ctx.year, ctx.lang, ctx.values)
    return pinned_link(page, iso3, ctx.year, ctx.lang, {})


def export_key(rest: str, query: Mapping[str, object]) -> tuple[ViewKey, frozenset[str]] | None:
    """The page view a file under /export/<rest> belongs to, and the controls of
    that view the file does not depend on; None for an address no page offers."""
    parts = rest.split("/")
    stem = parts[-1].rsplit(".", 1)[0] if "." in parts[-1] else None
    if stem is None or len(parts) > 2:
        return None
    country = query.get("country")
    own = {k: v for k, v in query.items() if k != "country"}
    if len(parts) == 2 and parts[0] == "brief":
        return _page_key(f"/countries/{stem}", query, frozenset())
    if len(parts) == 2 and parts[0] != "figure":
        return None
    figure = len(parts) == 2
    if stem == "explorer":
        return _page_key(paths.INDICATORS, query, EXPLORER_PRESENTATION)
    if stem == "partners" and not figure:
        return _page_key(paths.PARTNERS, query, frozenset())
    if stem == "results-map" and figure:
        return _page_key(paths.OVERVIEW, query, frozenset())
    if stem == "country-figures" and isinstance(country, str) and country:
        return _page_key(f"/countries/{country}", own, frozenset())
    if stem == "activities" and not figure and isinstance(country, str) and country:
        return _page_key(f"/countries/{country}", own, frozenset())
    if country is None and stem in (OVERVIEW_FIGURES if figure else OVERVIEW_DATASETS):
        return _page_key(paths.OVERVIEW, query, frozenset({"map"}))
    return None


def preview_key(name: str, query: Mapping[str, object]) -> ViewKey | None:
    """The view a link-preview image (/preview/<name>.png) draws."""
    pathname = image_pathname(name)
    return view_key(pathname, query) if pathname else None


def _page_key(
    pathname: str, query: Mapping[str, object], ignored: frozenset[str]
) -> tuple[ViewKey, frozenset[str]] | None:
    key = view_key(pathname, query)
    return None if key is None else (key.without(ignored), ignored)
