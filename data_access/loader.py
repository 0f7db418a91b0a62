"""Write the reference data into the database: idempotent, in one transaction.

Every row is matched on its natural key (ISO3, indicator code, source key, the
result's indicator/place/period/breakdown/source...), so loading the same files
twice changes nothing and reports so; a changed file updates only what changed
and bumps the data version, which evicts every cached query.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, Connection, Engine, Table, delete, select

from data_access import schema as s
from data_access.migrate import upgrade
from data_access.reference import ReferenceData, read_reference
from data_access.summary import refresh_summary
from data_access.version import bump_version


@dataclass
class LoadReport:
    """What a load did; `skipped` means the same files were already loaded."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: bool = False
    version: int = 0

    def summary(self) -> str:
        if self.skipped:
            return f"reference data unchanged (data version {self.version})"
        return (
            f"reference data loaded: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed (data version {self.version})"
        )


def prepare_database(engine: Engine, reference_dir: Path, loaded_by: str | None = None) -> LoadReport:
    """Migrate the schema to head, then load the reference data if it changed."""
    upgrade(engine)
    return load_reference(engine, read_reference(reference_dir), loaded_by)


def load_reference(engine: Engine, data: ReferenceData, loaded_by: str | None = None) -> LoadReport:
    """Write `data` in one transaction; a second identical call is a no-op."""
    report = LoadReport()
    with engine.begin() as conn:
        last = conn.execute(
            select(s.import_batches.c.checksum)
            .where(s.import_batches.c.kind == "reference")
            .order_by(s.import_batches.c.id.desc())
            .limit(1)
        ).scalar()
        if last == data.checksum:
            report.skipped = True
            report.version = int(conn.execute(select(s.data_version.c.version)).scalar() or 0)
            return report
        batch_id = conn.execute(
            s.import_batches.insert().values(
                kind="reference",
                file_name="data/reference/",
                checksum=data.checksum,
                visibility="public",  # the published reference data
                loaded_by=loaded_by or current_user(),
            )
        ).inserted_primary_key[0]
        _write_all(conn, data, batch_id, report)
        conn.execute(
            s.import_batches.update()
            .where(s.import_batches.c.id == batch_id)
            .values(
                rows_total=report.added + report.updated + report.unchanged,
                rows_added=report.added,
                rows_updated=report.updated,
                rows_unchanged=report.unchanged,
            )
        )
        report.version = bump_version(conn)
    return report


