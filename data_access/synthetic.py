"""Synthetic results for tests and benchmarks (`flask --app app generate-synthetic`).

Writes the first N rows of a deterministic grid (data_access/synthetic_grid.py)
for the COMPASS countries, 2016-2025, 40 `syn_` indicators and their
breakdowns. Everything generated is marked: results.is_synthetic, sources
whose title says the figures are not real, indicators named "(synthetic)",
and an import batch of kind "synthetic". A run replaces the previous
synthetic data and never touches any other row; `clear_synthetic` removes it
all. Each run is one transaction that refreshes the summary and bumps the
data version, like an import.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, exists, func, insert, not_, select

from data_access import schema as s
from data_access.loader import current_user
from data_access.summary import refresh_summary
from data_access.synthetic_bulk import (
    bulk_transaction,
    delete_synthetic_rows,
    restore_constraints,
    suspend_constraints,
    write_rows,
)
from data_access.synthetic_grid import Grid
from data_access.synthetic_spec import (
    BATCH_KIND,
    DEFINITION_EN,
    DEFINITION_FR,
    INDICATOR_PREFIX,
    INDICATORS,
    SOURCE_KEY_PREFIX,
    SOURCE_PUBLISHER,
    SOURCE_TITLE,
    SOURCE_TITLE_FR,
)
from data_access.version import bump_version

# Rows written or removed from which rebuilding the indexes once beats updating them per row.
BULK_ROWS = 200_000
GENERATOR_VERSION = 1  # part of the batch checksum: bump when the generated rows change

Report = Callable[[str], None]


class SyntheticRefused(ValueError):
    """The request cannot be carried out (nothing was written); the message says why."""


@dataclass
class SyntheticOutcome:
    """What a run did."""

    rows: int = 0  # synthetic rows written
    removed: int = 0  # previous synthetic rows removed
    batch_id: int | None = None
    version: int | None = None  # data version after the run; None when nothing changed
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds


@dataclass
class _Previous:
    rows: int
    source_ids: list[int]


def _countries(conn: Connection) -> list[str]:
    query = select(s.countries.c.iso3).where(s.countries.c.is_compass.is_(True)).order_by(s.countries.c.iso3)
    return list(conn.execute(query).scalars())


def _timed(outcome: SyntheticOutcome, phase: str, report: Report, start: float) -> float:
    now = time.monotonic()
    outcome.timings[phase] = round(now - start, 2)
    report(f"{phase}: {now - start:.1f} s")
    return now


def generate_synthetic(
    engine: Engine,
    rows: int,
    seed: int = 0,
    loaded_by: str | None = None,
    report: Report | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticOutcome:
    """Replace the synthetic data with the first `rows` rows of the grid for `seed`."""
    report = report or (lambda _message: None)
    if rows < 1:
        raise SyntheticRefused("the number of rows must be at least 1")
    outcome = SyntheticOutcome()
    with bulk_transaction(engine) as conn:
        countries = _countries(conn)
        if not countries:
            raise SyntheticRefused("there are no COMPASS countries in the database: run `make db` first")
        grid = Grid(countries, seed)
        if rows > grid.size:
            raise SyntheticRefused(f"the synthetic grid holds at most {grid.size:,} rows; ask for fewer")
        start = time.monotonic()
        previous = _previous(conn)
        bulk = rows + previous.rows >= BULK_ROWS
        rebuild = suspend_constraints(conn, "results") if bulk else None
        outcome.removed, emptied = _remove(conn, bulk, rows)
        start = _timed(outcome, "removed previous synthetic data", report, start)
        _insert_indicators(conn)
        source_ids = _insert_sources(conn, rows, seed)
        outcome.batch_id = _insert_batch(conn, rows, seed, countries, loaded_by)
        outcome.rows = write_rows(
            conn,
            grid.chunks(rows),
            grid.countries,
            source_ids,
            outcome.batch_id,
            (lambda done: progress(done, rows)) if progress else None,
            freeze=emptied,
        )
        start = _timed(outcome, f"wrote {outcome.rows:,} rows", report, start)
        if rebuild is not None:
            restore_constraints(conn, rebuild)
            start = _timed(outcome, "rebuilt the indexes and constraints", report, start)
        refresh_summary(conn, [*previous.source_ids, *source_ids.values()])
        start = _timed(outcome, "refreshed the summary", report, start)
        outcome.version = _finish(conn)
        _timed(outcome, "updated statistics and the data version", report, start)
    return outcome


def clear_synthetic(engine: Engine, report: Report | None = None) -> SyntheticOutcome:
    """Remove every synthetic row, source, indicator and batch (nothing else)."""
    report = report or (lambda _message: None)
    outcome = SyntheticOutcome()
    with bulk_transaction(engine) as conn:
        start = time.monotonic()
        previous = _previous(conn)
        has_any = (
            previous.source_ids
            or conn.execute(select(s.results.c.id).where(s.results.c.is_synthetic.is_(True)).limit(1)).first()
        )
        if not has_any and not _leftovers(conn):
            return outcome
        bulk = previous.rows >= BULK_ROWS
        rebuild = suspend_constraints(conn, "results") if bulk else None
        outcome.removed, _emptied = _remove(conn, bulk)
        start = _timed(outcome, f"removed {outcome.removed:,} rows", report, start)
        if rebuild is not None:
            restore_constraints(conn, rebuild)
            start = _timed(outcome, "rebuilt the indexes and constraints", report, start)
        refresh_summary(conn, previous.source_ids)
        outcome.version = _finish(conn)
    return outcome


# --- steps -------------------------------------------------------------------------------


def _synthetic_sources():
    return s.sources.c.key.startswith(SOURCE_KEY_PREFIX, autoescape=True)


def _synthetic_indicators():
    return s.indicators.c.code.startswith(INDICATOR_PREFIX, autoescape=True)


def _previous(conn: Connection) -> _Previous:
    """The synthetic data in place: its size (from the batches) and its sources."""
    rows = conn.execute(
        select(func.coalesce(func.sum(s.import_batches.c.rows_added), 0)).where(
            s.import_batches.c.kind == BATCH_KIND
        )
    ).scalar()
    ids = conn.execute(select(s.sources.c.id).where(_synthetic_sources())).scalars().all()
    return _Previous(rows=int(rows), source_ids=list(ids))


def _leftovers(conn: Connection) -> bool:
    """Synthetic indicators or batches left without rows (e.g. an interrupted cleanup)."""
    indicator = conn.execute(select(s.indicators.c.code).where(_synthetic_indicators()).limit(1)).first()
    batch = conn.execute(
        select(s.import_batches.c.id).where(s.import_batches.c.kind == BATCH_KIND).limit(1)
    ).first()
    return bool(indicator or batch)


def _remove(conn: Connection, bulk: bool, incoming: int = 0) -> tuple[int, bool]:
    """Delete synthetic rows, then whatever synthetic source, indicator or batch no
    other row still refers to (a real row is never deleted, nor what it cites)."""
    removed, emptied = delete_synthetic_rows(conn, bulk, incoming)
    r = s.results
    conn.execute(
        delete(s.sources).where(_synthetic_sources(), not_(exists().where(r.c.source_id == s.sources.c.id)))
    )
    conn.execute(
        delete(s.indicators).where(
            _synthetic_indicators(), not_(exists().where(r.c.indicator_code == s.indicators.c.code))
        )
    )
    conn.execute(
        delete(s.import_batches).where(
            s.import_batches.c.kind == BATCH_KIND,
            not_(exists().where(r.c.batch_id == s.import_batches.c.id)),
        )
    )
    return removed, emptied


def _insert_indicators(conn: Connection) -> None:
    kept = set(conn.execute(select(s.indicators.c.code).where(_synthetic_indicators())).scalars())
    rows = [
        {
            "code": i.code,
            "name_en": i.name_en,
            "name_fr": i.name_fr,
            "unit": "people",
            "theme": i.theme,
            "summable": True,
            "headline": None,
            "definition_en": DEFINITION_EN,
            "definition_fr": DEFINITION_FR,
        }
        for i in INDICATORS
        if i.code not in kept
    ]
    if rows:
        conn.execute(insert(s.indicators), rows)


def _insert_sources(conn: Connection, rows: int, seed: int) -> dict[str, int]:
    """One synthetic source per country (as if each country office reported)."""
    names = conn.execute(
        select(s.countries.c.iso3, s.countries.c.name_en, s.countries.c.name_fr).where(
            s.countries.c.is_compass.is_(True)
        )
    ).all()
    ids = {}
    for iso3, name_en, name_fr in names:
        key = f"{SOURCE_KEY_PREFIX}{iso3}"
        kept = conn.execute(select(s.sources.c.id).where(s.sources.c.key == key)).scalar()
        if kept is not None:  # still cited by a non-synthetic row: reuse it
            ids[iso3] = kept
            continue
        ids[iso3] = conn.execute(
            insert(s.sources).values(
                key=key,
                title=f"{SOURCE_TITLE} ({name_en})",
                title_fr=f"{SOURCE_TITLE_FR} ({name_fr})",
                publisher=SOURCE_PUBLISHER,
                note=f"{SOURCE_TITLE}: generate-synthetic --rows {rows} --seed {seed}.",
                note_fr=f"{SOURCE_TITLE_FR}\u00a0: generate-synthetic --rows {rows} --seed {seed}.",
                language="en",
            )
        ).inserted_primary_key[0]
    return ids


def _insert_batch(conn: Connection, rows: int, seed: int, countries: list[str], loaded_by: str | None) -> int:
    recipe = f"{GENERATOR_VERSION}:{rows}:{seed}:{','.join(countries)}"
    return conn.execute(
        insert(s.import_batches).values(
            kind=BATCH_KIND,
            file_name=f"generate-synthetic --rows {rows} --seed {seed}",
            checksum=hashlib.sha256(recipe.encode()).hexdigest(),
            rows_total=rows,
            rows_added=rows,
            rows_updated=0,
            rows_unchanged=0,
            loaded_by=(loaded_by or current_user())[:120],
            # Stands in for published figures (demos, benchmarks of the public
            # path); every page shows the synthetic-data banner beside it.
            visibility="public",
        )
    ).inserted_primary_key[0]


def _finish(conn: Connection) -> int:
    """Bump the data version; give PostgreSQL's planner fresh statistics."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE results")
        conn.exec_driver_sql("ANALYZE result_summary")
    return bump_version(conn)
