"""Staff accounts and their sign-ins (issue 15): the data side, without Flask views.

- Passwords are hashed with werkzeug's scrypt (`generate_password_hash(method=
  "scrypt")`: salted, memory-hard); the plain text is never stored or logged.
- A session names its user by id and a *stamp*: the account's session epoch and
  a digest of its password hash. Disabling or enabling the account raises the
  epoch, and a new password changes the digest, so every session signed before
  no longer matches and ends on its next request (`session_user`).
- Every attempt to sign in is recorded in `sign_ins`, whether it succeeded or not.

The web layer (web/auth.py) holds the routes, the cookie and the rate limits.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from data_access import schema as s

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # scrypt of a megabyte-long "password" would tie up a worker
ROLES = s.ROLES
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so that a wrong email costs the same
    time as a wrong password (no telling which accounts exist by the time of the answer)."""
    return generate_password_hash("not a real password, only for timing", method="scrypt")


class AccountError(ValueError):
    """A request about accounts that cannot be done: the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str
    active: bool
    created_at: datetime | None
    last_sign_in_at: datetime | None
    stamp: str  # what a session signed for this account now carries


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """The email as stored (lower case), or AccountError saying what is wrong."""
    email = normalise_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an email address (name@example.org).")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if not password.strip():
        raise AccountError("The password cannot be only spaces.")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def session_stamp(epoch: int, password_hash: str) -> str:
    """The epoch and a short digest of the password hash (not the hash itself: the
    cookie is signed, not encrypted)."""
    digest = hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]
    return f"{epoch}.{digest}"


def _user(row) -> User:
    return User(
        id=row.id,
        email=row.email,
        role=row.role,
        active=bool(row.active),
        created_at=row.created_at,
        last_sign_in_at=row.last_sign_in_at,
        stamp=session_stamp(row.session_epoch or 0, row.password_hash),
    )


_COLUMNS = (
    s.users.c.id,
    s.users.c.email,
    s.users.c.role,
    s.users.c.active,
    s.users.c.created_at,
    s.users.c.last_sign_in_at,
    s.users.c.session_epoch,
    s.users.c.password_hash,
)


def add_user(engine: Engine, email: str, password: str, role: str = "staff") -> User:
    """A new active account; AccountError for a bad email, role or password, or an email taken."""
    email = check_email(email)
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}, not {role!r}.")
    check_password(password)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(s.users).values(
                    email=email,
                    password_hash=hash_password(password),
                    role=role,
                    active=True,
                    session_epoch=0,
                )
            )
    except IntegrityError as exc:
        raise AccountError(f"An account for {email} already exists.") from exc
    found = find_user(engine, email)
    assert found is not None
    return found


def find_user(engine: Engine, email: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(s.users.c.email == normalise_email(email))).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).order_by(s.users.c.email)).all()
    return [_user(row) for row in rows]


def set_active(engine: Engine, email: str, active: bool) -> User:
    """Disable or enable an account; either way its current sessions end."""
    return _update(engine, email, active=active)


def set_password(engine: Engine, email: str, password: str) -> User:
    """A new password; the account's current sessions end."""
    check_password(password)
    return _update(engine, email, password_hash=hash_password(password))


def _update(engine: Engine, email: str, **values) -> User:
    email = normalise_email(email)
    with engine.begin() as conn:
        changed = conn.execute(
            update(s.users)
            .where(s.users.c.email == email)
            .values(session_epoch=s.users.c.session_epoch + 1, **values)
        ).rowcount
    if not changed:
        raise AccountError(f"There is no account for {email!r} (see `users list`).")
    found = find_user(engine, email)
    assert found is not None
    return found


def authenticate(engine: Engine, email: str, password: str, client: str) -> User | None:
    """The account if `email` and `password` match an active one, else None; the
    attempt is recorded either way. A disabled account is refused like a wrong password."""
    email = normalise_email(email)[:254]
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(s.users.c.email == email)).first() if email else None
    password = password[:MAX_PASSWORD_LENGTH]
    matches = check_password_hash(row.password_hash if row else _dummy_hash(), password)
    user = _user(row) if row and matches and row.active else None
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(s.sign_ins).values(
                email=email,
                user_id=row.id if row else None,
                client=client[:64],
                succeeded=user is not None,
                at=now,
            )
        )
        if user is not None:
            conn.execute(update(s.users).where(s.users.c.id == user.id).values(last_sign_in_at=now))
    return user


def record_refused(engine: Engine, email: str, client: str) -> None:
    """An attempt refused before any password was checked (over the rate limit, a
    field left empty): recorded as failed."""
    with engine.begin() as conn:
        conn.execute(
            insert(s.sign_ins).values(
                email=normalise_email(email)[:254],
                user_id=None,
                client=client[:64],
                succeeded=False,
                at=datetime.now(UTC),
            )
        )


def session_user(engine: Engine, user_id: object, stamp: object) -> User | None:
    """The active account a session names, if its stamp is still the account's
    (not disabled, re-enabled or given a new password since); else None.

    On a connection of its own: the request's shared read connection would take the
    pages' short statement timeout before an export could ask for the long one."""
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(stamp, str):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(s.users.c.id == user_id)).first()
    if row is None or not row.active:
        return None
    user = _user(row)
    return user if hmac.compare_digest(user.stamp, stamp) else None


def sign_in_count(engine: Engine, email: str | None = None, succeeded: bool | None = None) -> int:
    """How many attempts are recorded (for one email, of one outcome)."""
    query = select(func.count()).select_from(s.sign_ins)
    if email is not None:
        query = query.where(s.sign_ins.c.email == normalise_email(email))
    if succeeded is not None:
        query = query.where(s.sign_ins.c.succeeded == succeeded)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
