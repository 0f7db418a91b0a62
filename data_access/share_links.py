"""Donor links (issue 15): a view sent to a donor, stored so it can expire and
be revoked, and counted when opened.

A link is a row of `share_links`: a random id, the view it shows ("PATH?QUERY",
canonical: written by the caller from pages/paths, validated there), whether it
includes internal figures, a note, who made it, when it expires, when it was
revoked, how many times it was opened and when last. The URL a donor receives
carries the id signed (web/donor_links.py); the row decides whether it still
works.

`current(engine, id)` is the per-request lookup: a worker keeps what it read for
LOOKUP_TTL_S, so a request costs no query, and a revoked link stops working
within that delay in every worker (at once in the revoking process).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from data_access.schema import share_links

MIN_DAYS = 1
MAX_DAYS = 366  # "1y" is 365 days; a leap year's 366 is still one year
DEFAULT_EXPIRY = "30d"
LOOKUP_TTL_S = 2.0  # how long a worker reuses a link it read (revocation delay)
MAX_NOTE = 500
_DURATION = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$", re.IGNORECASE)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


class ShareLinkError(ValueError):
    """A link that cannot be made as asked; the message says why, for a person."""


@dataclass(frozen=True)
class ShareLink:
    """One donor link, as stored."""

    id: str
    view: str
    internal: bool
    note: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    opens: int
    last_opened_at: datetime | None

    def expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def usable(self, now: datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        return not self.revoked and not self.expired(now)


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_expiry(text: str) -> timedelta:
    """'1d', '30d', '12w', '6m', '1y' as a duration of 1 day to 1 year; anything
    else raises ShareLinkError with what is accepted."""
    found = _DURATION.match(text or "")
    if not found:
        raise ShareLinkError(
            f"expiry {text!r} is not a duration: write a number and a unit, "
            "d (days), w (weeks), m (months) or y (years), e.g. 30d, 12w, 6m, 1y"
        )
    days = int(found.group(1)) * _UNIT_DAYS[found.group(2).lower()]
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ShareLinkError(f"expiry {text.strip()!r} is {days} days: a link lasts from 1 day to 1 year")
    return timedelta(days=days)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _link(row) -> ShareLink:
    return ShareLink(
        id=row.id,
        view=row.view,
        internal=bool(row.internal),
        note=row.note or "",
        created_by=row.created_by or "",
        created_at=_aware(row.created_at),
        expires_at=_aware(row.expires_at),
        revoked_at=_aware(row.revoked_at),
        opens=int(row.opens or 0),
        last_opened_at=_aware(row.last_opened_at),
    )


def create(
    engine: Engine,
    view: str,
    expires_in: timedelta,
    *,
    internal: bool = False,
    note: str = "",
    created_by: str = "",
    now: datetime | None = None,
) -> ShareLink:
    """Store a new link to `view` (canonical "PATH?QUERY", validated by the caller)."""
    if not MIN_DAYS <= expires_in.days <= MAX_DAYS or expires_in.seconds:
        raise ShareLinkError("a link lasts from 1 day to 1 year")
    if not view.startswith("/") or len(view) > 2000:
        raise ShareLinkError("the view must be a path of the dashboard, such as /countries/LBY?year=2022")
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ShareLinkError(f"the note is longer than {MAX_NOTE} characters")
    now = now or utcnow()
    link_id = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    values = {
        "id": link_id,
        "view": view,
        "internal": bool(internal),
        "note": note,
        "created_by": (created_by or "")[:254],
        "created_at": now,
        "expires_at": now + expires_in,
        "opens": 0,
    }
    with engine.begin() as conn:
        conn.execute(share_links.insert().values(**values))
    return ShareLink(**{**values, "revoked_at": None, "last_opened_at": None})


def get(engine: Engine, link_id: str) -> ShareLink | None:
    """The stored link, or None (read from the database, never from the worker's copy)."""
    if not isinstance(link_id, str) or not link_id or len(link_id) > 32:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(share_links).where(share_links.c.id == link_id)).first()
    return None if row is None else _link(row)


def list_links(engine: Engine) -> list[ShareLink]:
    """Every link, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(share_links).order_by(share_links.c.created_at.desc(), share_links.c.id))
        return [_link(row) for row in rows]


def revoke(engine: Engine, link_id: str, now: datetime | None = None) -> ShareLink | None:
    """Revoke a link (a second revocation keeps the first date); None if unknown."""
    with engine.begin() as conn:
        conn.execute(
            update(share_links)
            .where(share_links.c.id == link_id, share_links.c.revoked_at.is_(None))
            .values(revoked_at=now or utcnow())
        )
    forget(link_id)
    return get(engine, link_id)


def count_open(engine: Engine, link_id: str, now: datetime | None = None) -> None:
    """One more open of the link, now."""
    with engine.begin() as conn:
        conn.execute(
            update(share_links)
            .where(share_links.c.id == link_id)
            .values(opens=share_links.c.opens + 1, last_opened_at=now or utcnow())
        )


# --- the per-request lookup, reused briefly by each worker ------------------------------------

_recent: dict[tuple[int, str], tuple[ShareLink | None, float]] = {}
_recent_lock = threading.Lock()
MAX_REMEMBERED = 10_000


def current(engine: Engine, link_id: str, ttl_s: float = LOOKUP_TTL_S) -> ShareLink | None:
    """The link as read at most `ttl_s` ago by this worker (None: no such link)."""
    key = (id(engine), link_id)
    now = time.monotonic()
    found = _recent.get(key)
    if found is not None and now - found[1] < ttl_s:
        return found[0]
    link = get(engine, link_id)
    with _recent_lock:
        if len(_recent) >= MAX_REMEMBERED:
            _recent.clear()
        _recent[key] = (link, now)
    return link


def forget(link_id: str | None = None) -> None:
    """Drop this worker's copy of a link (all links when None)."""
    with _recent_lock:
        if link_id is None:
            _recent.clear()
        else:
            for key in [k for k in _recent if k[1] == link_id]:
                del _recent[key]


def request_link_expiry(link_id: str | None) -> datetime | None:
    """When the link `link_id` expires, for the page of a link reader (pages say
    so); read through the worker's brief copy. None for no such link."""
    if not link_id:
        return None
    from data_access.db import get_engine

    link = current(get_engine(), link_id)
    return link.expires_at if link is not None else None
