"""The Profile page: choosing and creating profiles, and the model settings with their test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.profiles import list_profiles, load_choice
from coach.records import records_at
from tests.servers import free_port
from tests.ui.helpers import click, opened

PAGE = "pages/1_Profile.py"


@pytest.fixture(autouse=True)
def scripted_erin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    monkeypatch.setenv("COACH_USER", "erin")


def model_form(app: AppTest, provider: str, model: str, base_url: str, key: str = "") -> AppTest:
    app.radio[0].set_value(provider)
    app.text_input[1].set_value(model)
    app.text_input[2].set_value(base_url)
    app.text_input[3].set_value(key)
    return app


def test_the_page_shows_the_profile_and_the_model_in_use() -> None:
    app = opened(PAGE)
    assert app.selectbox[0].value == "erin"
    assert any("scripted replies" in m.value for m in app.markdown)
    assert not app.info  # not the embedded demo model


def test_a_new_profile_is_created_and_becomes_the_active_one(isolated_env: Path) -> None:
    app = opened(PAGE)
    app.text_input[0].set_value("maya")
    click(app, "Create profile")
    assert app.session_state["profile"] == "maya"
    assert app.selectbox[0].value == "maya"
    assert "maya" in list_profiles(records_at(isolated_env))


def test_a_bad_profile_name_gets_a_message_and_keeps_what_was_typed(isolated_env: Path) -> None:
    app = opened(PAGE)
    app.text_input[0].set_value("../maya")
    click(app, "Create profile")
    assert "profile name" in app.warning[0].value
    assert app.text_input[0].value == "../maya"
    assert app.session_state["profile"] == "erin"


def test_saving_a_server_keeps_it_for_the_profile_but_never_the_key(isolated_env: Path) -> None:
    app = opened(PAGE)
    model_form(app, "openai", "qwen2.5", "http://127.0.0.1:8080/v1", "sk-private")
    click(app, "Save for this profile")
    assert "Saved" in app.success[0].value
    choice = load_choice(records_at(isolated_env), "erin")
    assert choice is not None and (choice.provider, choice.model) == ("openai", "qwen2.5")
    assert "sk-private" not in (isolated_env / "coach.db").read_bytes().decode("latin-1")
    assert any("qwen2.5 at http://127.0.0.1:8080/v1" in m.value for m in app.markdown)


def test_testing_a_server_that_is_down_says_so() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    app = opened(PAGE)
    model_form(app, "openai", "qwen2.5", url)
    click(app, "Test connection")
    assert "Could not use" in app.warning[0].value and "127.0.0.1" in app.warning[0].value
    assert app.text_input[2].value == url  # nothing typed is lost


def test_a_server_without_a_model_name_gets_a_fix() -> None:
    app = opened(PAGE)
    model_form(app, "openai", "", "http://127.0.0.1:9/v1")
    click(app, "Test connection")
    assert "COACH_MODEL" in app.warning[0].value


def test_a_password_keeps_a_profile_closed_until_it_is_given(isolated_env: Path) -> None:
    app = opened(PAGE)
    app.text_input[-1].set_value("correct horse battery")
    click(app, "Set password")
    assert "Password saved" in app.success[0].value

    fresh = opened("Rehearse.py")  # another browser session
    assert "protected by a password" in fresh.info[0].value
    assert not fresh.chat_input
    fresh.text_input[0].set_value("wrong guess")
    click(fresh, "Open profile")
    assert "4 more tries" in fresh.warning[0].value and not fresh.chat_input
    fresh.text_input[0].set_value("correct horse battery")
    click(fresh, "Open profile")
    assert fresh.chat_input and not fresh.warning
