"""Cached read queries for the pages.

Each public function reads the data version once per request and calls a
memoized private function keyed by (its plain arguments, data version): a
repeated call is a cache hit in every worker sharing the cache, and any load
makes every key new. Aggregation happens in SQL; results come back as
DataFrames or small dataclasses, unpickled copies that callers may mutate.
"""

from __future__ import annotations

import functools
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import (
    CompoundSelect,
    Connection,
    Integer,
    Select,
    bindparam,
    case,
    distinct,
    func,
    literal,
    select,
    union,
    union_all,
)

from data_access import schema as s
from data_access.cache import cache
from data_access.db import read_connection, request_data_version
from data_access.summary import year_of
from data_access.suppression import apply_suppression
from data_access.visibility import activity_flag, public_activity, public_figure, shows_internal
from model.figures import PROGRAMME_FACT_THEMES
from model.kpi import Figure, Kpi
from model.places import collation_key

# Pages read yearly figures from the summary (data_access/summary.py), never raw
# results: every query below is a handful of index lookups at any data size.
R = s.result_summary
C = s.result_counts


def _frame(query: Select, params: dict | None = None) -> pd.DataFrame:
    """Run `query`; text columns keep None (not NaN) for missing values.

    `query` is best a statement built once (the `_statement` functions below,
    values as bind parameters in `params`): building and keying a Select costs
    about a millisecond, as much as running it.

    Built as one block of Python objects, then only the all-number columns get
    a numeric dtype (as pandas would infer them): building a Series per column
    cost about 2 ms per query, more than the indexed query itself."""
    with read_connection() as conn:
        result = conn.execute(query, params or {})
        keys = list(result.keys())
        rows = result.fetchall()
    block = np.empty((len(rows), len(keys)), dtype=object)
    if rows:
        block[:] = [tuple(row) for row in rows]
    frame = pd.DataFrame(block, columns=keys, copy=False, dtype=object)
    for i in range(len(keys)):
        typed = _numeric(block[:, i])
        if typed is not None:
            frame.isetitem(i, typed)
    return frame


_NUMBER = (bool, int, float, np.number)


def _numeric(values: np.ndarray) -> np.ndarray | None:
    """The column as bool, int64 or float64 (None as NaN) when every value is a
    number, as pd.Series would infer it; None to keep it as objects (text,
    dates, decimals, all-None, or booleans with gaps)."""
    # A text column (most are) is told by its first value, without reading the rest.
    first = next((v for v in values if v is not None), None)
    if first is None or not isinstance(first, _NUMBER):
        return None
    present = [v for v in values if v is not None]
    if not all(isinstance(v, _NUMBER) for v in present):
        return None
    booleans = [isinstance(v, bool | np.bool_) for v in present]
    if len(present) == len(values):
        if all(booleans):
            return np.array(present, dtype=bool)
        if not any(booleans) and all(isinstance(v, int | np.integer) for v in present):
            return np.array(present, dtype=np.int64)
    if any(booleans):
        return None
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _sort_by_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("name", key=lambda col: col.map(collation_key)).reset_index(drop=True)


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _translated(table, column: str, lang: str):
    """The `lang` text of `column` (`column`_fr, `column`_ar), NULL when empty;
    None when `lang` is English or the table has no such column."""
    name = f"{column}_{lang}"
    if lang == "en" or name not in table.c:
        return None
    return func.nullif(table.c[name], "")


def _in_lang(table, column: str, lang: str, english=None):
    """`column` in `lang` where the cell is filled, else in English (`column`_en,
    or `english`): an untranslated text shows in English rather than as an empty string."""
    english = table.c[f"{column}_en"] if english is None else english
    translated = _translated(table, column, lang)
    return english if translated is None else func.coalesce(translated, english)


def _lang_of(table, column: str, lang: str, english=None):
    """The language `_in_lang` shows the text in: `lang` where translated, else
    English (or the `english` expression's language), so pages mark a fallback
    with its lang and direction."""
    english = literal("en") if english is None else english
    translated = _translated(table, column, lang)
    if translated is None:
        return english
    return case((translated.is_not(None), literal(lang)), else_=english)


def _text_in(table, column: str, lang: str, label: str) -> tuple:
    """(the text, the language it is in) as columns `label` and `label`_lang."""
    return (
        _in_lang(table, column, lang).label(label),
        _lang_of(table, column, lang).label(f"{label}_lang"),
    )


