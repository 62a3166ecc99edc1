"""Profile passwords: hashed, checked, locked out after repeated failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import ConfigError
from coach.profiles import (
    ProfileLocked,
    check_password,
    is_protected,
    remove_password,
    set_password,
)
from coach.profiles.password import LOCKOUT_S, MAX_FAILURES


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_password_is_stored_only_as_an_argon2_hash(isolated_env: Path) -> None:
    set_password(isolated_env, "maya", "correct horse battery")
    stored = (isolated_env / "users" / "maya" / "password.json").read_text()
    assert "correct horse" not in stored and "$argon2id$" in stored
    assert (isolated_env / "users" / "maya" / "password.json").stat().st_mode & 0o077 == 0
    assert is_protected(isolated_env, "maya") and not is_protected(isolated_env, "ben")
    check_password(isolated_env, "maya", "correct horse battery")
    check_password(isolated_env, "ben", "anything")  # an open profile needs none


def test_wrong_passwords_lock_the_profile_for_a_while(isolated_env: Path) -> None:
    clock = Clock()
    set_password(isolated_env, "maya", "correct horse battery")
    for attempt in range(1, MAX_FAILURES):
        with pytest.raises(ProfileLocked, match=f"{MAX_FAILURES - attempt} more tries"):
            check_password(isolated_env, "maya", "guess", clock)
    with pytest.raises(ProfileLocked, match="locked for 15 min"):
        check_password(isolated_env, "maya", "guess", clock)
    with pytest.raises(ProfileLocked, match="locked"):  # even the right one, while locked
        check_password(isolated_env, "maya", "correct horse battery", clock)
    clock.now += LOCKOUT_S + 1
    check_password(isolated_env, "maya", "correct horse battery", clock)


def test_a_success_resets_the_count_of_failures(isolated_env: Path) -> None:
    clock = Clock()
    set_password(isolated_env, "maya", "correct horse battery")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(ProfileLocked):
            check_password(isolated_env, "maya", "guess", clock)
    check_password(isolated_env, "maya", "correct horse battery", clock)
    with pytest.raises(ProfileLocked, match=f"{MAX_FAILURES - 1} more tries"):
        check_password(isolated_env, "maya", "guess", clock)


def test_changing_or_removing_needs_the_current_password(isolated_env: Path) -> None:
    set_password(isolated_env, "maya", "correct horse battery")
    with pytest.raises(ProfileLocked):
        set_password(isolated_env, "maya", "a new password", current="wrong one")
    set_password(isolated_env, "maya", "a new password", current="correct horse battery")
    with pytest.raises(ProfileLocked):
        remove_password(isolated_env, "maya", "correct horse battery")
    remove_password(isolated_env, "maya", "a new password")
    assert not is_protected(isolated_env, "maya")


def test_a_short_password_is_refused_with_a_reason(isolated_env: Path) -> None:
    with pytest.raises(ConfigError, match="at least 8"):
        set_password(isolated_env, "maya", "short")
    assert not is_protected(isolated_env, "maya")


def test_a_damaged_password_file_keeps_the_profile_locked(isolated_env: Path) -> None:
    set_password(isolated_env, "maya", "correct horse battery")
    (isolated_env / "users" / "maya" / "password.json").write_text("{broken")
    with pytest.raises(ProfileLocked, match="damaged"):
        check_password(isolated_env, "maya", "correct horse battery")
