"""Cached queries for the Partners page: the directory, the partner x country
matrix, the activities behind them and the values the filters can take.

Same pattern as `data_access.queries`: each public function reads the data
version once per request and calls a memoized private function keyed by its
plain, normalised arguments and that version; counts are computed in SQL.

Filters come in two kinds. `types` and `search` choose partners; `countries`,
`themes` and `year` choose activities. A partner is listed when it matches the
partner filters and, once an activity filter is set, has a matching activity;
its counts, countries and themes are those of the matching activities. The
activities listed are the matching ones that name at least one listed partner,
so a partner's row of the matrix adds up to its number of activities.

Search is a case- and accent-insensitive substring match on the English and
French names and the acronym ("medecins" finds "Médecins du Monde"). Both
database backends fold accents differently, so names are folded in Python (the
partner table is small and cached) and the matching ids go to SQL as bound
parameters; the search text never reaches a query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, func, or_, select

from data_access import schema as s
from data_access.cache import cache
from data_access.db import read_connection, request_data_version
from data_access.queries import _activities_query, _frame, _name
from data_access.visibility import public_activity, public_partner, shows_internal
from model.partners import PartnerEntry
from model.places import collation_key

MAX_SEARCH = 100  # characters; the page refuses longer searches with a notice

# Typographic variants folded to one character before comparing.
_FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
)
_LIGATURES = {"\u0153": "oe", "\u00e6": "ae", "\u0152": "oe", "\u00c6": "ae"}


def fold(text: str) -> str:
    """`text` without accents, case or typographic variants: 'Médecins d’Œuvre' -> "medecins d'oeuvre"."""
    text = "".join(_LIGATURES.get(c, c) for c in text.translate(_FOLD))
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class PartnerFilterOptions:
    """The values the page's filters offer: those that partner activities use."""

    countries: tuple[tuple[str, str], ...]  # (iso3, name), sorted by name
    types: tuple[str, ...]
    themes: tuple[str, ...]
    years: tuple[int, ...]


def _normalised(
    countries: Iterable[str], types: Iterable[str], themes: Iterable[str], search: str | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]:
    """Sorted, de-duplicated filters (so equal views share cache keys) and the folded search."""
    if search is not None and len(search) > MAX_SEARCH:
        raise ValueError(f"search text longer than {MAX_SEARCH} characters")
    folded = fold(search) if search else ""
    return (
        tuple(sorted({c.strip().upper() for c in countries if c.strip()})),
        tuple(sorted(set(types))),
        tuple(sorted(set(themes))),
        folded or None,
    )


# --- search ---------------------------------------------------------------------------


@cache.memoize_query()
def _folded_names(version: int) -> list[tuple[int, str]]:
    """(partner id, folded English | French | Arabic name | acronym), for substring search."""
    p = s.partners.c
    query = select(p.id, p.name_en, p.name_fr, p.name_ar, p.acronym)
    with read_connection() as conn:
        rows = conn.execute(query).all()
    return [(row.id, "\n".join(fold(v) for v in row[1:] if v)) for row in rows]


@cache.memoize_query()
def _search_ids(folded: str, version: int) -> tuple[int, ...]:
    return tuple(pid for pid, names in _folded_names(version) if folded in names)


# --- building blocks --------------------------------------------------------------------


def _matching_links(
    countries: tuple, themes: tuple, year: int | None, internal: bool, until: int | None = None
):
    """(partner_id, activity_id, country_iso3, theme) for the activities the activity filters keep
    (`until`: every year up to it, when no `year` is chosen; published ones only unless `internal`)."""
    a = s.activities.c
    query = select(
        s.activity_partners.c.partner_id, a.id.label("activity_id"), a.country_iso3, a.theme
    ).select_from(s.activity_partners.join(s.activities))
    if countries:
        query = query.where(a.country_iso3.in_(countries))
    if themes:
        query = query.where(a.theme.in_(themes))
    if year is not None:
        query = query.where(a.year == year)
    elif until is not None:
        query = query.where(a.year <= until)
    if not internal:
        query = query.where(public_activity())
    return query.subquery("links")