def _source_title(lang: str):
    """The source's title in `lang` where known, else as the source gives it."""
    title = s.sources.c.title
    if lang == "fr":  # title_fr is written by the reference data only, never empty
        return func.coalesce(s.sources.c.title_fr, title).label("source_title")
    return _in_lang(s.sources, "title", lang, english=title).label("source_title")


def stored_title_lang():
    """The language of sources.title: English for the reference data's (the Year 2
    narrative's English title, or a page's address), "und" (not stated) for an
    imported source's, whatever its document's language."""
    undetermined = s.sources.c.language == literal("und")
    return case((undetermined, literal("und")), else_=literal("en"))


def _source_title_lang(lang: str):
    """The language of `_source_title`: `lang` where the title is translated, else
    that of the stored title."""
    if lang == "fr":
        translated = s.sources.c.title_fr.is_not(None)
        return case((translated, literal("fr")), else_=stored_title_lang()).label("source_title_lang")
    return _lang_of(s.sources, "title", lang, english=stored_title_lang()).label("source_title_lang")


def _source_note(lang: str) -> tuple:
    """The source's note in `lang` where it has one, else in English; and the
    language it is in, so the page marks an English note lang="en"."""
    note = s.sources.c.note
    return (
        _in_lang(s.sources, "note", lang, english=note).label("source_note"),
        _lang_of(s.sources, "note", lang).label("source_note_lang"),
    )


def _name(table, lang: str):
    """The name in `lang`, falling back to English."""
    return _in_lang(table, "name", lang)


def indicator_definition(lang: str):
    """The indicator's definition in `lang`, falling back to English: the one
    expression behind every tooltip and the Data page's list."""
    return _in_lang(s.indicators, "definition", lang).label("definition")


def indicator_definition_lang(lang: str):
    """The language `indicator_definition` is in ("en" where not translated)."""
    return _lang_of(s.indicators, "definition", lang).label("definition_lang")


# --- years and countries -------------------------------------------------------


def distinct_years(conn: Connection, column: str, value: str, internal: bool = False) -> list[int]:
    """The distinct summary years of the rows whose `column` ("country_iso3" or
    "scope") equals `value`, ascending; of published rows only unless `internal`.

    A loose index scan (a recursive query asking for the next year after the
    last one found): one index seek per year, where SELECT DISTINCT would read
    every matching row; both columns lead an index before `year`."""
    rows = conn.execute(_years_statement(column, internal), {"key": value}).scalars().all()
    return sorted(int(y) for y in rows)


@functools.cache
def _years_statement(column: str, internal: bool) -> Select:
    match = R.c[column] == bindparam("key")
    if not internal:
        match = match & public_figure()
    first = select(func.min(R.c.year).label("y")).where(match).cte("years", recursive=True)
    following = select(func.min(R.c.year)).where(match, R.c.year > first.c.y).scalar_subquery()
    years = first.union_all(select(following).where(first.c.y.is_not(None)))
    return select(years.c.y).where(years.c.y.is_not(None))


def _other_years(conn: Connection, iso3: str | None = None, internal: bool = False) -> set[int]:
    """Years of activities and campaigns (small tables), one country's when `iso3`
    is given; of published activities only unless `internal`."""
    query = _other_years_statement(iso3 is not None, internal)
    return {int(y) for y in conn.execute(query, {"iso3": iso3}).scalars() if y is not None}


@functools.cache
def _other_years_statement(by_country: bool, internal: bool) -> Select:
    activity_years = select(s.activities.c.year.label("y"))
    if not internal:
        activity_years = activity_years.where(public_activity())
    campaign_years = select(s.campaigns.c.year.label("y"))
    if by_country:
        activity_years = activity_years.where(s.activities.c.country_iso3 == bindparam("iso3"))
        campaign_years = campaign_years.where(s.campaigns.c.country_iso3 == bindparam("iso3"))
    years = union(activity_years, campaign_years).subquery()
    return select(years.c.y).distinct()


def result_counts(column: str, internal: bool = False):
    """Raw results stored per value of `column` ("indicator_code", "country_iso3",
    "source_id"), from the small result_counts table; published ones only unless `internal`."""
    key = C.c[column]
    query = select(key, func.sum(C.c.n_results).label("n")).group_by(key)
    return (query if internal else query.where(public_figure(C))).subquery()


