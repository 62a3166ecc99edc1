"""Profiles: creating them, the model each one chooses, and testing the connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from coach.errors import ConfigError, ProviderError
from coach.profiles import (
    ModelChoice,
    check_connection,
    create_profile,
    is_embedded_demo,
    list_profiles,
    profile_settings,
    save_choice,
)
from coach.providers import ScriptedProvider, get_provider
from coach.records import Database
from coach.records.schema import profiles
from coach.settings import load_settings


def test_profiles_are_created_listed_and_kept_apart(database: Database) -> None:
    assert list_profiles(database) == []
    assert create_profile(database, "  Maya ") == "Maya"
    create_profile(database, "ben")
    create_profile(database, "ben")  # again: nothing changes
    assert list_profiles(database) == ["ben", "Maya"]
    save_choice(database, "Maya", ModelChoice(provider="scripted"))
    assert profile_settings("Maya").provider == "scripted"
    assert profile_settings("ben").provider == "local"


@pytest.mark.parametrize("name", ["", "../etc", "a b", "x" * 65])
def test_a_bad_profile_name_gets_a_message(database: Database, name: str) -> None:
    with pytest.raises(ConfigError, match="profile name"):
        create_profile(database, name)
    assert list_profiles(database) == []


def test_the_saved_choice_wins_over_the_environment_and_keys_are_never_stored(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    save_choice(
        database,
        "maya",
        ModelChoice(provider="openai", model="qwen", base_url="http://127.0.0.1:9/v1"),
    )
    settings = profile_settings("maya", api_key="sk-secret")
    assert (settings.provider, settings.model) == ("openai", "qwen")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-secret"
    assert not is_embedded_demo(settings)
    with database.read() as connection:
        stored = [str(value) for row in connection.execute(select(profiles)) for value in row]
    assert not any("sk-secret" in value for value in stored)
    assert is_embedded_demo(load_settings(provider="local"))


def test_a_damaged_choice_says_how_to_fix_it(database: Database) -> None:
    create_profile(database, "maya")
    with database.write() as connection:
        connection.execute(update(profiles).values(model_choice="{not json"))
    with pytest.raises(ConfigError, match="Profile page"):
        profile_settings("maya")


def test_test_connection_reports_a_working_model(isolated_env: Path) -> None:
    settings = load_settings(provider="scripted")
    provider = get_provider(settings)
    assert isinstance(provider, ScriptedProvider)
    provider.enqueue("How did your week go?")
    check = check_connection(settings)
    assert check.ok and "answered" in check.message
    assert check.model == provider.describe()


def test_test_connection_reports_a_failure_without_raising(isolated_env: Path) -> None:
    settings = load_settings(provider="scripted")
    provider = get_provider(settings)
    assert isinstance(provider, ScriptedProvider)
    provider.enqueue(ProviderError("could not reach http://127.0.0.1:9/v1."))
    check = check_connection(settings)
    assert not check.ok and "could not reach" in check.message
    missing = check_connection(load_settings(provider="openai", base_url="http://127.0.0.1:9/v1"))
    assert not missing.ok and "COACH_MODEL" in missing.message


def test_test_connection_to_a_server_that_is_not_running(isolated_env: Path) -> None:
    from tests.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    check = check_connection(load_settings(provider="openai", model="any", base_url=url))
    assert not check.ok and "127.0.0.1" in check.message
