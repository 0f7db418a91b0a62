"""What the browser needs to change the view and to share it, computed here.

A control change costs one request: the browser writes the new URL itself
(assets/compass_nav.js, a clientside callback) and Dash's pages router renders
it. So that the browser never re-implements the URL rules, each rendered view
ships (in the shell's view-state Store, `nav_state`):

- its canonical query as ordered (key, text) pairs, the order of every key a
  link may carry, and the values a link leaves out (`defaults`);
- for each control, either the query key it sets (`key_control`; the browser
  sorts and comma-joins a list, collapses white space in a text, and drops an
  empty or default value) or, for a control that changes the page itself (the
  country select), a map of each option to its URL (`url_control`); with the
  value the control shows, so a control that sends what it shows changes nothing.

The router still validates whatever URL arrives (a forged one gets notices).

The Copy link button copies `pinned_link`: the view with its year and every
default that new data could move written out (a country's year, the
Overview's year and map indicator), so a link sent to a donor keeps showing
what was sent. The explorer's and the Partners page's "every year" (no year
ticked, no year filter) is a reader's choice, kept as such: writing the years
out would tick them all and add a notice for each one without a figure.
Instead their pinned link writes a data cutoff, `until=<the latest year with
data>` (`with_cutoff`): "every year up to 2025" keeps meaning the years the
sender saw once 2026 is loaded, and ticks nothing. The cutoff is the latest
year of the whole database, not of the view: a reader who then ticks another
country or indicator sees every year that existed when the link was sent.
It stays in the view's query (so the browser keeps it through every control
change) and only limits "every year": once a year is ticked it cuts nothing,
and unticking it brings the cutoff back. The address bar stays short: only
the copied link (and the canonical address of a link preview) carries it.
`share_target` tells the browser which URL a render answers, so it
copies only once the view on screen is the one the address asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from components.shell import ShareTarget
from pages import paths
from pages.urlstate import CUTOFF_KEY, KNOWN_KEYS, query_items


def key_control(key: str, shown: object, text: bool = False) -> dict[str, object]:
    """A control that sets one query key; `shown`: the value it shows now."""
    spec: dict[str, object] = {"key": key, "shown": control_text(shown)}
    if text:
        spec["text"] = True
    return spec


def url_control(urls: Mapping[str, str], shown: object) -> dict[str, object]:
    """A control whose every option leads to its own URL (another page)."""
    return {"urls": dict(urls), "shown": control_text(shown)}


def control_text(value: object) -> str:
    """A control's value as the browser compares it: a list sorted and
    comma-joined, white space collapsed, None as ""."""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(sorted({str(v) for v in value if v not in (None, "")}))
    return " ".join(str(value).split()) if value is not None else ""


def nav_state(
    path: str,
    year: int | None,
    lang: str,
    values: Mapping[str, object],
    controls: Mapping[str, Mapping[str, object]],
    defaults: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """What the browser needs to write the URL after any of `controls` changed:
    the canonical query of the view (as paths.page_url writes it) and its key order."""
    ordered = {"year": year, **values, "lang": lang}
    return {
        "path": path,
        "query": [list(pair) for pair in query_items(ordered)],
        "order": list(ordered),
        "defaults": dict(defaults or {}),
        "controls": {control_id: dict(spec) for control_id, spec in controls.items()},
    }


def shell_controls(
    year_select: str,
    country_select: str,
    shown_year: int | None,
    iso3: str | None,
    countries: Iterable[str],
    link_year: int | None,
    lang: str,
) -> dict[str, dict[str, object]]:
    """The navbar's selects: the year sets `year`; a country opens its page with
    the year links carry (none when the URL chose none) and the language."""
    urls = {code: paths.country_url(code, link_year, lang) for code in countries}
    return {
        year_select: key_control("year", shown_year),
        country_select: url_control(urls, iso3 or ""),
    }


def pinned_link(
    page: str, iso3: str | None, year: int | None, lang: str, values: Mapping[str, object]
) -> str:
    """The view as a link that keeps showing it: its year (the one shown, chosen
    or not) and language always written."""
    return paths.view_url(page, iso3, year, lang, values)


def with_cutoff(values: Mapping[str, object], every_year: bool, years: Sequence[int]) -> dict[str, object]:
    """`values` with the data cutoff written out (`until`: the latest of `years`,
    the years with data) when the view shows every year and has none yet; as
    they are when a year is chosen, a cutoff is already set, or there is no data."""
    if not every_year or values.get(CUTOFF_KEY) or not years:
        return dict(values)
    return {**values, CUTOFF_KEY: str(max(years))}


def share_target(
    pinned: str, path: str, query: Mapping[str, object], read_keys: Iterable[str]
) -> ShareTarget:
    """What a render tells Copy link: its pinned link and the URL it answers."""
    read = set(KNOWN_KEYS) | set(read_keys)
    asked = {key: (_jsonable(value) if key in read else None) for key, value in query.items()}
    return ShareTarget(pinned=pinned, path=path, asked=asked)


def _jsonable(value: object) -> object:
    return [str(v) for v in value] if isinstance(value, list | tuple) else value
