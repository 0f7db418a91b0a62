"""Cached read queries for the pages.

Each public function reads the data version once per request and calls a
memoized private function keyed by (its plain arguments, data version): a
repeated call is a cache hit in every worker sharing the cache, and any load
makes every key new. Aggregation happens in SQL; results come back as
DataFrames or small dataclasses, unpickled copies that callers may mutate.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Select, distinct, func, select, union

from data_access import schema as s
from data_access.cache import cache
from data_access.db import get_engine, request_data_version


def _frame(query: Select) -> pd.DataFrame:
    """Run `query`; text columns keep None (not NaN) for missing values."""
    with get_engine().connect() as conn:
        result = conn.execute(query)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]):
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def _collation_key(name: str) -> str:
    """Accent-insensitive sort key: 'Égypte' sorts with E, not after Z."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _sort_by_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("name", key=lambda col: col.map(_collation_key)).reset_index(drop=True)


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _source_title(lang: str):
    """The source's French title where asked for and known."""
    if lang == "fr":
        return func.coalesce(s.sources.c.title_fr, s.sources.c.title).label("source_title")
    return s.sources.c.title.label("source_title")


def _name(table, lang: str):
    """The French column where asked for and filled, else the English one."""
    if lang == "fr":
        return func.coalesce(func.nullif(table.c.name_fr, ""), table.c.name_en)
    return table.c.name_en


# --- years and countries -------------------------------------------------------


def available_years() -> list[int]:
    """Every year that has a result (by period end), an activity or a campaign."""
    return _available_years(request_data_version())


@cache.memoize()
def _available_years(version: int) -> list[int]:
    result_years = select(func.extract("year", s.results.c.period_end).label("y"))
    activity_years = select(s.activities.c.year.label("y"))
    campaign_years = select(s.campaigns.c.year.label("y"))
    years = union(result_years, activity_years, campaign_years).subquery()
    with get_engine().connect() as conn:
        rows = conn.execute(select(years.c.y).distinct().order_by(years.c.y)).scalars().all()
    return [int(y) for y in rows if y is not None]


def headline_year() -> int | None:
    """The latest year with a programme-wide headline figure (the default view)."""
    return _headline_year(request_data_version())


@cache.memoize()
def _headline_year(version: int) -> int | None:
    query = (
        select(func.max(func.extract("year", s.results.c.period_end)))
        .select_from(s.results.join(s.indicators))
        .where(s.results.c.scope == "programme", s.indicators.c.headline.is_not(None))
        .where(func.extract("year", s.results.c.period_start) == func.extract("year", s.results.c.period_end))
    )
    with get_engine().connect() as conn:
        value = conn.execute(query).scalar()
    return int(value) if value is not None else None


def countries(lang: str) -> pd.DataFrame:
    """The COMPASS countries: iso3, name (in `lang`), name_ar, region; sorted by name."""
    return _countries(lang, request_data_version())


@cache.memoize()
def _countries(lang: str, version: int) -> pd.DataFrame:
    name = _name(s.countries, lang).label("name")
    query = select(s.countries.c.iso3, name, s.countries.c.name_ar, s.countries.c.region).where(
        s.countries.c.is_compass.is_(True)
    )
    return _sort_by_name(_frame(query))


# --- results ---------------------------------------------------------------------


def _results_query(lang: str) -> Select:
    indicator_name = _name(s.indicators, lang).label("indicator_name")
    definition = (s.indicators.c.definition_fr if lang == "fr" else s.indicators.c.definition_en).label(
        "definition"
    )
    return (
        select(
            s.results.c.indicator_code,
            indicator_name,
            definition,
            s.indicators.c.unit,
            s.indicators.c.theme,
            s.indicators.c.summable,
            s.indicators.c.headline,
            s.results.c.scope,
            s.results.c.country_iso3,
            _name(s.countries, lang).label("country_name"),
            s.results.c.period_start,
            s.results.c.period_end,
            s.results.c.value,
            s.results.c.qualifier,
            s.results.c.breakdown_dim,
            s.results.c.breakdown_value,
            s.results.c.target,
            _source_title(lang),
            s.sources.c.publisher.label("source_publisher"),
            s.sources.c.url.label("source_url"),
            s.sources.c.document.label("source_document"),
            s.sources.c.quote.label("source_quote"),
            s.sources.c.note.label("source_note"),
            s.sources.c.language.label("source_language"),
        )
        .select_from(
            s.results.join(s.indicators)
            .join(s.sources, s.results.c.source_id == s.sources.c.id)
            .outerjoin(s.countries, s.results.c.country_iso3 == s.countries.c.iso3)
        )
        .order_by(
            func.coalesce(s.indicators.c.headline, 999),
            s.results.c.indicator_code,
            s.results.c.period_start.desc(),
            s.results.c.country_iso3,
            s.results.c.source_id,
        )
    )