def current_user() -> str:
    """Who runs the command, for the import history."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _write_all(conn: Connection, data: ReferenceData, batch_id: int, report: LoadReport) -> None:
    _sync(conn, s.countries, ("iso3",), data.countries, report)
    summable_before = _summable(conn)
    _sync(conn, s.indicators, ("code",), data.indicators, report)
    _sync(conn, s.sources, ("key",), data.sources, report)
    source_ids = _ids(conn, s.sources)
    partners = [_with_source(p, source_ids) for p in data.partners]
    _sync(conn, s.partners, ("key",), partners, report)
    results = [{**_with_source(r, source_ids, drop=("where",)), "batch_id": batch_id} for r in data.results]
    # Only rows of these sources can be the reference's (the source is part of the
    # natural key): imported or synthetic millions are never read into memory.
    touched = _reference_result_sources(conn) | {r["source_id"] for r in results}
    among = s.results.c.source_id.in_(sorted(touched))
    _sync(conn, s.results, _RESULT_KEY, results, report, prune=True, ignore=("batch_id",), among=among)
    touched |= _sources_of_indicators(conn, _changed(summable_before, _summable(conn)))
    refresh_summary(conn, touched)
    activities = [
        {**_with_source(a, source_ids, drop=("partner_keys",)), "batch_id": batch_id} for a in data.activities
    ]
    _sync(conn, s.activities, ("key",), activities, report, prune=True, ignore=("batch_id",))
    campaigns = [_with_source(c, source_ids) for c in data.campaigns]
    _sync(conn, s.campaigns, ("key",), campaigns, report, prune=True)
    _link_partners(conn, data)


def _summable(conn: Connection) -> dict[str, bool]:
    return dict(conn.execute(select(s.indicators.c.code, s.indicators.c.summable)).all())


def _changed(before: dict[str, bool], after: dict[str, bool]) -> set[str]:
    """Indicators whose `summable` flag changed: their summary rows regroup."""
    return {code for code, flag in after.items() if code in before and before[code] != flag}


def _sources_of_indicators(conn: Connection, codes: set[str]) -> set[int]:
    if not codes:
        return set()
    query = select(s.results.c.source_id).where(s.results.c.indicator_code.in_(sorted(codes))).distinct()
    return set(conn.execute(query).scalars())


def _reference_result_sources(conn: Connection) -> set[int]:
    """Sources of results from earlier reference loads (pruned rows leave their summary)."""
    reference_batches = select(s.import_batches.c.id).where(s.import_batches.c.kind == "reference")
    query = select(s.results.c.source_id).where(s.results.c.batch_id.in_(reference_batches)).distinct()
    return set(conn.execute(query).scalars())


_RESULT_KEY = (
    "indicator_code",
    "country_iso3",
    "period_start",
    "period_end",
    "breakdown_dim",
    "breakdown_value",
    "source_id",
)


def _ids(conn: Connection, table: Table) -> dict[str, int]:
    return dict(conn.execute(select(table.c.key, table.c.id)).all())


def _with_source(row: dict, source_ids: dict[str, int], drop: tuple[str, ...] = ()) -> dict:
    out = {k: v for k, v in row.items() if k not in drop and k != "source_key"}
    out["source_id"] = source_ids[row["source_key"]] if row.get("source_key") else None
    return out


def _sync(
    conn: Connection,
    table: Table,
    key_cols: tuple[str, ...],
    rows: list[dict],
    report: LoadReport,
    prune: bool = False,
    ignore: tuple[str, ...] = (),
    among: ColumnElement[bool] | None = None,
) -> None:
    """Insert new rows, update changed ones, count unchanged; optionally delete
    rows from earlier reference loads that the files no longer contain. `among`
    limits the stored rows compared (and pruned) to those it matches."""
    if not rows:
        return
    columns = list(rows[0])
    select_cols = [table.c[c] for c in columns] + ([table.c.id] if "id" in table.c else [])
    stored = select(*select_cols) if among is None else select(*select_cols).where(among)
    existing = {}
    for record in conn.execute(stored).mappings():
        existing[tuple(record[c] for c in key_cols)] = dict(record)
    wanted = set()
    for row in rows:
        key = tuple(row[c] for c in key_cols)
        wanted.add(key)
        old = existing.get(key)
        if old is None:
            conn.execute(table.insert().values(**row))
            report.added += 1
        elif any(old[c] != row[c] for c in columns if c not in ignore):
            where = [table.c[c] == row[c] if row[c] is not None else table.c[c].is_(None) for c in key_cols]
            conn.execute(table.update().where(*where).values(**row))
            report.updated += 1
        else:
            report.unchanged += 1
    if prune and "batch_id" in table.c:
        stale = [old["id"] for key, old in existing.items() if key not in wanted]
        stale_ids = (
            conn.execute(
                select(table.c.id)
                .where(table.c.id.in_(stale))
                .where(
                    table.c.batch_id.in_(
                        select(s.import_batches.c.id).where(s.import_batches.c.kind == "reference")
                    )
                )
            )
            .scalars()
            .all()
            if stale
            else []
        )
        if stale_ids:
            conn.execute(delete(table).where(table.c.id.in_(stale_ids)))
            report.removed += len(stale_ids)


def _link_partners(conn: Connection, data: ReferenceData) -> None:
    """Rewrite the activity-partner links of reference activities."""
    activity_ids = _ids(conn, s.activities)
    partner_ids = _ids(conn, s.partners)
    ids = [activity_ids[a["key"]] for a in data.activities]
    if ids:
        conn.execute(delete(s.activity_partners).where(s.activity_partners.c.activity_id.in_(ids)))
    links = [
        {"activity_id": activity_ids[a["key"]], "partner_id": partner_ids[p]}
        for a in data.activities
        for p in dict.fromkeys(a["partner_keys"])
    ]
    if links:
        conn.execute(s.activity_partners.insert(), links)
