"""Bind the engine to the Flask server, so query functions find it without globals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from data_access.engine import limit_statements, sqlite_file
from data_access.version import DataVersion, cached_version, forget_cached_versions
from model.audience import PUBLIC, Audience

_KEY = "compass_engine"
_TTL_KEY = "compass_data_version_ttl_s"
_READ_KEY = "compass_read_connection"
_PAGE_TIMEOUT_KEY = "compass_page_statement_timeout_ms"
_LONG_READS = "compass_long_reads"
_AUDIENCE = "compass_audience"
_VERSION = "compass_data_version"


def init_db(server: Flask, engine: Engine, version_ttl_s: float = 0.0, page_timeout_ms: int = 0) -> None:
    """Attach `engine` to `server`; called once by the app factory.

    `version_ttl_s`: how long a worker may reuse the data version it read;
    `page_timeout_ms`: the statement timeout of the reads of a request (0: the engine's)."""
    server.extensions[_KEY] = engine
    server.extensions[_TTL_KEY] = version_ttl_s
    server.extensions[_PAGE_TIMEOUT_KEY] = page_timeout_ms
    server.teardown_appcontext(_close_read_connection)


def get_engine() -> Engine:
    """The engine of the current Flask app."""
    return current_app.extensions[_KEY]


@contextmanager
def read_connection() -> Iterator[Connection]:
    """A connection for reads, shared by every query of the current app context.

    A cold page runs a dozen small queries: checking a pooled connection out
    for each (a pre-ping, then a rollback on return) cost more than the queries.
    The shared connection is in autocommit: each statement sees the latest
    committed data and holds no lock or snapshot once it ends, so a load in the
    same context (a test, a CLI command) is neither blocked nor unseen. It is
    closed when the context ends; after an error it is dropped at once."""
    if not has_app_context():
        with get_engine().connect() as conn:
            yield conn
        return
    store = g._get_current_object()
    conn = store.get(_READ_KEY)
    if conn is None or conn.closed:
        conn = get_engine().connect().execution_options(isolation_level="AUTOCOMMIT")
        timeout_ms = current_app.extensions.get(_PAGE_TIMEOUT_KEY, 0)
        if timeout_ms and not store.get(_LONG_READS):
            try:
                limit_statements(conn, timeout_ms)
            except BaseException:
                conn.close()
                raise
        setattr(store, _READ_KEY, conn)
    try:
        yield conn
    except BaseException:
        store.pop(_READ_KEY, None)
        conn.close()
        raise


def allow_long_reads() -> None:
    """The reads of this request (an export) keep the engine's statement timeout,
    not the shorter one of pages."""
    setattr(g, _LONG_READS, True)


def data_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database did not answer in time or at all
    (a statement timeout, a lock held too long, a refused connection). SQLite
    reports a missing table or column as an OperationalError too: that is a bug
    or an unprepared database, not a passing state."""
    return isinstance(exc, OperationalError) and "no such " not in str(exc.orig)


def database_missing() -> bool:
    """True when the app's database is a SQLite file that does not exist (never
    created by the app: `make db` does; or moved away)."""
    if not has_app_context():
        return False
    path = sqlite_file(get_engine())
    return path is not None and not path.exists()


def _close_read_connection(_exc: BaseException | None = None) -> None:
    conn = g.pop(_READ_KEY, None)
    if conn is not None:
        conn.close()


def request_data_version() -> DataVersion:
    """The data version (number and token: keys name both), read at most once per
    request (or app context)."""
    store = g._get_current_object()  # one context lookup, not three (a hot path)
    version = store.get(_VERSION)
    if version is None:
        extensions = current_app.extensions
        version = cached_version(extensions[_KEY], extensions.get(_TTL_KEY, 0.0))
        version = version.for_audience(store.get(_AUDIENCE, PUBLIC))
        setattr(store, _VERSION, version)
    return version


def set_request_audience(audience: Audience) -> None:
    """Who the current request is for (set by web/ from the session or a donor
    link before anything is read; the public when never set)."""
    setattr(g, _AUDIENCE, audience)
    g.pop(_VERSION, None)  # read again for this audience


def request_audience() -> Audience:
    """The audience of the current request (the public outside a request)."""
    return g.get(_AUDIENCE, PUBLIC) if has_app_context() else PUBLIC


def after_fork(server: Flask) -> None:
    """In a freshly forked worker: open new database connections, read the version anew.

    A connection opened by the parent must never be shared with a child."""
    engine = server.extensions.get(_KEY)
    if engine is not None:
        engine.dispose(close=False)
    forget_cached_versions()
