"""Set-based checks and writes for result rows, through a temporary staging table.

Rows stream into the staging table in chunks; duplicates inside the file and
conflicts with stored figures are found with SQL joins; new rows are inserted
and changed rows updated with one statement each. Memory stays bounded
whatever the file size, and everything runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.schema import CreateTable

from data_access import schema as s
from data_access.imports.problems import Problems
from data_access.summary import refresh_summary

_meta = MetaData()
staging = Table(
    "import_staging",
    _meta,
    Column("row_no", Integer, nullable=False),
    Column("indicator_code", String(80), nullable=False),
    Column("country_key", String(3), nullable=False),  # "" = programme-wide
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("breakdown_dim", String(40), nullable=False),
    Column("breakdown_value", String(80), nullable=False),
    Column("value", Float, nullable=False),
    Column("qualifier", String(12), nullable=False),
    Column("target", Float),
    Column("implementing_partner", String(300)),
    Column("source_id", Integer, nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_KEY = ("indicator_code", "period_start", "period_end", "breakdown_dim", "breakdown_value")
# Built after the rows are in: one sort instead of a million index updates.
_KEY_INDEX = Index("ix_import_staging_key", *(staging.c[k] for k in (*_KEY, "country_key", "source_id")))


@dataclass
class ResultCounts:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    side_by_side: int = 0


def create_staging(conn: Connection) -> None:
    """The staging table, empty and without its index."""
    staging.drop(conn, checkfirst=True)
    conn.execute(CreateTable(staging))


def stage(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(staging.insert(), rows)


def _same_place(r=s.results, st=staging):
    return and_(*(r.c[k] == st.c[k] for k in _KEY), func.coalesce(r.c.country_iso3, "") == st.c.country_key)


def _same_figure(r=s.results, st=staging):
    return and_(_same_place(r, st), r.c.source_id == st.c.source_id)


def _differs(r=s.results, st=staging):
    return or_(
        r.c.value != st.c.value,
        r.c.qualifier != st.c.qualifier,
        r.c.target.is_distinct_from(st.c.target),
        r.c.implementing_partner.is_distinct_from(st.c.implementing_partner),
    )


def check(conn: Connection, problems: Problems, replace: bool) -> ResultCounts:
    """Duplicates in the file, conflicts with stored figures, and what would change."""
    _KEY_INDEX.create(conn)
    counts = ResultCounts(rows=conn.execute(select(func.count()).select_from(staging)).scalar())
    _report_duplicates(conn, problems)
    changed = (
        select(staging.c.row_no, s.results.c.value, s.results.c.qualifier, staging.c.value.label("new"))
        .select_from(staging.join(s.results, _same_figure()))
        .where(_differs())
        .order_by(staging.c.row_no)
    )
    for row_no, old, old_qualifier, new in conn.execute(changed):
        counts.updated += 1
        if not replace:
            problems.error(
                row_no,
                "value",
                f"{new:g}",
                "conflicts_with_stored",
                f"the same source already states {old:g} ({old_qualifier}) for this indicator, place "
                "and period; import with --replace to overwrite it",
            )
    counts.unchanged = conn.execute(
        select(func.count()).select_from(staging.join(s.results, _same_figure())).where(~_differs())
    ).scalar()
    counts.added = counts.rows - counts.updated - counts.unchanged
    # New or changed figures that another source states differently: worth a word.
    stored_same = s.results.alias("stored_same")
    other = (
        select(staging.c.row_no, s.results.c.value, s.sources.c.title)
        .select_from(
            staging.join(s.results, _same_place())
            .join(s.sources, s.results.c.source_id == s.sources.c.id)
            .outerjoin(stored_same, _same_figure(stored_same))
        )
        .where(s.results.c.source_id != staging.c.source_id, s.results.c.value != staging.c.value)
        .where(or_(stored_same.c.id.is_(None), _differs(stored_same)))
        .order_by(staging.c.row_no)
    )
    for row_no, value, title in conn.execute(other):
        counts.side_by_side += 1
        problems.warn(
            row_no,
            "value",
            "",
            "differs_from_other_source",
            f"another source ({title}) states {value:g}; both figures are kept, side by side",
        )
    return counts


def _report_duplicates(conn: Connection, problems: Problems) -> None:
    keys = (*_KEY, "country_key", "source_id")
    dupes = (
        select(*(staging.c[k] for k in keys), func.min(staging.c.row_no).label("first"))
        .group_by(*(staging.c[k] for k in keys))
        .having(func.count() > 1)
        .subquery()
    )
    rows = (
        select(staging.c.row_no, dupes.c.first)
        .select_from(staging.join(dupes, and_(*(staging.c[k] == dupes.c[k] for k in keys))))
        .where(staging.c.row_no != dupes.c.first)
        .order_by(staging.c.row_no)
    )
    for row_no, first in conn.execute(rows):
        problems.error(
            row_no,
            "",
            "",
            "duplicate_row",
            f"same indicator, place, period, breakdown and source as row {first}",
        )


def write(conn: Connection, batch_id: int, replace: bool) -> None:
    """Insert new figures; with `replace`, update the changed ones."""
    columns = [
        "indicator_code",
        "scope",
        "country_iso3",
        "period_start",
        "period_end",
        "value",
        "qualifier",
        "breakdown_dim",
        "breakdown_value",
        "target",
        "implementing_partner",
        "source_id",
        "batch_id",
        "is_synthetic",
    ]
    new_rows = (
        select(
            staging.c.indicator_code,
            case((staging.c.country_key == "", "programme"), else_="country"),
            func.nullif(staging.c.country_key, ""),
            staging.c.period_start,
            staging.c.period_end,
            staging.c.value,
            staging.c.qualifier,
            staging.c.breakdown_dim,
            staging.c.breakdown_value,
            staging.c.target,
            staging.c.implementing_partner,
            staging.c.source_id,
            literal(batch_id),
            literal(False),
        )
        .select_from(staging.outerjoin(s.results, _same_figure()))
        .where(s.results.c.id.is_(None))
    )
    conn.execute(insert(s.results).from_select(columns, new_rows))
    if replace:
        conn.execute(
            update(s.results)
            .where(_same_figure(), _differs())
            .values(
                value=staging.c.value,
                qualifier=staging.c.qualifier,
                target=staging.c.target,
                implementing_partner=staging.c.implementing_partner,
                batch_id=batch_id,
            )
        )
    # The staged rows name every source this import added to or replaced in.
    refresh_summary(conn, conn.execute(select(staging.c.source_id).distinct()).scalars().all())


def staged_row(row: dict, source_id: int) -> dict:
    """A validated row as it goes into the staging table."""
    return {
        "row_no": row["row_no"],
        "indicator_code": row["indicator_code"],
        "country_key": row["country_iso3"] or "",
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "breakdown_dim": row["breakdown_dim"],
        "breakdown_value": row["breakdown_value"],
        "value": row["value"],
        "qualifier": row["qualifier"],
        "target": row["target"],
        "implementing_partner": row["implementing_partner"],
        "source_id": source_id,
    }
