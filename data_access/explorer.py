"""Cached queries for the indicator explorer (/indicators).

Same pattern as `data_access.queries`: each public function reads the data
version once per request and calls a function memoized by its plain, hashable
arguments and that version. Counting happens in SQL; nothing is ever summed:
a figure stated by several sources comes back once per source, with the number
of sources stating a figure for the same indicator, place, period and
breakdown, so the page can show each of them rather than a made-up total.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, or_, select

from data_access import schema as s
from data_access.cache import cache
from data_access.catalog import indicator_definitions
from data_access.db import read_connection, request_data_version
from data_access.queries import (
    R,
    _frame,
    _name,
    _results_query,
    distinct_years,
    result_counts,
)
from model.places import PROGRAMME, collation_key

# The indicator the explorer opens with: a headline figure published for countries
# and for the whole programme, in several years.
PREFERRED_INDICATOR = "migrants_return_assistance"

# The natural key of a figure without its source: several sources may state it.
_FIGURE_KEY = (
    R.c.indicator_code,
    R.c.scope,
    R.c.country_iso3,
    R.c.period_start,
    R.c.period_end,
    R.c.breakdown_dim,
    R.c.breakdown_value,
)


def _normalized(values) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values or ()}))


def explorer_results(
    indicators: tuple[str, ...],
    countries: tuple[str, ...] = (),
    years: tuple[int, ...] = (),
    breakdown: str | None = None,
    lang: str = "en",
    until: int | None = None,
) -> pd.DataFrame:
    """Every published figure of `indicators` for the chosen places and years.

    `countries`: ISO3 codes and/or "programme" (programme-wide figures); empty
    means every country and programme-wide. `years`: a figure matches when its
    period ends in one of them; empty means every year, or every year up to
    `until` when given (a pinned link's data cutoff; ignored when `years` names
    some). `breakdown`: None for
    the totals, else a dimension ("sex") whose broken-down figures are returned.

    Columns: those of `queries.country_results` (indicator_code, indicator_name,
    unit, summable, scope, country_iso3, country_name, period_start, period_end,
    value, qualifier, breakdown_dim, breakdown_value, target, source_title,
    source_url, source_quote, source_note, source_language...), plus `year`
    (the year the period ends) and `sources` (how many sources state a figure
    for the same indicator, place, period and breakdown). One row per source.
    """
    chosen = tuple(sorted({int(y) for y in years or ()}))
    return _explorer_results(
        _normalized(indicators),
        _normalized(c.upper() if c.lower() != PROGRAMME else PROGRAMME for c in countries or ()),
        chosen,
        breakdown or None,
        lang,
        request_data_version(),
        None if chosen or until is None else int(until),
    )


@cache.memoize_query()
def _explorer_results(
    indicators: tuple[str, ...],
    countries: tuple[str, ...],
    years: tuple[int, ...],
    breakdown: str | None,
    lang: str,
    version: int,
    until: int | None = None,
) -> pd.DataFrame:
    r = R.c
    sources = func.count().over(partition_by=list(_FIGURE_KEY)).label("sources")
    query = (
        _results_query(lang)
        .add_columns(sources)
        .where(r.indicator_code.in_(indicators or ("",)), r.breakdown_dim == (breakdown or ""))
    )
    if countries:
        isos = [c for c in countries if c != PROGRAMME]
        places = [r.country_iso3.in_(isos)] if isos else []
        if PROGRAMME in countries:
            places.append(r.scope == "programme")
        query = query.where(or_(*places))
    if years:
        query = query.where(r.year.in_(years))
    elif until is not None:
        query = query.where(r.year <= until)
    frame = _frame(query)
    frame["year"] = [d.year for d in frame.period_end]
    frame["sources"] = frame["sources"].astype(int)
    frame["summable"] = frame["summable"].astype(bool)
    frame["target"] = pd.to_numeric(frame["target"]).astype(float)  # NaN where there is none
    return _in_reading_order(frame)


def _in_reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicators in headline order, programme-wide first, then countries by name
    (accents ignored), then periods, breakdown values and sources."""
    if frame.empty:
        return frame.reset_index(drop=True)
    keys = pd.DataFrame(
        {
            "headline": frame.headline.fillna(999),
            "code": frame.indicator_code,
            "place": [
                "" if scope == "programme" else "~" + collation_key(name or iso3)
                for scope, name, iso3 in zip(frame.scope, frame.country_name, frame.country_iso3, strict=True)
            ],
            "end": frame.period_end,
            "start": frame.period_start,
            "breakdown": frame.breakdown_value,
        }
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def country_options(lang: str) -> pd.DataFrame:
    """The places a figure can be chosen for: the COMPASS countries and any other
    country with a figure. Columns iso3, name (in `lang`), results; sorted by name."""
    return _country_options(lang, request_data_version())


@cache.memoize_query()
def _country_options(lang: str, version: int) -> pd.DataFrame:
    c = s.countries.c
    name = _name(s.countries, lang).label("name")
    counts = result_counts("country_iso3")
    results = func.coalesce(counts.c.n, 0)
    query = (
        select(c.iso3, name, results.label("results"))
        .select_from(s.countries.outerjoin(counts, counts.c.country_iso3 == c.iso3))
        .where(or_(c.is_compass.is_(True), results > 0))
    )
    frame = _frame(query)
    frame["results"] = frame["results"].astype(int)
    return frame.sort_values("name", key=lambda col: col.map(collation_key)).reset_index(drop=True)


def result_years() -> list[int]:
    """The years in which some figure's period ends, ascending."""
    return _result_years(request_data_version())


@cache.memoize_query()
def _result_years(version: int) -> list[int]:
    with read_connection() as conn:
        years = set(distinct_years(conn, "scope", "programme"))
        years |= set(distinct_years(conn, "scope", "country"))
    return sorted(years)


def breakdown_options() -> list[str]:
    """The breakdown dimensions present in the data ("age_group", "sex"...), sorted."""
    return _breakdown_options(request_data_version())


@cache.memoize_query()
def _breakdown_options(version: int) -> list[str]:
    dim = s.result_counts.c.breakdown_dim
    with read_connection() as conn:
        rows = conn.execute(select(dim).distinct().where(dim != "").order_by(dim)).scalars().all()
    return [str(d) for d in rows]


def default_indicators() -> tuple[str, ...]:
    """What the explorer shows when the address names no indicator: the preferred
    headline indicator if it has figures, else the first headline indicator with
    figures, else any indicator with figures (empty on an empty database)."""
    options = indicator_definitions("en")
    with_data = options[options.results > 0]
    if PREFERRED_INDICATOR in set(with_data.code):
        return (PREFERRED_INDICATOR,)
    if with_data.empty:
        return ()
    ranked = with_data.assign(rank=with_data.headline.fillna(999)).sort_values("rank", kind="stable")
    return (str(ranked.code.iloc[0]),)


__all__ = [
    "breakdown_options",
    "country_options",
    "default_indicators",
    "explorer_results",
    "result_years",
]
