"""The openai provider, for real, against llama.cpp's OpenAI-compatible server on loopback."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from coach.guard import check_reply
from coach.providers import ChatMessage, get_provider
from coach.providers.local import shipped_model_path
from coach.providers.openai_compat import OpenAIProvider
from coach.session import CoachSession
from coach.settings import load_settings
from tests.servers import free_port, running

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on a free loopback port, stopped afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(shipped_model_path()),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "2",
    ]
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("server") / "server.log"
    with running(command, url + "/v1/models", log):
        yield url + "/v1"


def test_the_provider_streams_from_a_real_server(server_url: str) -> None:
    provider = OpenAIProvider(model="smollm2", base_url=server_url, api_key=None, timeout_s=60)
    pieces = list(provider.stream([ChatMessage(role="user", content="Say hello.")]))
    assert len(pieces) > 1, "the reply should arrive in several streamed pieces"
    assert "".join(pieces).strip()


def test_a_session_over_the_server_asks_one_open_question(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_BASE_URL", server_url)
    settings = load_settings(provider="openai", model="smollm2")
    provider = get_provider(settings)
    assert isinstance(provider, OpenAIProvider)
    session = CoachSession(provider, settings, user="alice")
    result = session.turn("My manager keeps taking credit for my work in meetings.")
    assert result.reply is not None and check_reply(result.reply).passed
    assert result.outcome in {"model", "repaired", "fallback"}


def test_the_profile_page_connects_to_a_real_server(server_url: str) -> None:
    from tests.ui.helpers import click, opened

    app = opened("pages/1_Profile.py")
    app.radio[0].set_value("openai")
    app.text_input[1].set_value("smollm2")
    app.text_input[2].set_value(server_url)
    click(app, "Test connection")
    assert not app.warning
    assert app.success[0].value.startswith(f"Connected to smollm2 at {server_url}")
