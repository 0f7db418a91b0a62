"""The Partners page's view state: its query-string controls and the links that
change them. No Dash here; shared by the layout and its callbacks.

Controls: `countries`, `types`, `themes` (sorted, comma-joined lists), `year`
(a filter: every year when absent), `q` (free text, searched in partner
names and acronyms) and `until` (a copied link's data cutoff: "every year" up
to it, pages/share.py). The page reads `year` itself rather than as the view year
of the other pages: there an absent year means the latest, here it means all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from components.labels import PARTNER_TYPES
from data_access import partners as data
from data_access import queries as q
from pages import ids, paths
from pages.share import key_control, with_cutoff
from pages.urlstate import CUTOFF_KEY, MAX_TEXT, Param, as_tuple, parse_param, parse_text, year_number
from pages.view import PageContext, resolve

SEARCH_KEY = "q"


def _lower(value: str) -> str:
    return value.strip().lower()


def _upper(value: object) -> str:
    return str(value).strip().upper()


def partner_params() -> list[Param]:
    """The list controls; their choices are what the database holds now."""
    return [
        Param(
            "countries",
            lambda: set(q.countries("en").iso3) | {c for c, _ in data.partner_filter_options("en").countries},
            multi=True,
            default=(),
            normalize=_upper,
        ),
        Param(
            "types",
            lambda: set(PARTNER_TYPES) | set(data.partner_filter_options("en").types),
            multi=True,
            default=(),
            normalize=_lower,
        ),
        Param(
            "themes",
            lambda: set(data.partner_filter_options("en").themes),
            multi=True,
            default=(),
            normalize=_lower,
        ),
    ]


# Any year with data is a valid filter (it may have no partner activity: the page says so).
YEAR_PARAM = Param("year", lambda: {str(y) for y in q.available_years()}, default=None)


def partners_context(query: Mapping[str, object]) -> PageContext:
    """The validated view of /partners: language, list controls, year and search.

    Notices cover every value that was left out; the year of the context is the
    year filter (None: all years), so the shell's links carry it only when chosen.
    """
    ctx = resolve(
        {k: v for k, v in query.items() if k not in ("year", SEARCH_KEY)}, partner_params(), cutoff=True
    )
    year, notices = parse_param(query, YEAR_PARAM)
    search, search_notices = parse_text(query, SEARCH_KEY, MAX_TEXT)
    values = {**ctx.values, "year": year, SEARCH_KEY: search}
    view = replace(
        ctx.view,
        year=int(year) if year else None,
        values=values,
        notices=ctx.view.notices + tuple(notices + search_notices),
    )
    return replace(ctx, view=view, query=dict(query))


def filters(values: Mapping[str, object]) -> dict[str, object]:
    """Keyword arguments of the data_access.partners queries for a view."""
    year, until = values.get("year"), values.get(CUTOFF_KEY)
    return {
        "countries": as_tuple(values.get("countries")),
        "types": as_tuple(values.get("types")),
        "themes": as_tuple(values.get("themes")),
        "search": values.get(SEARCH_KEY) or None,
        "year": int(year) if year else None,
        "until": int(str(until)) if until and not year else None,
    }


def canonical(values: Mapping[str, object]) -> dict[str, object]:
    """The view as its link writes it: sorted lists, search with single spaces, no empty values."""
    search = " ".join(str(values.get(SEARCH_KEY) or "").split())
    year = values.get("year")
    return {
        "countries": tuple(sorted({_upper(c) for c in as_tuple(values.get("countries"))})),
        "types": tuple(sorted(set(as_tuple(values.get("types"))))),
        "themes": tuple(sorted(set(as_tuple(values.get("themes"))))),
        "year": str(year) if year not in (None, "") else None,
        SEARCH_KEY: search or None,
        CUTOFF_KEY: values.get(CUTOFF_KEY) or None,
    }


def partners_link(values: Mapping[str, object], lang: str | None) -> str:
    """The link to /partners showing `values`, e.g. '/partners?countries=LBY,TUN&types=local_ngo&lang=fr'."""
    view = canonical(values)
    year = view.pop("year")
    return paths.partners_url(year_number(year), lang, **view)


def changed_link(values: Mapping[str, object], lang: str | None, **changes: object) -> str:
    """The same view with some controls changed (e.g. `q=` a partner's name)."""
    return partners_link({**values, **changes}, lang)


def cleared_link(values: Mapping[str, object], lang: str | None) -> str:
    """Every filter cleared; a pinned link's data cutoff is not a filter and stays."""
    return partners_link({CUTOFF_KEY: values.get(CUTOFF_KEY)}, lang)


def partners_pinned(values: Mapping[str, object], years: Sequence[int], lang: str) -> str:
    """The link Copy link copies (and a link preview's canonical address): the
    view, with the data cutoff written out when no year is chosen (pages/share.py)."""
    return partners_link(with_cutoff(values, not values.get("year"), years), lang)


def cutoff_year(values: Mapping[str, object]) -> str | None:
    """The year "every year" stops at, when the view shows every year up to it."""
    return None if values.get("year") else (values.get(CUTOFF_KEY) or None)


def nav_controls(values: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """The filters and search, for the browser (pages/share.py): the query key
    each sets and what it shows for `values` (a validated view)."""
    return {
        ids.PARTNERS_COUNTRIES: key_control("countries", values.get("countries")),
        ids.PARTNERS_TYPES: key_control("types", values.get("types")),
        ids.PARTNERS_THEMES: key_control("themes", values.get("themes")),
        ids.PARTNERS_YEAR: key_control("year", values.get("year")),
        ids.PARTNERS_SEARCH: key_control(SEARCH_KEY, values.get(SEARCH_KEY), text=True),
    }
