"""Profile passwords: only an argon2id hash is kept (argon2-cffi), and repeated failures lock
the profile for a while.

The file lives in the profile's owner-only folder. Whoever can read that folder can read the
data anyway; the password keeps other people at the same app (a shared laptop, a team server)
out of a profile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ValidationError

from coach.errors import CoachError, ConfigError
from coach.users import user_dir, write_private

PASSWORD_FILE = "password.json"
MIN_LENGTH = 8
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters

Clock = Callable[[], float]


class ProfileLocked(CoachError):
    """Wrong password, or too many wrong passwords in a row."""


class _Lock(BaseModel):
    hash: str
    failures: int = 0
    locked_until: float = 0.0


def _path(data_dir: Path, user: str) -> Path:
    return user_dir(data_dir, user) / PASSWORD_FILE


def _read(data_dir: Path, user: str) -> _Lock | None:
    path = _path(data_dir, user)
    if not path.is_file():
        return None
    try:
        return _Lock.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        # A damaged lock must never open the profile: it stays locked until the owner fixes it.
        raise ProfileLocked(
            f"The password file of {user!r} is damaged ({path}). Restore it from a backup, or "
            "delete it to remove the password."
        ) from None


def _write(data_dir: Path, user: str, lock: _Lock) -> None:
    write_private(_path(data_dir, user), lock.model_dump_json())


def is_protected(data_dir: Path, user: str) -> bool:
    return _path(data_dir, user).is_file()


def check_password(data_dir: Path, user: str, password: str, clock: Clock = time.time) -> None:
    """Return if the password opens the profile; otherwise raise ProfileLocked saying why."""
    lock = _read(data_dir, user)
    if lock is None:
        return
    now = clock()
    if lock.locked_until > now:
        minutes = max(1, round((lock.locked_until - now) / 60))
        raise ProfileLocked(
            f"Too many wrong passwords: {user!r} is locked. Try again in {minutes} min."
        )
    try:
        _HASHER.verify(lock.hash, password)
    except (VerificationError, InvalidHashError):
        lock.failures += 1
        if lock.failures >= MAX_FAILURES:
            lock.failures, lock.locked_until = 0, now + LOCKOUT_S
            _write(data_dir, user, lock)
            raise ProfileLocked(
                f"Wrong password, {MAX_FAILURES} times: {user!r} is locked for "
                f"{LOCKOUT_S // 60} min."
            ) from None
        _write(data_dir, user, lock)
        left = MAX_FAILURES - lock.failures
        raise ProfileLocked(
            f"Wrong password for {user!r}. {left} more tries before a {LOCKOUT_S // 60}-minute "
            "lock."
        ) from None
    if lock.failures or _HASHER.check_needs_rehash(lock.hash):
        _write(data_dir, user, _Lock(hash=_HASHER.hash(password)))


def set_password(
    data_dir: Path, user: str, new: str, current: str | None = None, clock: Clock = time.time
) -> None:
    """Protect the profile, or change its password (the current one is needed to change it)."""
    if len(new) < MIN_LENGTH:
        raise ConfigError(f"Use a password of at least {MIN_LENGTH} characters.")
    if is_protected(data_dir, user):
        check_password(data_dir, user, current or "", clock)
    _write(data_dir, user, _Lock(hash=_HASHER.hash(new)))


def remove_password(data_dir: Path, user: str, current: str, clock: Clock = time.time) -> None:
    """Take the password off the profile; the current password is needed."""
    check_password(data_dir, user, current, clock)
    _path(data_dir, user).unlink(missing_ok=True)
