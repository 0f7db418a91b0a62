"""The result summary: yearly figures the pages read instead of raw results.

A row of `results` is one figure stated by one source. A source may state a
year's figure in parts (monthly rows, one row per partner): those parts are
summed into one yearly figure, in SQL, by `refresh_summary`. Figures of
different sources are never added together (the source is part of the group),
nor are figures of an indicator that may not be summed (its exact period is
part of the group, so each such row stays alone). For the reference data every
group is a single row, so the summary states exactly what the sources state.

`result_counts` rolls the summary up further (per source, indicator, place and
breakdown dimension, all years together): a few thousand rows at any size, for
the lists and counts of the explorer and the Data page.

Every writer calls `refresh_summary` in its own transaction, for the sources it
touched, so both are exact whenever the data version changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Integer, case, cast, delete, func, insert, literal, select, text
from sqlalchemy.sql.elements import ColumnElement

from data_access import schema as s

# Bound parameters per statement stay well under SQLite's and PostgreSQL's limits.
_CHUNK = 500


def year_of(column: ColumnElement) -> ColumnElement:
    """The calendar year of a date column, as an integer on both engines."""
    return cast(func.extract("year", column), Integer)


def _summary_select(source_ids: list[int] | None):
    """SELECT the summary rows of `source_ids` (every source when None), grouped."""
    r, i, b = s.results, s.indicators, s.import_batches
    # Rows of an internal batch are summed apart: the public never reads them.
    internal = func.coalesce(b.c.visibility, "public") == "internal"
    # NULL for summable indicators: their parts within a year group together;
    # the exact dates for the others, so their rows are never summed.
    exact_start = case((i.c.summable.is_(True), literal(None)), else_=r.c.period_start)
    exact_end = case((i.c.summable.is_(True), literal(None)), else_=r.c.period_end)
    start_year, end_year = year_of(r.c.period_start), year_of(r.c.period_end)
    keys = (
        r.c.indicator_code,
        r.c.scope,
        r.c.country_iso3,
        r.c.source_id,
        r.c.breakdown_dim,
        r.c.breakdown_value,
        r.c.qualifier,
        r.c.is_synthetic,
        internal,
        start_year,
        end_year,
        exact_start,
        exact_end,
    )
    query = (
        select(
            r.c.indicator_code,
            r.c.scope,
            r.c.country_iso3,
            end_year.label("year"),
            func.min(r.c.period_start).label("period_start"),
            func.max(r.c.period_end).label("period_end"),
            func.sum(r.c.value).label("value"),
            r.c.qualifier,
            r.c.breakdown_dim,
            r.c.breakdown_value,
            func.sum(r.c.target).label("target"),
            r.c.source_id,
            r.c.is_synthetic,
            func.count().label("n_results"),
            internal.label("internal"),
        )
        .select_from(r.join(i, r.c.indicator_code == i.c.code).outerjoin(b, r.c.batch_id == b.c.id))
        .group_by(*keys)
        # Written in the order of the country-year index: a country-year's rows
        # share a few pages, which the country page then reads in one sweep.
        .order_by(r.c.country_iso3, end_year, r.c.breakdown_dim, r.c.indicator_code)
    )
    if source_ids is not None:
        query = query.where(r.c.source_id.in_(source_ids))
    return query


_COLUMNS = (
    "indicator_code",
    "scope",
    "country_iso3",
    "year",
    "period_start",
    "period_end",
    "value",
    "qualifier",
    "breakdown_dim",
    "breakdown_value",
    "target",
    "source_id",
    "is_synthetic",
    "n_results",
    "internal",
)


_COUNT_KEYS = (
    "source_id",
    "indicator_code",
    "scope",
    "country_iso3",
    "breakdown_dim",
    "is_synthetic",
    "internal",
)


def _counts_select(source_ids: list[int] | None):
    """SELECT the result_counts rows of `source_ids` from the (fresh) summary."""
    r = s.result_summary
    keys = [r.c[k] for k in _COUNT_KEYS]
    query = select(*keys, func.count().label("figures"), func.sum(r.c.n_results).label("n_results")).group_by(
        *keys
    )
    return query if source_ids is None else query.where(r.c.source_id.in_(source_ids))


def _rewrite(conn: Connection, chunk: list[int] | None) -> None:
    """Delete and re-insert the summary, then the counts, of `chunk` (every source: None)."""
    for table, rows in ((s.result_summary, _summary_select), (s.result_counts, _counts_select)):
        removal = delete(table) if chunk is None else delete(table).where(table.c.source_id.in_(chunk))
        conn.execute(removal)
        columns = _COLUMNS if table is s.result_summary else (*_COUNT_KEYS, "figures", "n_results")
        conn.execute(insert(table).from_select(columns, rows(chunk)))


# On PostgreSQL, with the default work_mem (4 MB) and its estimate of millions of
# groups, the planner sorts 10 million rows on twelve keys (three minutes) where a
# hash aggregate takes seconds (the groups are about a tenth of the rows, and a
# hash aggregate that outgrows work_mem spills to disk rather than failing).
# Both settings are changed for the refresh only.
_REFRESH_SETTINGS = {"work_mem": "256MB", "enable_sort": "off"}


@contextmanager
def _hash_aggregation(conn: Connection) -> Iterator[None]:
    """On PostgreSQL, plan the refresh with a hash aggregate, then restore the caller's settings."""
    if conn.dialect.name != "postgresql":
        yield
        return
    previous = {name: conn.execute(text(f"SHOW {name}")).scalar() for name in _REFRESH_SETTINGS}
    _set_local(conn, _REFRESH_SETTINGS)
    yield  # on an error the transaction is rolled back, and the settings with it
    _set_local(conn, previous)


def _set_local(conn: Connection, settings: dict[str, str]) -> None:
    for name, value in settings.items():
        conn.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})


def refresh_summary(conn: Connection, source_ids: Iterable[int] | None = None) -> None:
    """Make the summary (and its counts) of `source_ids` (all sources when None) match `results`.

    Set-based: one DELETE and one INSERT ... SELECT ... GROUP BY per table and
    chunk of sources, in the caller's transaction, so readers never see a
    half-refreshed summary and a failed load leaves it as it was.
    """
    ids = None if source_ids is None else sorted({int(i) for i in source_ids})
    with _hash_aggregation(conn):
        if ids is None:
            _rewrite(conn, None)
            return
        for at in range(0, len(ids), _CHUNK):
            _rewrite(conn, ids[at : at + _CHUNK])


__all__ = ["refresh_summary", "year_of"]