def available_years() -> list[int]:
    """Every year that has a result (by period end), an activity or a campaign."""
    return _available_years(request_data_version())


@cache.memoize_query()
def _available_years(version: int) -> list[int]:
    internal = shows_internal(version)
    with read_connection() as conn:
        years = set(distinct_years(conn, "scope", "programme", internal))
        years |= set(distinct_years(conn, "scope", "country", internal))
        years |= _other_years(conn, None, internal)
    return sorted(years)


def headline_year() -> int | None:
    """The latest year with a programme-wide headline figure (the default view)."""
    return _headline_year(request_data_version())


@cache.memoize_query()
def _headline_year(version: int) -> int | None:
    with read_connection() as conn:
        value = conn.execute(_headline_year_statement(shows_internal(version))).scalar()
    return int(value) if value is not None else None


@functools.cache
def _headline_year_statement(internal: bool) -> Select:
    query = (
        select(func.max(R.c.year))
        .select_from(R.join(s.indicators, R.c.indicator_code == s.indicators.c.code))
        .where(R.c.scope == "programme", R.c.breakdown_dim == "", s.indicators.c.headline.is_not(None))
        .where(year_of(R.c.period_start) == R.c.year)
    )
    return query if internal else query.where(public_figure())


def countries(lang: str) -> pd.DataFrame:
    """The COMPASS countries: iso3, name (in `lang`), name_ar, region; sorted by name."""
    return _countries(lang, request_data_version())


@cache.memoize_query()
def _countries(lang: str, version: int) -> pd.DataFrame:
    return _sort_by_name(_frame(_countries_statement(lang)))


@functools.cache
def _countries_statement(lang: str) -> Select:
    name = _name(s.countries, lang).label("name")
    return select(s.countries.c.iso3, name, s.countries.c.name_ar, s.countries.c.region).where(
        s.countries.c.is_compass.is_(True)
    )


# --- results ---------------------------------------------------------------------


@functools.cache
def _results_query(lang: str, internal: bool) -> Select:
    """Figures with their indicator, place and source; one row per summary row
    (built once per language and audience: callers add their conditions to a copy).

    Published figures only unless `internal`; then with a column `internal`
    (data_access/visibility.py) so that pages and exports mark those figures."""
    query = (
        select(
            R.c.indicator_code,
            *_text_in(s.indicators, "name", lang, "indicator_name"),
            indicator_definition(lang),
            indicator_definition_lang(lang),
            s.indicators.c.unit,
            s.indicators.c.theme,
            s.indicators.c.summable,
            s.indicators.c.headline,
            R.c.scope,
            R.c.country_iso3,
            _name(s.countries, lang).label("country_name"),
            R.c.period_start,
            R.c.period_end,
            R.c.value,
            R.c.qualifier,
            R.c.breakdown_dim,
            R.c.breakdown_value,
            R.c.target,
            _source_title(lang),
            _source_title_lang(lang),
            s.sources.c.publisher.label("source_publisher"),
            s.sources.c.url.label("source_url"),
            s.sources.c.document.label("source_document"),
            s.sources.c.quote.label("source_quote"),
            *_source_note(lang),
            s.sources.c.language.label("source_language"),
            # For small-cell suppression (data_access/suppression.py).
            s.indicators.c.sensitive,
            R.c.id.label("summary_id"),
        )
        .select_from(
            R.join(s.indicators, R.c.indicator_code == s.indicators.c.code)
            .join(s.sources, R.c.source_id == s.sources.c.id)
            .outerjoin(s.countries, R.c.country_iso3 == s.countries.c.iso3)
        )
        .order_by(
            func.coalesce(s.indicators.c.headline, 999),
            R.c.indicator_code,
            R.c.period_start.desc(),
            R.c.country_iso3,
            R.c.source_id,
            R.c.breakdown_dim,
            R.c.breakdown_value,
        )
    )
    return query.add_columns(R.c.internal) if internal else query.where(public_figure())


def _totals(query: Select, breakdowns: bool) -> Select:
    """Only the totals (no breakdown rows) unless `breakdowns`: pages that show
    totals never fetch the breakdown rows, which can be a hundred times more."""
    return query if breakdowns else query.where(R.c.breakdown_dim == "")


