"""The data version: a counter that every load bumps, part of every cache key.

The counter starts again at 1 in a new database, so a key names it with a
random token (`DataVersion`, "<number>-<token>"), set when the row is created
and replaced on every bump: a database dropped and rebuilt, or restored from a
backup, never meets the cached answers of the one it replaced. Pages show the
number only.

Reading it is a database round trip on every request. A worker may reuse the
value it read for a short time (`cached_version`, DATA_VERSION_TTL_MS, at most
about a second): an import is then seen by every worker within that delay. An
import in this process forgets the reused value at once.
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, select, update

from data_access.schema import data_version
from model.audience import PUBLIC, Audience


class DataVersion(NamedTuple):
    """The counter readers see, the token that makes it unique across databases,
    and the audience it is read for (model/audience.py).

    Every cached query takes the version as an argument, and content and
    response keys name it: with the audience inside, two audiences never share
    a cache entry, and a query knows whether to show internal figures
    (`audience.internal`) and exact small counts (`audience.exact`)."""

    number: int
    token: str
    audience: Audience = PUBLIC

    def __str__(self) -> str:  # as cache keys name it
        return f"{self.number}-{self.token}-{self.audience.scope}"

    def for_audience(self, audience: Audience) -> DataVersion:
        """The same data version, read for `audience`."""
        return self if audience == self.audience else self._replace(audience=audience)


def new_token() -> str:
    """A fresh token for the data_version row (on its creation and every bump)."""
    return uuid.uuid4().hex


_recent: dict[str, tuple[DataVersion, float]] = {}  # engine key -> (version, read at, monotonic)
_recent_lock = threading.Lock()
_engine_keys: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def current_version(engine: Engine) -> int:
    """The current data version number (0 when nothing was ever loaded)."""
    return read_version(engine).number


def read_version(engine: Engine) -> DataVersion:
    """The current data version and its token (0 and "" when nothing was ever loaded)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(data_version.c.version, data_version.c.token).where(data_version.c.id == 1)
        ).first()
    return DataVersion(0, "") if row is None else DataVersion(int(row.version), row.token)


def _engine_key(engine: Engine) -> str:
    """Engines on the same database share a key (an in-memory SQLite is its own)."""
    key = _engine_keys.get(engine)
    if key is None:
        database = engine.url.database
        if engine.dialect.name == "sqlite" and (not database or database == ":memory:"):
            key = f"memory:{id(engine)}"
        else:
            key = engine.url.render_as_string(hide_password=False)
        _engine_keys[engine] = key
    return key


def cached_version(engine: Engine, ttl_s: float) -> DataVersion:
    """The data version, read again only when the last read is older than `ttl_s`."""
    if ttl_s <= 0:
        return read_version(engine)
    key = _engine_key(engine)
    now = time.monotonic()
    recent = _recent.get(key)
    if recent is not None and now - recent[1] < ttl_s:
        return recent[0]
    value = read_version(engine)
    with _recent_lock:
        _recent[key] = (value, now)
    return value


def forget_cached_versions(engine: Engine | None = None) -> None:
    """Drop reused versions (of one engine's database, or all: after a fork)."""
    with _recent_lock:
        if engine is None:
            _recent.clear()
        else:
            _recent.pop(_engine_key(engine), None)


def bump_version(conn: Connection) -> int:
    """Increment the version inside the caller's transaction, with a new token, and
    return the new number."""
    updated = conn.execute(
        update(data_version)
        .where(data_version.c.id == 1)
        .values(version=data_version.c.version + 1, token=new_token(), changed_at=func.now())
    )
    if updated.rowcount == 0:
        conn.execute(data_version.insert().values(id=1, version=1, token=new_token()))
    version = int(conn.execute(select(data_version.c.version).where(data_version.c.id == 1)).scalar())
    # Readers in this process see the new version as soon as it is committed,
    # not a TTL later (a read in the moment before the commit is still bounded by the TTL).
    forget_cached_versions(conn.engine)
    return version
