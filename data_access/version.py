"""The data version: a counter that every load bumps, part of every cache key."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select, update

from data_access.schema import data_version


def current_version(engine: Engine) -> int:
    """The current data version (0 when nothing was ever loaded)."""
    with engine.connect() as conn:
        value = conn.execute(select(data_version.c.version).where(data_version.c.id == 1)).scalar()
    return int(value or 0)


def bump_version(conn: Connection) -> int:
    """Increment the version inside the caller's transaction and return the new value."""
    updated = conn.execute(
        update(data_version)
        .where(data_version.c.id == 1)
        .values(version=data_version.c.version + 1, changed_at=func.now())
    )
    if updated.rowcount == 0:
        conn.execute(data_version.insert().values(id=1, version=1))
    return int(conn.execute(select(data_version.c.version).where(data_version.c.id == 1)).scalar())