def programme_results(year: int, lang: str, breakdowns: bool = True) -> pd.DataFrame:
    """Every programme-wide figure whose period ends in `year` (single year or span);
    totals only when `breakdowns` is False."""
    return _programme_results(year, lang, breakdowns, request_data_version())


@cache.memoize_query()
def _programme_results(year: int, lang: str, breakdowns: bool, version: int) -> pd.DataFrame:
    query = _results_query(lang, shows_internal(version)).where(R.c.scope == "programme", R.c.year == year)
    return apply_suppression(_frame(_totals(query, breakdowns)), version)


def country_results(
    iso3: str, year: int | None, lang: str, breakdowns: bool = True, programme_facts: bool = True
) -> pd.DataFrame:
    """One country's figures whose period ends in `year` (all years when None);
    totals only when `breakdowns` is False; without the programme facts its
    sources cite (model.figures) when `programme_facts` is False."""
    frame = _country_results(iso3.upper(), year, lang, breakdowns, request_data_version())
    if programme_facts or frame.empty:
        return frame
    return frame[~frame.theme.isin(PROGRAMME_FACT_THEMES)].reset_index(drop=True)


@cache.memoize_query()
def _country_results(iso3: str, year: int | None, lang: str, breakdowns: bool, version: int) -> pd.DataFrame:
    statement = _country_results_statement(lang, year is not None, breakdowns, shows_internal(version))
    return apply_suppression(_frame(statement, {"iso3": iso3, "year": year}), version)


@functools.cache
def _country_results_statement(lang: str, by_year: bool, breakdowns: bool, internal: bool) -> Select:
    query = _results_query(lang, internal).where(R.c.country_iso3 == bindparam("iso3"))
    if by_year:
        query = query.where(R.c.year == bindparam("year"))
    return _totals(query, breakdowns)


def country_figure_years(iso3: str) -> list[int]:
    """The years (ascending) in which a country has a total figure of its own:
    a programme fact its sources cite (model.figures) does not count. A country
    page opens on the latest of them."""
    return _country_figure_years(iso3.upper(), request_data_version())


@cache.memoize_query()
def _country_figure_years(iso3: str, version: int) -> list[int]:
    with read_connection() as conn:
        # One index seek per year the country has anything, then, in one round
        # trip, one EXISTS per such year (a round trip per year cost more).
        internal = shows_internal(version)
        years = distinct_years(conn, "country_iso3", iso3, internal)
        if not years:
            return []
        params = {"iso3": iso3} | {f"y{i}": year for i, year in enumerate(years)}
        statement = _own_figure_years_statement(len(years), internal)
        return sorted(int(y) for y in conn.execute(statement, params).scalars())


@functools.cache
def _own_figure_years_statement(count: int, internal: bool) -> CompoundSelect:
    """Of `count` years (bind parameters y0, y1, ...), those in which the country
    (`iso3`) has a total figure whose indicator is not a programme fact
    (a published one unless `internal`)."""

    def own_figure_in(year) -> Select:
        query = (
            select(R.c.id)
            .select_from(R.join(s.indicators, R.c.indicator_code == s.indicators.c.code))
            .where(
                R.c.country_iso3 == bindparam("iso3"),
                R.c.year == year,
                R.c.breakdown_dim == "",
                s.indicators.c.theme.not_in(sorted(PROGRAMME_FACT_THEMES)),
            )
        )
        return query if internal else query.where(public_figure())

    parts = []
    for i in range(count):
        year = bindparam(f"y{i}", type_=Integer)
        parts.append(select(year.label("year")).where(own_figure_in(year).exists()))
    return union_all(*parts)


def country_default_years(iso3: str) -> list[int]:
    """The years a country's page and files open on the latest of: those with a
    figure of its own, else those with an activity or campaign (both cached)."""
    return country_figure_years(iso3) or country_own_years(iso3)


def country_own_years(iso3: str) -> list[int]:
    """The years in which a country has a figure of its own, an activity or a
    campaign: a year whose only figure is a programme fact its source cites is not one."""
    return _country_own_years(iso3.upper(), request_data_version())


@cache.memoize_query()
def _country_own_years(iso3: str, version: int) -> list[int]:
    with read_connection() as conn:
        others = _other_years(conn, iso3, shows_internal(version))
    return sorted(set(_country_figure_years(iso3, version)) | others)