def programme_results(year: int, lang: str) -> pd.DataFrame:
    """Every programme-wide figure whose period ends in `year` (single year or span)."""
    return _programme_results(year, lang, request_data_version())


@cache.memoize()
def _programme_results(year: int, lang: str, version: int) -> pd.DataFrame:
    start, end = _year_range(year)
    query = _results_query(lang).where(
        s.results.c.scope == "programme", s.results.c.period_end.between(start, end)
    )
    return _frame(query)


def country_results(iso3: str, year: int | None, lang: str) -> pd.DataFrame:
    """One country's figures whose period ends in `year` (all years when None)."""
    return _country_results(iso3.upper(), year, lang, request_data_version())


@cache.memoize()
def _country_results(iso3: str, year: int | None, lang: str, version: int) -> pd.DataFrame:
    query = _results_query(lang).where(s.results.c.country_iso3 == iso3)
    if year is not None:
        query = query.where(s.results.c.period_end.between(*_year_range(year)))
    return _frame(query)


def country_level_results(year: int, lang: str) -> pd.DataFrame:
    """Every country-scoped figure whose period ends in `year` (for cross-country charts)."""
    return _country_level_results(year, lang, request_data_version())


@cache.memoize()
def _country_level_results(year: int, lang: str, version: int) -> pd.DataFrame:
    query = _results_query(lang).where(
        s.results.c.scope == "country", s.results.c.period_end.between(*_year_range(year))
    )
    return _frame(query)


def indicator_across(code: str, lang: str) -> pd.DataFrame:
    """One indicator across every country (and programme-wide) and every period."""
    return _indicator_across(code, lang, request_data_version())


@cache.memoize()
def _indicator_across(code: str, lang: str, version: int) -> pd.DataFrame:
    return _frame(_results_query(lang).where(s.results.c.indicator_code == code))


# --- KPIs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One published value of an indicator, with the source that states it."""

    value: float
    qualifier: str
    period_start: date
    period_end: date
    source_title: str
    source_url: str | None
    source_quote: str | None
    source_note: str | None


@dataclass(frozen=True)
class Kpi:
    """A headline indicator for one year: every figure published for it.

    `figures` are single-year figures for that year; several distinct values
    mean the sources disagree, and the card shows all of them. `cumulative`
    are figures for spans of years ending that year (e.g. 2021-2022). Both
    empty means nothing was published: the card says so instead of 0.
    """

    code: str
    name: str
    unit: str
    definition: str
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    cumulative: tuple[Figure, ...] = field(default_factory=tuple)

    @property
    def distinct_values(self) -> list[tuple[float, str]]:
        return list(dict.fromkeys((f.value, f.qualifier) for f in self.figures))


def programme_kpis(year: int, lang: str) -> list[Kpi]:
    """Headline indicators with their programme-wide figures ending in `year`."""
    return _programme_kpis(year, lang, request_data_version())


