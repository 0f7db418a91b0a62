"""Cached queries about the data itself: import history, sources, indicator
definitions, targets and the state of the database (for the Data page and the
country page's targets).

Same pattern as `data_access.queries`: each public function reads the data
version once per request and calls a memoized private function keyed by its
plain arguments and that version; counts are computed in SQL.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Select, bindparam, func, select, union

from data_access import schema as s
from data_access.cache import cache
from data_access.db import read_connection, request_data_version
from data_access.queries import (
    R,
    _frame,
    _in_lang,
    _lang_of,
    _results_query,
    _text_in,
    indicator_definition,
    indicator_definition_lang,
    result_counts,
    stored_title_lang,
)
from data_access.suppression import apply_suppression
from data_access.version import DataVersion
from data_access.visibility import (
    PUBLIC,
    public_activity,
    public_figure,
    public_source,
    shows_internal,
)
from model.places import collation_key

# Columns that identify a source document. Sources are stored one row per quote
# or note (so a figure points at its own sentence); the Data page lists each
# document once, with everything that cites any of its rows.
_SOURCE_IDENTITY = (
    s.sources.c.title,
    s.sources.c.title_fr,
    s.sources.c.title_ar,
    s.sources.c.publisher,
    s.sources.c.url,
    s.sources.c.document,
    s.sources.c.language,
)


# --- import history -------------------------------------------------------------------


def import_history(limit: int = 50) -> pd.DataFrame:
    """The latest `limit` import batches, newest first: id, kind, file_name,
    checksum, rows_total/added/updated/unchanged, loaded_by, loaded_at,
    visibility. The published batches only, unless the audience sees internal rows."""
    return _import_history(int(limit), request_data_version())


@cache.memoize_query()
def _import_history(limit: int, version: int) -> pd.DataFrame:
    b = s.import_batches.c
    query = (
        select(
            b.id,
            b.kind,
            b.file_name,
            b.checksum,
            b.rows_total,
            b.rows_added,
            b.rows_updated,
            b.rows_unchanged,
            b.loaded_by,
            b.loaded_at,
            b.visibility,
        )
        .order_by(b.loaded_at.desc(), b.id.desc())
        .limit(limit)
    )
    if not shows_internal(version):
        query = query.where(b.visibility == PUBLIC)
    return _frame(query)


# --- sources ----------------------------------------------------------------------------


def _citations(table, rows=None, shown=None):
    """source_id -> number of rows of `table` citing it (`rows` counts them);
    only those meeting the condition `shown` when given."""
    query = (
        select(table.c.source_id, (func.count() if rows is None else func.sum(rows)).label("n"))
        .where(table.c.source_id.is_not(None))
        .group_by(table.c.source_id)
    )
    return (query if shown is None else query.where(shown)).subquery()


def _figure_citations(internal: bool):
    counts = s.result_counts
    return _citations(counts, counts.c.n_results, None if internal else public_figure(counts))


def source_list(lang: str) -> pd.DataFrame:
    """Every source document: title (French where asked for and known), publisher,
    url, document, language, entries (quotes or notes stored for it) and how many
    results, activities and campaigns cite it; sorted by title, accents ignored."""
    return _source_list(lang, request_data_version())


@cache.memoize_query()
def _source_list(lang: str, version: int) -> pd.DataFrame:
    internal = shows_internal(version)
    results = _figure_citations(internal)
    acts = _citations(s.activities, shown=None if internal else public_activity())
    camps = _citations(s.campaigns)
    # In `lang` where translated, else as the source gives it (in its own language).
    title = _in_lang(s.sources, "title", lang, english=s.sources.c.title)
    title_lang = _lang_of(s.sources, "title", lang, english=stored_title_lang())
    query = (
        select(
            title.label("title"),
            title_lang.label("title_lang"),
            s.sources.c.publisher,
            s.sources.c.url,
            s.sources.c.document,
            s.sources.c.language,
            func.count(s.sources.c.id).label("entries"),
            func.coalesce(func.sum(results.c.n), 0).label("results"),
            func.coalesce(func.sum(acts.c.n), 0).label("activities"),
            func.coalesce(func.sum(camps.c.n), 0).label("campaigns"),
        )
        .select_from(
            s.sources.outerjoin(results, results.c.source_id == s.sources.c.id)
            .outerjoin(acts, acts.c.source_id == s.sources.c.id)
            .outerjoin(camps, camps.c.source_id == s.sources.c.id)
        )
        .group_by(*_SOURCE_IDENTITY)
    )
    if not internal:  # a source only internal rows cite is not listed
        query = query.where(public_source())
    frame = _frame(query)
    for column in ("entries", "results", "activities", "campaigns"):
        frame[column] = frame[column].astype(int)
    return frame.sort_values(["title", "url"], key=lambda col: col.fillna("").map(collation_key)).reset_index(
        drop=True
    )


def notes_without_french() -> pd.DataFrame:
    """Every source whose note has no French text yet (French pages show it in
    English): title, url, note, and `results`, the figures citing it; sorted by
    title, accents ignored. Empty when every note is translated."""
    return _notes_without_french(request_data_version())


@cache.memoize_query()
def _notes_without_french(version: int) -> pd.DataFrame:
    internal = shows_internal(version)
    results = _figure_citations(internal)
    note = s.sources.c.note
    query = (
        select(
            s.sources.c.title,
            s.sources.c.url,
            note,
            func.coalesce(results.c.n, 0).label("results"),
        )
        .select_from(s.sources.outerjoin(results, results.c.source_id == s.sources.c.id))
        .where(func.coalesce(func.trim(note), "") != "")
        .where(func.coalesce(func.trim(s.sources.c.note_fr), "") == "")
    )
    if not internal:
        query = query.where(public_source())
    frame = _frame(query)
    frame["results"] = frame["results"].astype(int)
    return frame.sort_values(
        ["title", "note"], key=lambda col: col.fillna("").map(collation_key)
    ).reset_index(drop=True)


# --- indicators ----------------------------------------------------------------------------


def indicator_definitions(lang: str) -> pd.DataFrame:
    """Every indicator: code, name, unit, theme, summable, headline (its KPI card's
    place, NaN for none), definition (in `lang`, else English) and `results`
    (figures stored for it); sorted by name, accents ignored. The Data page lists
    it and the explorer offers it: one query, so both always agree."""
    return _indicator_definitions(lang, request_data_version())


@cache.memoize_query()
def _indicator_definitions(lang: str, version: int) -> pd.DataFrame:
    i = s.indicators.c
    internal = shows_internal(version)
    counts = result_counts("indicator_code", internal)
    query = select(
        i.code,
        *_text_in(s.indicators, "name", lang, "name"),
        i.unit,
        i.theme,
        i.summable,
        i.headline,
        indicator_definition(lang),
        indicator_definition_lang(lang),
        func.coalesce(counts.c.n, 0).label("results"),
    ).select_from(s.indicators.outerjoin(counts, counts.c.indicator_code == i.code))
    if not internal:  # an indicator only internal figures use is not listed
        stated = select(s.result_counts.c.id).where(s.result_counts.c.indicator_code == i.code)
        query = query.where(~stated.exists() | stated.where(public_figure(s.result_counts)).exists())
    frame = _frame(query)
    frame["summable"] = frame["summable"].astype(bool)
    frame["results"] = frame["results"].astype(int)
    return frame.sort_values("name", key=lambda col: col.map(collation_key)).reset_index(drop=True)


# --- targets ---------------------------------------------------------------------------------


def country_targets(iso3: str, year: int, lang: str) -> pd.DataFrame:
    """A country's figures that carry a target, period ending in `year`: the
    columns of `queries.country_results` (indicator name, unit, period, value,
    qualifier, target, breakdown, source...)."""
    return _country_targets(iso3.upper(), int(year), lang, request_data_version())


@cache.memoize_query()
def _country_targets(iso3: str, year: int, lang: str, version: int) -> pd.DataFrame:
    statement = _country_targets_statement(lang, shows_internal(version))
    return apply_suppression(_frame(statement, {"iso3": iso3, "year": year}), version)


@functools.cache
def _country_targets_statement(lang: str, internal: bool) -> Select:
    return _results_query(lang, internal).where(
        R.c.country_iso3 == bindparam("iso3"), R.c.year == bindparam("year"), R.c.target.is_not(None)
    )


# --- state of the data ----------------------------------------------------------------------


@dataclass(frozen=True)
class DataStatus:
    """What the database holds, for the Data page's summary."""

    version: int
    changed_at: datetime | None  # naive values are UTC (SQLite's CURRENT_TIMESTAMP)
    results: int
    countries_with_data: int  # countries with a result, an activity or a campaign
    sources: int  # source documents, counted as source_list() lists them


