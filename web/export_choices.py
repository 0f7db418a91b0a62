"""A view's choices in words, for what an export writes about itself: the title
and filter line of a chart, the 'filters' sheet of a workbook.

A file leaves the dashboard, so it names what was chosen as a reader knows it
(indicator, country, theme names in the file's language), never by the codes
of the URL.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

from components.i18n import LIST_COMMA
from components.labels import BREAKDOWNS, PARTNER_TYPES, THEMES, label
from data_access import catalog
from data_access import explorer as explorer_data
from data_access import partners as partner_data
from data_access import queries as q
from model.places import PROGRAMME
from pages.partners_view import SEARCH_KEY
from pages.urlstate import CUTOFF_KEY, as_tuple

DASH = "\u2013"


def _names(codes: tuple, names: Mapping[str, str]) -> list[str]:
    return [names.get(code, code) for code in codes]


def indicator_names(values: Mapping[str, object], lang: str, drawn: Sequence[str] = ()) -> list[str]:
    """The chosen indicators' names in `lang`: those `drawn` first, in the chart's order."""
    definitions = catalog.indicator_definitions(lang)
    chosen = as_tuple(values.get("indicators"))
    ordered = tuple(dict.fromkeys([*(c for c in drawn if c in chosen), *chosen]))
    return _names(ordered, dict(zip(definitions.code, definitions.name, strict=True)))


def place_names(codes: tuple, lang: str, t: Callable[[str], str]) -> list[str]:
    """Country names in `lang` (the programme-wide place by its translated name)."""
    options = explorer_data.country_options(lang)
    names = dict(zip(options.iso3, options.name, strict=True)) | {PROGRAMME: t("Programme-wide")}
    return _names(codes, names)


def explorer_title(
    values: Mapping[str, object],
    lang: str,
    t: Callable[[str], str],
    drawn_title: str = "",
    drawn: Sequence[str] = (),
) -> str:
    """'Migrants helped to return', or 'Migrants helped to return and 2 other indicators'
    (the first panel's, given the codes `drawn` in order); the map keeps the title it
    is drawn with (its one indicator, each country's latest figure)."""
    names = indicator_names(values, lang, drawn)
    if not names:
        return t("Indicator explorer")
    if values.get("chart") == "map" and drawn_title:
        return html.unescape(drawn_title)
    if len(names) == 1:
        return names[0]
    others = len(names) - 1
    return t.plural(
        "{indicator} and {count} other indicator", "{indicator} and {count} other indicators", others
    ).format(indicator=names[0], count=others)


def _every_year(values: Mapping[str, object], t: Callable[[str], str], every: str, up_to: str) -> str:
    """No year chosen: every year, or every year up to a copied link's data cutoff."""
    until = values.get(CUTOFF_KEY)
    return up_to.format(year=until) if until else every


def explorer_choices(
    values: Mapping[str, object],
    lang: str,
    t: Callable[[str], str],
    with_indicators: bool = True,
    drawn: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """(label, value) of each control of an explorer view, by name (indicators in the chart's order)."""
    places = place_names(as_tuple(values.get("countries")), lang, t)
    years = [str(y) for y in as_tuple(values.get("years"))]
    rows = []
    if with_indicators:
        rows.append((t("Indicators"), t(LIST_COMMA).join(indicator_names(values, lang, drawn)) or t("all")))
    rows += [
        (t("Countries"), t(LIST_COMMA).join(places) or t("all")),
        (t("Years"), t(LIST_COMMA).join(years) or _every_year(values, t, t("all"), t("all up to {year}"))),
    ]
    breakdown = values.get("breakdown")
    if breakdown:
        rows.append((t("Breakdown"), label(BREAKDOWNS, str(breakdown), t)))
    return rows


def partner_choices(
    values: Mapping[str, object], lang: str, t: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(label, value) of each filter of a partners view, by name."""
    countries = q.countries(lang)
    names = dict(zip(countries.iso3, countries.name, strict=True))
    # Countries a partner works in that are not COMPASS countries have their name in the options.
    names |= dict(partner_data.partner_filter_options(lang).countries)
    chosen = as_tuple(values.get("countries"))
    types = [label(PARTNER_TYPES, code, t) for code in as_tuple(values.get("types"))]
    themes = [label(THEMES, code, t) for code in as_tuple(values.get("themes"))]
    year = values.get("year")
    return [
        (t("Countries"), t(LIST_COMMA).join(_names(chosen, names)) or t("all")),
        (t("Types"), t(LIST_COMMA).join(types) or t("all")),
        (t("Themes"), t(LIST_COMMA).join(themes) or t("all")),
        (
            t("Year"),
            str(year) if year else _every_year(values, t, t("all years"), t("all years up to {year}")),
        ),
        (t("Search"), str(values.get(SEARCH_KEY) or DASH)),
    ]
