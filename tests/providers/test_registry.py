import pytest

from coach.errors import ConfigError, ProviderError
from coach.providers import ChatMessage, ScriptedProvider, get_provider
from coach.providers.openai_compat import OpenAIProvider
from coach.settings import load_settings

HELLO = [ChatMessage(role="user", content="hello")]


def test_scripted_is_registered_like_a_real_provider_and_built_once() -> None:
    settings = load_settings(provider="scripted")
    first = get_provider(settings)
    assert isinstance(first, ScriptedProvider)
    assert get_provider(load_settings(provider="scripted")) is first


def test_scripted_replies_come_back_in_order_and_run_out_clearly() -> None:
    provider = ScriptedProvider(["What matters?"])
    provider.enqueue("How so?")
    assert "".join(provider.stream(HELLO)) == "What matters?"
    assert "".join(provider.stream(HELLO)) == "How so?"
    with pytest.raises(ProviderError, match="no reply queued"):
        "".join(provider.stream(HELLO))
    assert len(provider.calls) == 3


def test_scripted_replies_can_come_from_a_file(tmp_path, monkeypatch) -> None:
    script = tmp_path / "replies.jsonl"
    script.write_text('"What happened?"\n"How did it feel?"\n')
    monkeypatch.setenv("COACH_SCRIPT_FILE", str(script))
    provider = get_provider(load_settings(provider="scripted"))
    assert "".join(provider.stream(HELLO)) == "What happened?"


def test_openai_without_key_or_server_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match="COACH_API_KEY or OPENAI_API_KEY"):
        get_provider(load_settings(provider="openai"))


def test_openai_server_without_model_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match="COACH_MODEL"):
        OpenAIProvider(model=None, base_url="http://127.0.0.1:8000/v1", api_key=None)


def test_openai_base_url_must_be_a_url() -> None:
    with pytest.raises(ConfigError, match="not a URL"):
        OpenAIProvider(model="m", base_url="localhost:8000", api_key=None)


def test_connection_refused_is_a_clear_provider_error() -> None:
    import socket

    with socket.socket() as probe:  # a free port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenAIProvider(
        model="m", base_url=f"http://127.0.0.1:{port}/v1", api_key=None, timeout_s=2
    )
    with pytest.raises(ProviderError, match="could not reach"):
        "".join(provider.stream(HELLO))


def test_local_model_path_that_is_missing_says_what_to_do(tmp_path) -> None:
    from coach.providers.local import LocalProvider

    with pytest.raises(ConfigError, match="COACH_MODEL_PATH"):
        LocalProvider(model_path=tmp_path / "missing.gguf")
