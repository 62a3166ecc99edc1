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
from coach.records.statements import lock_profile
from coach.users import check_user

MIN_LENGTH = 8
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters

Clock = Callable[[], float]


class ProfileLocked(CoachError):
    """Wrong password, or too many wrong passwords in a row."""


def _lock_row(connection: Connection, user: str) -> tuple[str, int, float] | None:
    """The profile's hash, failures and lock time, held until the transaction ends; None if it
    has no password."""
    lock_profile(connection, user)
    query = select(profiles.c.password_hash, profiles.c.password_failures, profiles.c.locked_until)
    row = connection.execute(query.where(profiles.c.user_id == user)).first()
    if row is None or row.password_hash is None:
        return None
    return str(row.password_hash), int(row.password_failures), float(row.locked_until)


def _store(
    connection: Connection, user: str, hash: str | None, failures: int = 0, until: float = 0.0
) -> None:
    connection.execute(
        update(profiles)
        .where(profiles.c.user_id == user)
        .values(password_hash=hash, password_failures=failures, locked_until=until)
    )


def is_protected(records: Database, user: str) -> bool:
    return _hash_of(records, check_user(user)) is not None


def _hash_of(records: Database, user: str) -> str | None:
    with records.read() as connection:
        found = connection.execute(
            select(profiles.c.password_hash).where(profiles.c.user_id == user)
        ).scalar()
    return None if found is None else str(found)


def _verified(hash: str | None, password: str) -> bool:
    """Whether the password matches (argon2 takes tens of milliseconds: never inside a write
    transaction, where it would hold up every other writer)."""
    if hash is None:
        return True
    try:
        return bool(_HASHER.verify(hash, password))
    except VerificationError:
        return False
    except InvalidHashError:
        # A damaged hash must never open the profile, nor count as a wrong password.
        raise ProfileLocked(
            "The stored password of this profile is damaged, so it stays locked. Restore the "
            "records database from a backup."
        ) from None


def check_password(records: Database, user: str, password: str, clock: Clock = time.time) -> None:
    """Return if the password opens the profile; otherwise raise ProfileLocked saying why."""
    _check(records, check_user(user), password, clock)


def _check(
    records: Database,
    user: str,
    password: str,
    clock: Clock,
    replace: bool = False,
    new: str | None = None,
) -> None:
    """Verify the password, then in one short transaction count a failure or, if it was right,
    clear the failures (and store ``new`` as the hash when ``replace``: None removes it)."""
    hash = _hash_of(records, user)
    right = _verified(hash, password)
    if right and not replace and hash is not None and _HASHER.check_needs_rehash(hash):
        replace, new = True, _HASHER.hash(password)
    with records.write() as connection:
        found = _lock_row(connection, user)
        refused = _counted(connection, user, found, hash, right, clock())
        if refused is None and replace:
            _store(connection, user, new)
        elif refused is None and found is not None and found[1]:
            _store(connection, user, found[0])  # a right password clears the failures
    if refused is not None:
        raise refused


def _counted(
    connection: Connection,
    user: str,
    found: tuple[str, int, float] | None,
    checked: str | None,
    right: bool,
    now: float,
) -> ProfileLocked | None:
    """The refusal to raise once the transaction commits, with failures counted in it."""
    if found is None:
        return None
    hash, failures, locked_until = found
    if locked_until > now:
        minutes = max(1, round((locked_until - now) / 60))
        return ProfileLocked(
            f"Too many wrong passwords: {user!r} is locked. Try again in {minutes} min."
        )
    if hash != checked:  # changed on another server while this one was checking
        return ProfileLocked(f"The password of {user!r} has just changed. Try again.")
    if right:
        return None
    failures += 1
    if failures >= MAX_FAILURES:
        _store(connection, user, hash, 0, now + LOCKOUT_S)
        return ProfileLocked(
            f"Wrong password, {MAX_FAILURES} times: {user!r} is locked for {LOCKOUT_S // 60} min."
        )
    _store(connection, user, hash, failures)
    left = MAX_FAILURES - failures
    return ProfileLocked(
        f"Wrong password for {user!r}. {left} more tries before a {LOCKOUT_S // 60}-minute lock."
    )


def set_password(
    records: Database, user: str, new: str, current: str | None = None, clock: Clock = time.time
) -> None:
    """Protect the profile, or change its password (the current one is needed to change it)."""
    if len(new) < MIN_LENGTH:
        raise ConfigError(f"Use a password of at least {MIN_LENGTH} characters.")
    _check(records, check_user(user), current or "", clock, replace=True, new=_HASHER.hash(new))


def remove_password(records: Database, user: str, current: str, clock: Clock = time.time) -> None:
    """Take the password off the profile; the current password is needed."""
    _check(records, check_user(user), current, clock, replace=True, new=None)
