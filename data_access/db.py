"""Bind the engine to the Flask server, so query functions find it without globals."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine

from data_access.version import cached_version, forget_cached_versions

_KEY = "compass_engine"
_TTL_KEY = "compass_data_version_ttl_s"


def init_db(server: Flask, engine: Engine, version_ttl_s: float = 0.0) -> None:
    """Attach `engine` to `server`; called once by the app factory.

    `version_ttl_s`: how long a worker may reuse the data version it read."""
    server.extensions[_KEY] = engine
    server.extensions[_TTL_KEY] = version_ttl_s


def get_engine() -> Engine:
    """The engine of the current Flask app."""
    return current_app.extensions[_KEY]


def request_data_version() -> int:
    """The data version, read at most once per request (or app context)."""
    store = g._get_current_object()  # one context lookup, not three (a hot path)
    version = store.get("compass_data_version")
    if version is None:
        extensions = current_app.extensions
        version = cached_version(extensions[_KEY], extensions.get(_TTL_KEY, 0.0))
        store.compass_data_version = version
    return version


def after_fork(server: Flask) -> None:
    """In a freshly forked worker: open new database connections, read the version anew.

    A connection opened by the parent must never be shared with a child."""
    engine = server.extensions.get(_KEY)
    if engine is not None:
        engine.dispose(close=False)
    forget_cached_versions()