def _partner_conditions(types: tuple, search: str | None, version: int) -> list:
    conditions = [] if shows_internal(version) else [public_partner()]
    if types:
        conditions.append(s.partners.c.type.in_(types))
    if search:
        conditions.append(s.partners.c.id.in_(_search_ids(search, version)))
    return conditions


def _has_activity_filter(countries: tuple, themes: tuple, year: int | None) -> bool:
    return bool(countries or themes or year is not None)


def _cutoff(year: int | None, until: int | None) -> int | None:
    """The cutoff that applies: none once a year is chosen (so equal views share keys)."""
    return None if year is not None or until is None else int(until)


# --- the directory -----------------------------------------------------------------------


def partner_directory(
    lang: str,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    themes: Iterable[str] = (),
    search: str | None = None,
    year: int | None = None,
    until: int | None = None,
) -> list[PartnerEntry]:
    """Partners matching the filters with their type, countries, themes and number
    of activities; sorted by name, accents ignored."""
    filters = _normalised(countries, types, themes, search)
    return _partner_directory(lang, *filters, year, request_data_version(), _cutoff(year, until))


@cache.memoize_query()
def _partner_directory(
    lang: str,
    countries: tuple,
    types: tuple,
    themes: tuple,
    search: str | None,
    year: int | None,
    version: int,
    until: int | None = None,
) -> list[PartnerEntry]:
    links = _matching_links(countries, themes, year, shows_internal(version), until)
    p = s.partners.c
    name = _name(s.partners, lang).label("name")
    join = (
        s.partners.join(links, links.c.partner_id == p.id)
        if _has_activity_filter(countries, themes, year)
        else s.partners.outerjoin(links, links.c.partner_id == p.id)
    )
    listed = _partner_conditions(types, search, version)
    if until is not None and not _has_activity_filter(countries, themes, year):
        # Every year up to the cutoff: a partner whose activities all came later
        # was not there yet; one without any activity is listed, as without a cutoff.
        ap, a = s.activity_partners.c, s.activities.c
        active = select(ap.partner_id)
        by_then = (
            select(ap.partner_id).select_from(s.activity_partners.join(s.activities)).where(a.year <= until)
        )
        listed.append(or_(p.id.in_(by_then), p.id.not_in(active)))
    counts = _frame(
        select(p.key, name, p.acronym, p.type, func.count(links.c.activity_id).label("activities"))
        .select_from(join)
        .where(*listed)
        .group_by(p.key, name, p.acronym, p.type)
    )
    themes_of = _frame(
        select(p.key, links.c.theme)
        .select_from(s.partners.join(links, links.c.partner_id == p.id))
        .where(*_partner_conditions(types, search, version))
        .group_by(p.key, links.c.theme)
    )
    matrix = _partner_country_matrix(lang, countries, types, themes, search, year, version, until)
    entries = []
    for row in counts.itertuples():
        places = matrix[matrix.partner_key == row.key]
        entries.append(
            PartnerEntry(
                key=row.key,
                name=row.name,
                acronym=row.acronym,
                type=row.type,
                activities=int(row.activities),
                countries=tuple(zip(places.country_iso3, places.country_name, strict=True)),
                themes=tuple(sorted(themes_of.theme[themes_of.key == row.key])),
            )
        )
    return sorted(entries, key=lambda e: collation_key(e.name))


# --- the matrix ------------------------------------------------------------------------------


