from pathlib import Path

import pytest

from coach.errors import ConfigError
from coach.settings import load_settings


def test_defaults_to_the_embedded_model_with_no_key() -> None:
    settings = load_settings()
    assert settings.provider == "local"
    assert settings.api_key is None


def test_each_source_overrides_the_one_before(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("COACH_PROVIDER=openai\nCOACH_MODEL=from-dotenv\nCOACH_USER=dot\n")
    assert load_settings().model == "from-dotenv"
    monkeypatch.setenv("COACH_MODEL", "from-env")
    settings = load_settings()
    assert (settings.provider, settings.model, settings.user) == ("openai", "from-env", "dot")
    assert load_settings(model="from-flag").model == "from-flag"
    # A flag left unset does not erase a lower source.
    assert load_settings(model=None).model == "from-env"


def test_openai_api_key_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    key = load_settings().api_key
    assert key is not None and key.get_secret_value() == "sk-test"


def test_coach_key_wins_over_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("COACH_API_KEY", "sk-coach")
    key = load_settings().api_key
    assert key is not None and key.get_secret_value() == "sk-coach"


def test_unknown_provider_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PROVIDER", "gpt5")
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert "'gpt5'" in message and "local, openai, scripted" in message
    assert "COACH_PROVIDER" in message


def test_bad_number_says_which_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_THREADS", "lots")
    with pytest.raises(ConfigError, match="COACH_THREADS"):
        load_settings()