def country_history(iso3: str, lang: str) -> pd.DataFrame:
    """A country's total figures of every year (the country page's "Results over
    time"), with a `year` column (the year the period ends), in the order of
    `country_results`. Programme facts are included; the page sets them apart."""
    return _country_history(iso3.upper(), lang, request_data_version())


@cache.memoize_query()
def _country_history(iso3: str, lang: str, version: int) -> pd.DataFrame:
    internal = shows_internal(version)
    with read_connection() as conn:
        years = distinct_years(conn, "country_iso3", iso3, internal)
    # The years as a list: the country-year index is then read one year at a time.
    frame = _frame(_country_history_statement(lang, internal), {"iso3": iso3, "years": years or [0]})
    frame["year"] = [end.year for end in frame.period_end]
    return apply_suppression(frame, version)


@functools.cache
def _country_history_statement(lang: str, internal: bool) -> Select:
    query = _results_query(lang, internal).where(
        R.c.country_iso3 == bindparam("iso3"),
        R.c.year.in_(bindparam("years", expanding=True)),
        R.c.breakdown_dim == "",
    )
    return query.add_columns(s.sources.c.id.label("source_id"))


def country_breakdowns(iso3: str, year: int) -> pd.DataFrame:
    """A country's broken-down figures of `year` (by sex, age...), per dimension:
    breakdown_dim, figures (how many), indicator_code (the first that has some).
    The country page shows totals and links to the explorer for these."""
    return _country_breakdowns(iso3.upper(), int(year), request_data_version())


@cache.memoize_query()
def _country_breakdowns(iso3: str, year: int, version: int) -> pd.DataFrame:
    frame = _frame(_country_breakdowns_statement(shows_internal(version)), {"iso3": iso3, "year": year})
    frame["figures"] = frame["figures"].astype(int)
    return frame


@functools.cache
def _country_breakdowns_statement(internal: bool) -> Select:
    query = (
        select(
            R.c.breakdown_dim,
            func.count().label("figures"),
            func.min(R.c.indicator_code).label("indicator_code"),
        )
        .where(R.c.country_iso3 == bindparam("iso3"), R.c.year == bindparam("year"), R.c.breakdown_dim != "")
        .group_by(R.c.breakdown_dim)
        .order_by(R.c.breakdown_dim)
    )
    return query if internal else query.where(public_figure())


def country_level_results(
    year: int, lang: str, breakdowns: bool = True, programme_facts: bool = True
) -> pd.DataFrame:
    """Every country-scoped figure whose period ends in `year` (for cross-country
    charts); totals only when `breakdowns` is False; without the programme facts
    a country's source cites (model.figures) when `programme_facts` is False,
    as charts of countries' results need."""
    return _country_level_results(year, lang, breakdowns, programme_facts, request_data_version())


@cache.memoize_query()
def _country_level_results(
    year: int, lang: str, breakdowns: bool, programme_facts: bool, version: int
) -> pd.DataFrame:
    query = _results_query(lang, shows_internal(version)).where(R.c.scope == "country", R.c.year == year)
    if not programme_facts:
        query = query.where(s.indicators.c.theme.not_in(sorted(PROGRAMME_FACT_THEMES)))
    return apply_suppression(_frame(_totals(query, breakdowns)), version)


def indicator_across(code: str, lang: str) -> pd.DataFrame:
    """One indicator's totals across every country (and programme-wide) and every period."""
    return _indicator_across(code, lang, request_data_version())


@cache.memoize_query()
def _indicator_across(code: str, lang: str, version: int) -> pd.DataFrame:
    query = _results_query(lang, shows_internal(version)).where(R.c.indicator_code == code)
    return apply_suppression(_frame(_totals(query, breakdowns=False)), version)


# --- KPIs ------------------------------------------------------------------------


def programme_kpis(year: int, lang: str) -> list[Kpi]:
    """Headline indicators with their programme-wide figures ending in `year`."""
    return _programme_kpis(year, lang, request_data_version())