def data_status() -> DataStatus:
    """The data version, when it changed, and how much data there is."""
    return _data_status(request_data_version())


@cache.memoize_query()
def _data_status(version: DataVersion) -> DataStatus:
    internal = shows_internal(version)
    figures = [] if internal else [public_figure(s.result_counts)]
    places = union(
        select(s.result_counts.c.country_iso3.label("iso3")).where(*figures),
        select(s.activities.c.country_iso3.label("iso3")).where(*([] if internal else [public_activity()])),
        select(s.campaigns.c.country_iso3.label("iso3")),
    ).subquery()
    documents = (
        select(*_SOURCE_IDENTITY).where(*([] if internal else [public_source()])).distinct().subquery()
    )
    with read_connection() as conn:
        changed_at = conn.execute(
            select(s.data_version.c.changed_at).where(s.data_version.c.id == 1)
        ).scalar()
        results = conn.execute(select(func.sum(s.result_counts.c.n_results)).where(*figures)).scalar()
        countries = conn.execute(
            select(func.count(func.distinct(places.c.iso3))).where(places.c.iso3.is_not(None))
        ).scalar()
        sources = conn.execute(select(func.count()).select_from(documents)).scalar()
    return DataStatus(
        version=version.number,
        changed_at=changed_at,
        results=int(results or 0),
        countries_with_data=int(countries or 0),
        sources=int(sources or 0),
    )


__all__ = [
    "DataStatus",
    "country_targets",
    "data_status",
    "import_history",
    "indicator_definitions",
    "source_list",
]
