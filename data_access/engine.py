"""Create the SQLAlchemy engine for SQLite (embedded default) or PostgreSQL.

Both get a pool with pre-ping and a per-statement timeout, so a runaway query
cannot hold a worker forever. `limit_statements` gives one connection a shorter
timeout (a page's reads, the health check); on PostgreSQL it is reset when the
connection goes back to the pool, so exports and imports keep the long one.

A SQLite file is opened read-write and never created (`mode=rw`): a missing
file is an error, not a new empty database. Only `create_sqlite_file` (called
by the migrations: `make db`, `flask prepare-db`, `python app.py`'s first run)
creates it. A pooled SQLite connection is dropped at check-out when the path no
longer names the file it opened (moved away, deleted, replaced): the app says
so while the file is missing and serves it again as soon as it is back.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

TIMEOUT_OPTION = "compass_statement_timeout_ms"  # execution option: this connection's limit
_TIMEOUT_SET = "compass_statement_timeout_set"  # pool record info: reset it on check-in


def make_engine(url: str, statement_timeout_ms: int = 15_000) -> Engine:
    """Return an engine for `url` (a SQLite file must exist: see `create_sqlite_file`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, statement_timeout_ms)
    connect_args = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=connect_args)
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "checkin", _reset_statement_timeout)
    return engine


def limit_statements(conn: Connection, timeout_ms: int) -> Connection:
    """Abort each statement of `conn` after `timeout_ms` instead of the engine's limit."""
    if conn.dialect.name == "postgresql":
        conn.connection.info[_TIMEOUT_SET] = True  # before the SET: reset even if it fails
        conn.exec_driver_sql(f"SET statement_timeout = {int(timeout_ms)}")
    return conn.execution_options(**{TIMEOUT_OPTION: int(timeout_ms)})


def _reset_statement_timeout(dbapi_conn, record) -> None:
    """Back to the connection's own timeout (its startup option) before another user gets it."""
    if not record.info.pop(_TIMEOUT_SET, False) or dbapi_conn is None:
        return
    try:
        cursor = dbapi_conn.cursor()
        cursor.execute("RESET statement_timeout")
        cursor.close()
        dbapi_conn.commit()
    except Exception:  # noqa: BLE001 - a connection that cannot be reset is not reused
        record.invalidate()


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None: another backend, or in memory)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def create_sqlite_file(engine: Engine) -> None:
    """Create the SQLite file of `engine` (and its folder) if missing: for preparing it only."""
    path = sqlite_file(engine)
    if path is not None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(path).close()


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _sqlite_engine(url: str, statement_timeout_ms: int) -> Engine:
    database = make_url(url).database
    on_file = bool(database and database != ":memory:")
    options: dict = {"connect_args": {"timeout": 30}}
    if on_file:
        path = Path(database).resolve()

        def open_existing() -> sqlite3.Connection:  # mode=rw: open, never create
            return sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=30, check_same_thread=False)

        options = {"creator": open_existing}
    engine = create_engine(url, pool_pre_ping=True, **options)
    limit_s = statement_timeout_ms / 1000

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, record) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if on_file:
            cursor.execute("PRAGMA journal_mode = WAL")
            record.info["file_id"] = _file_id(path)
        cursor.close()

    if on_file:

        @event.listens_for(engine, "checkout")
        def _same_file(_dbapi_conn, record, _proxy) -> None:
            # One stat: a connection still open on a file moved away or replaced
            # would serve it (or an empty one) until a restart.
            if _file_id(path) != record.info.get("file_id"):
                raise DisconnectionError("the SQLite file was moved, deleted or replaced")

    @event.listens_for(engine, "before_cursor_execute")
    def _start_clock(conn, _cursor, _statement, _params, _context, _many) -> None:
        if conn.get_execution_options().get("no_statement_timeout"):  # bulk loads (synthetic.py)
            conn.connection.dbapi_connection.set_progress_handler(None, 0)
            return
        limit_ms = conn.get_execution_options().get(TIMEOUT_OPTION)
        deadline = time.monotonic() + (limit_ms / 1000 if limit_ms else limit_s)
        # SQLite has no statement timeout: a progress handler aborts the
        # statement (OperationalError "interrupted") once the deadline passes.
        conn.connection.dbapi_connection.set_progress_handler(
            lambda: 1 if time.monotonic() > deadline else 0, 10_000
        )

    return engine