@cache.memoize()
def _programme_kpis(year: int, lang: str, version: int) -> list[Kpi]:
    headline = _frame(
        select(
            s.indicators.c.code,
            _name(s.indicators, lang).label("name"),
            s.indicators.c.unit,
            (s.indicators.c.definition_fr if lang == "fr" else s.indicators.c.definition_en).label(
                "definition"
            ),
        )
        .where(s.indicators.c.headline.is_not(None))
        .order_by(s.indicators.c.headline)
    )
    start, end = _year_range(year)
    published = _frame(
        _results_query(lang).where(
            s.results.c.scope == "programme",
            s.results.c.period_end.between(start, end),
            s.results.c.indicator_code.in_(headline.code.tolist() or [""]),
            s.results.c.breakdown_dim == "",
        )
    )
    kpis = []
    for row in headline.itertuples():
        rows = [r for r in published.itertuples() if r.indicator_code == row.code]
        kpis.append(
            Kpi(
                code=row.code,
                name=row.name,
                unit=row.unit,
                definition=row.definition,
                figures=tuple(_figure(r) for r in rows if r.period_start >= start),
                cumulative=tuple(_figure(r) for r in rows if r.period_start < start),
            )
        )
    return kpis


def _figure(row) -> Figure:
    return Figure(
        value=float(row.value),
        qualifier=row.qualifier,
        period_start=row.period_start,
        period_end=row.period_end,
        source_title=row.source_title,
        source_url=row.source_url,
        source_quote=row.source_quote,
        source_note=row.source_note,
    )


# --- activities, partners, campaigns ------------------------------------------------


def _activities_query(lang: str) -> Select:
    partner_name = _name(s.partners, lang)
    partner_names = (
        select(func.aggregate_strings(partner_name, "; "))
        .select_from(s.activity_partners.join(s.partners))
        .where(s.activity_partners.c.activity_id == s.activities.c.id)
        .scalar_subquery()
    )
    description = s.activities.c.description_fr if lang == "fr" else s.activities.c.description_en
    return (
        select(
            s.activities.c.key,
            s.activities.c.country_iso3,
            _name(s.countries, lang).label("country_name"),
            s.activities.c.year,
            s.activities.c.theme,
            description.label("description"),
            partner_names.label("partners"),
            _source_title(lang),
            s.sources.c.url.label("source_url"),
            s.sources.c.quote.label("source_quote"),
        )
        .select_from(
            s.activities.join(s.sources, s.activities.c.source_id == s.sources.c.id).outerjoin(
                s.countries, s.activities.c.country_iso3 == s.countries.c.iso3
            )
        )
        # Country activities (with named partners) before programme-wide ones.
        .order_by(
            s.activities.c.year.desc(),
            s.activities.c.country_iso3.is_(None),
            s.activities.c.country_iso3,
            s.activities.c.id,
        )
    )


