"""Profile passwords: hashed, checked, locked out after repeated failures (on both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from coach.errors import ConfigError
from coach.profiles import (
    ProfileLocked,
    check_password,
    is_protected,
    remove_password,
    set_password,
)
from coach.profiles.password import LOCKOUT_S, MAX_FAILURES
from coach.records import Database
from coach.records.schema import profiles


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_password_is_stored_only_as_an_argon2_hash(database: Database) -> None:
    set_password(database, "maya", "correct horse battery")
    with database.read() as connection:
        stored = str(connection.execute(select(profiles.c.password_hash)).scalar())
    assert "correct horse" not in stored and stored.startswith("$argon2id$")
    assert is_protected(database, "maya") and not is_protected(database, "ben")
    check_password(database, "maya", "correct horse battery")
    check_password(database, "ben", "anything")  # an open profile needs none


def test_repeated_failures_lock_the_profile_for_a_while(database: Database) -> None:
    clock = Clock()
    set_password(database, "maya", "correct horse battery")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(ProfileLocked, match="more tries"):
            check_password(database, "maya", "guess", clock)
    with pytest.raises(ProfileLocked, match="locked for"):
        check_password(database, "maya", "guess", clock)
    with pytest.raises(ProfileLocked, match="Try again"):
        check_password(database, "maya", "correct horse battery", clock)
    clock.now += LOCKOUT_S + 1
    check_password(database, "maya", "correct horse battery", clock)


def test_a_right_password_resets_the_count(database: Database) -> None:
    clock = Clock()
    set_password(database, "maya", "correct horse battery")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(ProfileLocked):
            check_password(database, "maya", "guess", clock)
    check_password(database, "maya", "correct horse battery", clock)
    with pytest.raises(ProfileLocked, match=f"{MAX_FAILURES - 1} more tries"):
        check_password(database, "maya", "guess", clock)


def test_changing_or_removing_needs_the_current_password(database: Database) -> None:
    set_password(database, "maya", "correct horse battery")
    with pytest.raises(ProfileLocked):
        set_password(database, "maya", "a new password", current="wrong one")
    set_password(database, "maya", "a new password", current="correct horse battery")
    with pytest.raises(ProfileLocked):
        remove_password(database, "maya", "correct horse battery")
    remove_password(database, "maya", "a new password")
    assert not is_protected(database, "maya")


def test_a_short_password_is_refused_with_a_reason(database: Database) -> None:
    with pytest.raises(ConfigError, match="at least 8"):
        set_password(database, "maya", "short")
    assert not is_protected(database, "maya")


def test_a_damaged_hash_keeps_the_profile_locked(database: Database) -> None:
    set_password(database, "maya", "correct horse battery")
    with database.write() as connection:
        connection.execute(update(profiles).values(password_hash="{broken"))
    for _ in range(MAX_FAILURES + 1):  # never counted as wrong tries: it is not their fault
        with pytest.raises(ProfileLocked, match="damaged"):
            check_password(database, "maya", "correct horse battery")
    with pytest.raises(ProfileLocked, match="damaged"):
        set_password(database, "maya", "a new password", current="correct horse battery")
    assert is_protected(database, "maya")
