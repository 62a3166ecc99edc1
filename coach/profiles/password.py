"""Profile passwords: only an argon2id hash is kept (argon2-cffi), and repeated failures lock
the profile for a while.

The hash and the count of failures live in the profile's row of the records database. Whoever
can read that database can read the data anyway; the password keeps other people at the same
app (a shared laptop, a team server) out of a profile. Each check reads and updates the row in
one transaction, so replicas count failures together.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, select, update

from coach.errors import CoachError, ConfigError
from coach.records import Database
from coach.records.schema import profiles
from coach.records.statements import ensure_profile
from coach.users import check_user

MIN_LENGTH = 8
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters

Clock = Callable[[], float]


class ProfileLocked(CoachError):
    """Wrong password, or too many wrong passwords in a row."""


def _lock_row(connection: Connection, user: str) -> tuple[str, int, float] | None:
    """The profile's hash, failures and lock time, locked for this transaction; None if it has
    no password."""
    query = select(profiles.c.password_hash, profiles.c.password_failures, profiles.c.locked_until)
    query = query.where(profiles.c.user_id == user)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None or row.password_hash is None:
        return None
    return str(row.password_hash), int(row.password_failures), float(row.locked_until)


def _store(
    connection: Connection, user: str, hash: str | None, failures: int = 0, until: float = 0.0
) -> None:
    ensure_profile(connection, user)
    connection.execute(
        update(profiles)
        .where(profiles.c.user_id == user)
        .values(password_hash=hash, password_failures=failures, locked_until=until)
    )


def is_protected(records: Database, user: str) -> bool:
    with records.read() as connection:
        found = connection.execute(
            select(profiles.c.password_hash).where(profiles.c.user_id == check_user(user))
        ).scalar()
    return found is not None


def check_password(records: Database, user: str, password: str, clock: Clock = time.time) -> None:
    """Return if the password opens the profile; otherwise raise ProfileLocked saying why."""
    user = check_user(user)
    with records.write() as connection:
        refused = _checked(connection, user, password, clock())
    if refused is not None:
        raise refused


def _checked(connection: Connection, user: str, password: str, now: float) -> ProfileLocked | None:
    """Check and count, in the caller's transaction; the refusal to raise once it commits."""
    found = _lock_row(connection, user)
    if found is None:
        return None
    hash, failures, locked_until = found
    if locked_until > now:
        minutes = max(1, round((locked_until - now) / 60))
        return ProfileLocked(
            f"Too many wrong passwords: {user!r} is locked. Try again in {minutes} min."
        )
    try:
        _HASHER.verify(hash, password)
    except (VerificationError, InvalidHashError):
        failures += 1
        if failures >= MAX_FAILURES:
            _store(connection, user, hash, 0, now + LOCKOUT_S)
            return ProfileLocked(
                f"Wrong password, {MAX_FAILURES} times: {user!r} is locked for "
                f"{LOCKOUT_S // 60} min."
            )
        _store(connection, user, hash, failures)
        left = MAX_FAILURES - failures
        return ProfileLocked(
            f"Wrong password for {user!r}. {left} more tries before a {LOCKOUT_S // 60}-minute "
            "lock."
        )
    if failures or _HASHER.check_needs_rehash(hash):
        _store(connection, user, _HASHER.hash(password))
    return None


def set_password(
    records: Database, user: str, new: str, current: str | None = None, clock: Clock = time.time
) -> None:
    """Protect the profile, or change its password (the current one is needed to change it)."""
    if len(new) < MIN_LENGTH:
        raise ConfigError(f"Use a password of at least {MIN_LENGTH} characters.")
    user = check_user(user)
    with records.write() as connection:
        refused = _checked(connection, user, current or "", clock())
        if refused is None:
            _store(connection, user, _HASHER.hash(new))
    if refused is not None:
        raise refused


def remove_password(records: Database, user: str, current: str, clock: Clock = time.time) -> None:
    """Take the password off the profile; the current password is needed."""
    user = check_user(user)
    with records.write() as connection:
        refused = _checked(connection, user, current, clock())
        if refused is None:
            _store(connection, user, None)
    if refused is not None:
        raise refused