def activities(year: int, lang: str, iso3: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Partner activities of `year` (one country's when `iso3` is given), partners named."""
    return _activities(year, lang, iso3.upper() if iso3 else None, limit, request_data_version())


@cache.memoize()
def _activities(year: int, lang: str, iso3: str | None, limit: int | None, version: int) -> pd.DataFrame:
    query = _activities_query(lang).where(s.activities.c.year == year)
    if iso3:
        query = query.where(s.activities.c.country_iso3 == iso3)
    if limit:
        query = query.limit(limit)
    return _frame(query)


def country_partners(iso3: str, year: int | None, lang: str) -> pd.DataFrame:
    """Partners of a country's activities: name, acronym, type, number of activities."""
    return _country_partners(iso3.upper(), year, lang, request_data_version())


@cache.memoize()
def _country_partners(iso3: str, year: int | None, lang: str, version: int) -> pd.DataFrame:
    name = _name(s.partners, lang).label("name")
    query = (
        select(
            s.partners.c.key,
            name,
            s.partners.c.acronym,
            s.partners.c.type,
            func.count(distinct(s.activities.c.id)).label("activities"),
        )
        .select_from(s.partners.join(s.activity_partners).join(s.activities))
        .where(s.activities.c.country_iso3 == iso3)
        .group_by(s.partners.c.key, name, s.partners.c.acronym, s.partners.c.type)
        .order_by(name)
    )
    if year is not None:
        query = query.where(s.activities.c.year == year)
    return _frame(query)


def campaigns(year: int | None, lang: str, iso3: str | None = None) -> pd.DataFrame:
    """Campaigns of `year` (all years when None), one country's when `iso3` is given."""
    return _campaigns(year, lang, iso3.upper() if iso3 else None, request_data_version())


@cache.memoize()
def _campaigns(year: int | None, lang: str, iso3: str | None, version: int) -> pd.DataFrame:
    description = s.campaigns.c.description_fr if lang == "fr" else s.campaigns.c.description_en
    query = (
        select(
            s.campaigns.c.key,
            s.campaigns.c.name,
            s.campaigns.c.country_iso3,
            _name(s.countries, lang).label("country_name"),
            s.campaigns.c.year,
            s.campaigns.c.channel,
            s.campaigns.c.reach,
            s.campaigns.c.reach_qualifier,
            description.label("description"),
            _source_title(lang),
            s.sources.c.url.label("source_url"),
            s.sources.c.quote.label("source_quote"),
        )
        .select_from(
            s.campaigns.join(s.sources, s.campaigns.c.source_id == s.sources.c.id).outerjoin(
                s.countries, s.campaigns.c.country_iso3 == s.countries.c.iso3
            )
        )
        .order_by(s.campaigns.c.year.desc(), s.campaigns.c.name)
    )
    if year is not None:
        query = query.where(s.campaigns.c.year == year)
    if iso3:
        query = query.where(s.campaigns.c.country_iso3 == iso3)
    return _frame(query)


# --- per-country summaries -------------------------------------------------------


def country_coverage(year: int, lang: str) -> pd.DataFrame:
    """For each COMPASS country: how many figures, activities and partners `year` has."""
    return _country_coverage(year, lang, request_data_version())


@cache.memoize()
def _country_coverage(year: int, lang: str, version: int) -> pd.DataFrame:
    start, end = _year_range(year)
    figures = (
        select(func.count())
        .where(s.results.c.country_iso3 == s.countries.c.iso3, s.results.c.period_end.between(start, end))
        .scalar_subquery()
    )
    acts = (
        select(func.count())
        .where(s.activities.c.country_iso3 == s.countries.c.iso3, s.activities.c.year == year)
        .scalar_subquery()
    )
    partner_count = (
        select(func.count(distinct(s.activity_partners.c.partner_id)))
        .select_from(s.activity_partners.join(s.activities))
        .where(s.activities.c.country_iso3 == s.countries.c.iso3, s.activities.c.year == year)
        .scalar_subquery()
    )
    name = _name(s.countries, lang).label("name")
    query = select(
        s.countries.c.iso3,
        name,
        figures.label("figures"),
        acts.label("activities"),
        partner_count.label("partners"),
    ).where(s.countries.c.is_compass.is_(True))
    return _sort_by_name(_frame(query))


def country_years(iso3: str) -> list[int]:
    """The years in which a country has any figure, activity or campaign."""
    return _country_years(iso3.upper(), request_data_version())


@cache.memoize()
def _country_years(iso3: str, version: int) -> list[int]:
    years = union(
        select(func.extract("year", s.results.c.period_end).label("y")).where(
            s.results.c.country_iso3 == iso3
        ),
        select(s.activities.c.year.label("y")).where(s.activities.c.country_iso3 == iso3),
        select(s.campaigns.c.year.label("y")).where(s.campaigns.c.country_iso3 == iso3),
    ).subquery()
    with get_engine().connect() as conn:
        rows = conn.execute(select(years.c.y).distinct().order_by(years.c.y)).scalars().all()
    return [int(y) for y in rows if y is not None]


def data_version() -> int:
    """The current data version (shown on pages, part of every cache key)."""
    return request_data_version()


def data_updated_on() -> date | None:
    """The day the data last changed (shown in the footer)."""
    return _data_updated_on(request_data_version())


@cache.memoize()
def _data_updated_on(version: int) -> date | None:
    with get_engine().connect() as conn:
        value = conn.execute(select(s.data_version.c.changed_at).where(s.data_version.c.id == 1)).scalar()
    return value.date() if value is not None else None


__all__ = [
    "Figure",
    "Kpi",
    "activities",
    "available_years",
    "campaigns",
    "countries",
    "country_coverage",
    "country_level_results",
    "country_partners",
    "country_results",
    "country_years",
    "data_updated_on",
    "data_version",
    "headline_year",
    "indicator_across",
    "programme_kpis",
    "programme_results",
]