@cache.memoize_query()
def _programme_kpis(year: int, lang: str, version: int) -> list[Kpi]:
    headline = _frame(
        select(
            s.indicators.c.code,
            *_text_in(s.indicators, "name", lang, "name"),
            s.indicators.c.unit,
            indicator_definition(lang),
            indicator_definition_lang(lang),
        )
        .where(s.indicators.c.headline.is_not(None))
        .order_by(s.indicators.c.headline)
    )
    start, _end = _year_range(year)
    published = apply_suppression(
        _frame(
            _results_query(lang, shows_internal(version)).where(
                R.c.scope == "programme",
                R.c.year == year,
                R.c.indicator_code.in_(headline.code.tolist() or [""]),
                R.c.breakdown_dim == "",
            )
        ),
        version,
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
                name_lang=row.name_lang,
                definition_lang=row.definition_lang,
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
        source_note_lang=row.source_note_lang,
        source_language=row.source_language or "fr",
        suppressed=bool(getattr(row, "suppressed", False)),
        internal=bool(getattr(row, "internal", False)),  # the column exists for staff only
        source_title_lang=row.source_title_lang,
    )


# --- activities, partners, campaigns ------------------------------------------------


@functools.cache
def _activities_query(lang: str, internal: bool) -> Select:
    """Activities with their place, partners and source: published ones only
    unless `internal`, then with a column `internal` (data_access/visibility.py)."""
    partner_name = _name(s.partners, lang)
    partner_names = (
        select(func.aggregate_strings(partner_name, "; "))
        .select_from(s.activity_partners.join(s.partners))
        .where(s.activity_partners.c.activity_id == s.activities.c.id)
        .scalar_subquery()
    )
    query = (
        select(
            s.activities.c.key,
            s.activities.c.country_iso3,
            _name(s.countries, lang).label("country_name"),
            s.activities.c.year,
            s.activities.c.theme,
            *_text_in(s.activities, "description", lang, "description"),
            partner_names.label("partners"),
            _source_title(lang),
            _source_title_lang(lang),
            s.sources.c.url.label("source_url"),
            s.sources.c.quote.label("source_quote"),
            s.sources.c.language.label("source_language"),
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
    return query.add_columns(activity_flag()) if internal else query.where(public_activity())


def activities(year: int, lang: str, iso3: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Partner activities of `year` (one country's when `iso3` is given), partners named."""
    return _activities(year, lang, iso3.upper() if iso3 else None, limit, request_data_version())


@cache.memoize_query()
def _activities(year: int, lang: str, iso3: str | None, limit: int | None, version: int) -> pd.DataFrame:
    statement = _activities_statement(lang, bool(iso3), limit or None, shows_internal(version))
    return _frame(statement, {"year": year, "iso3": iso3})


@functools.cache
def _activities_statement(lang: str, by_country: bool, limit: int | None, internal: bool) -> Select:
    query = _activities_query(lang, internal).where(s.activities.c.year == bindparam("year"))
    if by_country:
        query = query.where(s.activities.c.country_iso3 == bindparam("iso3"))
    return query.limit(limit) if limit else query


def country_partners(iso3: str, year: int | None, lang: str) -> pd.DataFrame:
    """Partners of a country's activities: name, acronym, type, number of activities."""
    return _country_partners(iso3.upper(), year, lang, request_data_version())


@cache.memoize_query()
def _country_partners(iso3: str, year: int | None, lang: str, version: int) -> pd.DataFrame:
    statement = _country_partners_statement(lang, year is not None, shows_internal(version))
    return _frame(statement, {"iso3": iso3, "year": year})


@functools.cache
def _country_partners_statement(lang: str, by_year: bool, internal: bool) -> Select:
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
        .where(s.activities.c.country_iso3 == bindparam("iso3"))
        .group_by(s.partners.c.key, name, s.partners.c.acronym, s.partners.c.type)
        .order_by(name)
    )
    if not internal:  # a partner named by published activities only counts those
        query = query.where(public_activity())
    return query.where(s.activities.c.year == bindparam("year")) if by_year else query


def campaigns(year: int | None, lang: str, iso3: str | None = None) -> pd.DataFrame:
    """Campaigns of `year` (all years when None), one country's when `iso3` is given."""
    return _campaigns(year, lang, iso3.upper() if iso3 else None, request_data_version())


@cache.memoize_query()
def _campaigns(year: int | None, lang: str, iso3: str | None, version: int) -> pd.DataFrame:
    statement = _campaigns_statement(lang, year is not None, iso3 is not None)
    return _frame(statement, {"year": year, "iso3": iso3})


@functools.cache
def _campaigns_statement(lang: str, by_year: bool, by_country: bool) -> Select:
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
            *_text_in(s.campaigns, "description", lang, "description"),
            _source_title(lang),
            _source_title_lang(lang),
            s.sources.c.url.label("source_url"),
            s.sources.c.quote.label("source_quote"),
            s.sources.c.language.label("source_language"),
        )
        .select_from(
            s.campaigns.join(s.sources, s.campaigns.c.source_id == s.sources.c.id).outerjoin(
                s.countries, s.campaigns.c.country_iso3 == s.countries.c.iso3
            )
        )
        .order_by(s.campaigns.c.year.desc(), s.campaigns.c.name)
    )
    if by_year:
        query = query.where(s.campaigns.c.year == bindparam("year"))
    if by_country:
        query = query.where(s.campaigns.c.country_iso3 == bindparam("iso3"))
    return query


# --- per-country summaries -------------------------------------------------------


def country_coverage(year: int, lang: str) -> pd.DataFrame:
    """For each COMPASS country: how many figures, activities and partners `year` has."""
    return _country_coverage(year, lang, request_data_version())


@cache.memoize_query()
def _country_coverage(year: int, lang: str, version: int) -> pd.DataFrame:
    # A figure is one source's yearly figure (a summary row), breakdowns included;
    # a programme fact a country's source cites is not the country's (model.figures).
    internal = shows_internal(version)
    figures = (
        select(func.count())
        .select_from(R.join(s.indicators, R.c.indicator_code == s.indicators.c.code))
        .where(
            R.c.country_iso3 == s.countries.c.iso3,
            R.c.year == year,
            s.indicators.c.theme.not_in(sorted(PROGRAMME_FACT_THEMES)),
            *([] if internal else [public_figure()]),
        )
        .scalar_subquery()
    )
    shown_activity = [] if internal else [public_activity()]
    acts = (
        select(func.count())
        .where(
            s.activities.c.country_iso3 == s.countries.c.iso3, s.activities.c.year == year, *shown_activity
        )
        .scalar_subquery()
    )
    partner_count = (
        select(func.count(distinct(s.activity_partners.c.partner_id)))
        .select_from(s.activity_partners.join(s.activities))
        .where(
            s.activities.c.country_iso3 == s.countries.c.iso3, s.activities.c.year == year, *shown_activity
        )
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


@cache.memoize_query()
def _country_years(iso3: str, version: int) -> list[int]:
    internal = shows_internal(version)
    with read_connection() as conn:
        years = set(distinct_years(conn, "country_iso3", iso3, internal)) | _other_years(conn, iso3, internal)
    return sorted(years)


def has_synthetic_data() -> bool:
    """Whether any generated (synthetic) figure is loaded: the pages then say so."""
    return _has_synthetic_data(request_data_version())


@cache.memoize_query()
def _has_synthetic_data(version: int) -> bool:
    # Read from the few thousand rows of result_counts, never from results.
    query = select(C.c.id).where(C.c.is_synthetic.is_(True)).limit(1)
    if not shows_internal(version):
        query = query.where(public_figure(C))
    with read_connection() as conn:
        return conn.execute(query).first() is not None


def sees_internal() -> bool:
    """Whether the current request's audience sees internal (unpublished) rows:
    pages then mark them, and the Data page lists every batch."""
    return shows_internal(request_data_version())


def data_version() -> int:
    """The current data version number (shown on pages; cache keys add its token)."""
    return request_data_version().number


def data_updated_on() -> date | None:
    """The day the data last changed (shown in the footer)."""
    return _data_updated_on(request_data_version())


@cache.memoize_query()
def _data_updated_on(version: int) -> date | None:
    with read_connection() as conn:
        value = conn.execute(select(s.data_version.c.changed_at).where(s.data_version.c.id == 1)).scalar()
    return value.date() if value is not None else None


__all__ = [
    "activities",
    "available_years",
    "campaigns",
    "countries",
    "country_breakdowns",
    "country_default_years",
    "country_figure_years",
    "country_history",
    "country_own_years",
    "country_coverage",
    "country_level_results",
    "country_partners",
    "country_results",
    "country_years",
    "data_updated_on",
    "data_version",
    "distinct_years",
    "has_synthetic_data",
    "headline_year",
    "indicator_across",
    "indicator_definition",
    "indicator_definition_lang",
    "programme_kpis",
    "programme_results",
    "result_counts",
    "sees_internal",
    "stored_title_lang",
]
