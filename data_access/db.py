"""Bind the engine to the Flask server, so query functions find it without globals."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine

from data_access.version import current_version

_KEY = "compass_engine"


def init_db(server: Flask, engine: Engine) -> None:
    """Attach `engine` to `server`; called once by the app factory."""
    server.extensions[_KEY] = engine


def get_engine() -> Engine:
    """The engine of the current Flask app."""
    return current_app.extensions[_KEY]


def request_data_version() -> int:
    """The data version, read at most once per request (or app context)."""
    if "compass_data_version" not in g:
        g.compass_data_version = current_version(get_engine())
    return g.compass_data_version
