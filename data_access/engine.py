"""Create the SQLAlchemy engine for SQLite (embedded default) or PostgreSQL.

Both get a pool with pre-ping and a per-statement timeout, so a runaway query
cannot hold a worker forever. `limit_statements` gives one connection a shorter
timeout (a page's reads, the health check); on PostgreSQL it is reset when the
connection goes back to the pool, so exports and imports keep the long one.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

TIMEOUT_OPTION = "compass_statement_timeout_ms"  # execution option: this connection's limit
_TIMEOUT_SET = "compass_statement_timeout_set"  # pool record info: reset it on check-in


def make_engine(url: str, statement_timeout_ms: int = 15_000) -> Engine:
    """Return an engine for `url`, creating the SQLite file's folder if needed."""
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


def _sqlite_engine(url: str, statement_timeout_ms: int) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, connect_args={"timeout": 30})
    limit_s = statement_timeout_ms / 1000

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

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
