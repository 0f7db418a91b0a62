"""Engine-specific bulk writing of synthetic rows, inside the caller's transaction.

SQLite: one prepared INSERT run with executemany over tuples, with PRAGMAs for
a bulk load (restored afterwards). PostgreSQL: COPY FROM STDIN in text format.
For a load that dominates the table, the secondary indexes of `results` are
dropped first and rebuilt after the rows are in (one sort each instead of ten
million index updates); both happen in the same transaction, so a failure
leaves the indexes, like everything else, exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat

import numpy as np
from sqlalchemy import Connection, Engine, text

from data_access.synthetic_grid import Chunk

Progress = Callable[[int], None]  # rows written so far

_COLUMNS = (
    "indicator_code",
    "country_iso3",
    "period_start",
    "period_end",
    "value",
    "breakdown_dim",
    "breakdown_value",
    "implementing_partner",
    "source_id",
    # constant for every synthetic row:
    "scope",
    "qualifier",
    "target",
    "batch_id",
    "is_synthetic",
)


@contextmanager
def bulk_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for a bulk load, committed when the block ends without error.

    No per-statement timeout inside: an index rebuild over ten million rows may
    rightly take longer than any page query. SQLite: bulk-load PRAGMAs (put back
    afterwards) and an explicit BEGIN IMMEDIATE, so that the index drops, which
    are DDL, belong to the transaction too (the sqlite3 module only opens one
    before INSERT, UPDATE or DELETE)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            with conn.begin():
                for name, value in _POSTGRES_SETTINGS.items():
                    conn.execute(text(f"SET LOCAL {name} = {value}"))
                yield conn
            return
        dbapi = conn.connection.dbapi_connection
        # data_access/engine.py skips its progress-handler deadline for such connections.
        conn.execution_options(no_statement_timeout=True)
        dbapi.set_progress_handler(None, 0)
        saved = {name: dbapi.execute(f"PRAGMA {name}").fetchone()[0] for name in _SQLITE_PRAGMAS}
        try:
            for name, value in _SQLITE_PRAGMAS.items():
                dbapi.execute(f"PRAGMA {name} = {value}")
            with conn.begin():
                dbapi.execute("BEGIN IMMEDIATE")
                yield conn
        finally:
            for name, value in saved.items():
                dbapi.execute(f"PRAGMA {name} = {value}")


# work_mem: the summary's GROUP BY over ten million rows hashes in memory instead of spilling.
_POSTGRES_SETTINGS = {
    "statement_timeout": "0",
    "synchronous_commit": "off",
    "work_mem": "'256MB'",
    "maintenance_work_mem": "'256MB'",
}
_SQLITE_PRAGMAS = {"synchronous": "OFF", "cache_size": "-65536", "foreign_keys": "OFF"}  # 64 MB page cache


# --- indexes and foreign keys ----------------------------------------------------------------
# SQLite checks no foreign key during the load (PRAGMA above): every row cites
# the indicators, sources and batch inserted just before, in the same transaction.


def suspend_constraints(conn: Connection, table: str) -> list[str]:
    """Drop `table`'s secondary indexes (and, on PostgreSQL, its foreign keys, checked
    row by row otherwise); return the statements that put them back."""
    if conn.dialect.name == "postgresql":
        indexes = conn.execute(
            text(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = CAST(:table AS regclass) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
            ),
            {"table": table},
        ).all()
        foreign_keys = conn.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
            ),
            {"table": table},
        ).all()
    else:
        indexes = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"
            ),
            {"table": table},
        ).all()
        foreign_keys = []
    for name, _sql in indexes:
        conn.execute(text(f'DROP INDEX "{name}"'))
    for name, _definition in foreign_keys:
        conn.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
    return [sql for _name, sql in indexes] + [
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for name, definition in foreign_keys
    ]


def restore_constraints(conn: Connection, statements: Iterable[str]) -> None:
    """Rebuild what `suspend_constraints` dropped. Each is checked over every row: a
    duplicate natural key or a dangling reference fails here and rolls everything back."""
    for statement in statements:
        conn.execute(text(statement))


# --- removing -------------------------------------------------------------------------------


def delete_synthetic_rows(conn: Connection, bulk: bool, incoming: int = 0) -> tuple[int, bool]:
    """Delete every synthetic row of `results`; return how many, and whether the
    table was emptied (then PostgreSQL can COPY the new rows frozen).

    In a bulk run where synthetic rows (old and `incoming`) outnumber the others,
    the other rows are set aside, the table emptied (PostgreSQL TRUNCATE,
    SQLite's whole-table DELETE) and those rows put back with their ids: much
    cheaper than deleting millions of rows one by one, and as transactional."""
    flag = "is_synthetic"
    if not bulk:
        return max(int(conn.execute(text(f"DELETE FROM results WHERE {flag}")).rowcount or 0), 0), False
    on_commit = " ON COMMIT DROP" if conn.dialect.name == "postgresql" else ""
    conn.execute(
        text(f"CREATE TEMPORARY TABLE synthetic_kept{on_commit} AS SELECT * FROM results WHERE NOT {flag}")
    )
    kept = int(conn.execute(text("SELECT count(*) FROM synthetic_kept")).scalar())
    total = int(conn.execute(text("SELECT count(*) FROM results")).scalar())
    emptied = kept <= total - kept + incoming
    if emptied:
        conn.execute(text("TRUNCATE results" if conn.dialect.name == "postgresql" else "DELETE FROM results"))
        conn.execute(text("INSERT INTO results SELECT * FROM synthetic_kept"))
        removed = total - kept
    else:
        removed = int(conn.execute(text(f"DELETE FROM results WHERE {flag}")).rowcount or 0)
    conn.execute(text("DROP TABLE synthetic_kept"))
    return removed, emptied


# --- rows ---------------------------------------------------------------------------------


def write_rows(
    conn: Connection,
    chunks: Iterable[Chunk],
    countries: tuple[str, ...],
    source_ids: dict[str, int],
    batch_id: int,
    progress: Progress | None = None,
    freeze: bool = False,
) -> int:
    """Write every chunk's rows to `results`; return how many were written.

    `freeze`: the table was emptied in this transaction, so PostgreSQL may store
    the rows frozen (COPY FREEZE): nothing to rewrite when they are first read."""
    iso3 = np.array(countries, dtype=object)
    sources = np.array([source_ids[c] for c in countries], dtype=object)
    if conn.dialect.name == "postgresql":
        return _copy_rows(conn, chunks, iso3, sources, int(batch_id), progress, freeze)
    return _insert_rows(conn, chunks, iso3, sources, int(batch_id), progress)


def _insert_rows(conn, chunks, iso3, sources, batch_id, progress) -> int:
    placeholders = ", ".join(["?"] * 9)
    sql = (
        f"INSERT INTO results ({', '.join(_COLUMNS)}) "
        f"VALUES ({placeholders}, 'country', 'exact', NULL, {batch_id}, 1)"
    )
    dbapi = conn.connection.dbapi_connection
    cursor = dbapi.cursor()
    written = 0
    for chunk in chunks:
        cursor.executemany(
            sql,
            zip(
                chunk.indicator_code.tolist(),
                iso3[chunk.country_index].tolist(),
                chunk.period_start.tolist(),
                chunk.period_end.tolist(),
                chunk.value.tolist(),
                chunk.dim.tolist(),
                chunk.breakdown_value.tolist(),
                chunk.implementing_partner.tolist(),
                sources[chunk.country_index].tolist(),
                strict=True,
            ),
        )
        written += len(chunk)
        if progress:
            progress(written)
    cursor.close()
    return written


def _copy_rows(conn, chunks, iso3, sources, batch_id, progress, freeze) -> int:
    # Identifiers and values are generated here: none holds a tab, newline or backslash.
    tail = f"country\texact\t\\N\t{batch_id}\tt"
    sources = np.array([str(s) for s in sources], dtype=object)
    dbapi = conn.connection.dbapi_connection
    written = 0
    with (
        dbapi.cursor() as cursor,
        cursor.copy(
            f"COPY results ({', '.join(_COLUMNS)}) FROM STDIN" + (" WITH (FREEZE)" if freeze else "")
        ) as copy,
    ):
        for chunk in chunks:
            partner = ["\\N" if p is None else p for p in chunk.implementing_partner.tolist()]
            lines = map(
                "\t".join,
                zip(
                    chunk.indicator_code.tolist(),
                    iso3[chunk.country_index].tolist(),
                    chunk.period_start.tolist(),
                    chunk.period_end.tolist(),
                    map(str, chunk.value.tolist()),
                    chunk.dim.tolist(),
                    chunk.breakdown_value.tolist(),
                    partner,
                    sources[chunk.country_index].tolist(),
                    repeat(tail),
                ),
            )
            copy.write("\n".join(lines) + "\n")
            written += len(chunk)
            if progress:
                progress(written)
    return written