def partner_country_matrix(
    lang: str,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    themes: Iterable[str] = (),
    search: str | None = None,
    year: int | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Activities per partner and country (long form): partner_key, partner_name,
    country_iso3, country_name, activities. Programme-wide activities have no
    country (None), and come after the countries of their partner."""
    filters = _normalised(countries, types, themes, search)
    return _partner_country_matrix(lang, *filters, year, request_data_version(), _cutoff(year, until))


@cache.memoize_query()
def _partner_country_matrix(
    lang: str,
    countries: tuple,
    types: tuple,
    themes: tuple,
    search: str | None,
    year: int | None,
    version: int,
    until: int | None = None,
) -> pd.DataFrame:
    links = _matching_links(countries, themes, year, shows_internal(version), until)
    p = s.partners.c
    partner_name = _name(s.partners, lang).label("partner_name")
    country_name = _name(s.countries, lang).label("country_name")
    query = (
        select(
            p.key.label("partner_key"),
            partner_name,
            links.c.country_iso3,
            country_name,
            func.count(links.c.activity_id).label("activities"),
        )
        .select_from(
            s.partners.join(links, links.c.partner_id == p.id).outerjoin(
                s.countries, links.c.country_iso3 == s.countries.c.iso3
            )
        )
        .where(*_partner_conditions(types, search, version))
        .group_by(p.key, partner_name, links.c.country_iso3, country_name)
    )
    frame = _frame(query)
    frame["activities"] = frame["activities"].astype(int)
    order = frame.assign(
        _partner=frame.partner_name.map(collation_key),
        _wide=frame.country_iso3.isna(),
        _country=frame.country_name.fillna("").map(collation_key),
    )
    order = order.sort_values(["_partner", "partner_key", "_wide", "_country"])
    return order[frame.columns].reset_index(drop=True)


# --- the activities ----------------------------------------------------------------------------


def partner_activities(
    lang: str,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    themes: Iterable[str] = (),
    search: str | None = None,
    year: int | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Activities matching the filters that name at least one matching partner:
    key, country_iso3, country_name, year, theme, description (in `lang`),
    partners (every partner of the activity, '; '-separated), source_title,
    source_url, source_quote. Newest first, programme-wide after countries."""
    filters = _normalised(countries, types, themes, search)
    return _partner_activities(lang, *filters, year, request_data_version(), _cutoff(year, until))


@cache.memoize_query()
def _partner_activities(
    lang: str,
    countries: tuple,
    types: tuple,
    themes: tuple,
    search: str | None,
    year: int | None,
    version: int,
    until: int | None = None,
) -> pd.DataFrame:
    links = _matching_links(countries, themes, year, shows_internal(version), until)
    chosen = (
        select(links.c.activity_id)
        .select_from(links.join(s.partners, links.c.partner_id == s.partners.c.id))
        .where(*_partner_conditions(types, search, version))
    )
    query: Select = _activities_query(lang, shows_internal(version)).where(s.activities.c.id.in_(chosen))
    return _frame(query)


# --- what the filters offer ------------------------------------------------------------------


def partner_filter_options(lang: str) -> PartnerFilterOptions:
    """Countries, partner types, themes and years that partner activities use."""
    return _partner_filter_options(lang, request_data_version())


@cache.memoize_query()
def _partner_filter_options(lang: str, version: int) -> PartnerFilterOptions:
    a = s.activities.c
    internal = shows_internal(version)
    with_partner = s.activities.join(s.activity_partners)
    shown = [] if internal else [public_activity()]
    country_name = _name(s.countries, lang).label("name")
    countries = _frame(
        select(s.countries.c.iso3, country_name)
        .select_from(with_partner.join(s.countries, a.country_iso3 == s.countries.c.iso3))
        .where(*shown)
        .distinct()
    )
    with read_connection() as conn:
        partner_types = select(s.partners.c.type).distinct()
        types = conn.execute(partner_types.where(*([] if internal else [public_partner()]))).scalars().all()
        themes = (
            conn.execute(select(a.theme).select_from(with_partner).where(*shown).distinct()).scalars().all()
        )
        years = (
            conn.execute(select(a.year).select_from(with_partner).where(*shown).distinct()).scalars().all()
        )
    countries = countries.sort_values("name", key=lambda col: col.map(collation_key))
    return PartnerFilterOptions(
        countries=tuple(zip(countries.iso3, countries.name, strict=True)),
        types=tuple(sorted(types)),
        themes=tuple(sorted(themes)),
        years=tuple(sorted(int(y) for y in years)),
    )


__all__ = [
    "MAX_SEARCH",
    "PartnerFilterOptions",
    "fold",
    "partner_activities",
    "partner_country_matrix",
    "partner_directory",
    "partner_filter_options",
]
