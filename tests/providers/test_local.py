"""The embedded model, for real: the shipped GGUF, loaded once, asking one open question."""

from __future__ import annotations

import pytest

from coach.guard import check_reply
from coach.prompts import render
from coach.providers import get_provider
from coach.providers.local import LocalProvider, shipped_model_path
from coach.session import CoachSession
from coach.settings import load_settings
from coach.text import split_sentences

pytestmark = pytest.mark.slow

DILEMMAS = [
    "My manager keeps presenting my ideas in meetings as if they were his.",
    "I have an offer from a startup but I'm scared to leave my stable job.",
    "I want to ask a senior engineer to mentor me but I don't know how.",
]


@pytest.fixture(scope="module")
def local() -> LocalProvider:
    provider = get_provider(load_settings(provider="local"))
    assert isinstance(provider, LocalProvider)
    return provider


def test_the_shipped_model_file_is_found() -> None:
    path = shipped_model_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_the_model_is_loaded_once_and_reused(local: LocalProvider) -> None:
    first = get_provider(load_settings(provider="local"))
    assert get_provider(load_settings(provider="local")) is first
    assert "embedded demo model" in first.describe()
    assert (
        not first.capabilities.follows_feedback
    )  # too small to act on a repair's reasons: it draws again


@pytest.mark.parametrize("dilemma", DILEMMAS)
def test_a_raw_reply_is_exactly_one_question(local: LocalProvider, dilemma: str) -> None:
    from coach.session.prompting import build_messages
    from coach.transcripts import TranscriptRecord

    messages = build_messages(
        "dilemma", [TranscriptRecord(role="mentee", text=dilemma, stage="dilemma")], 4000
    )
    reply = "".join(local.stream(messages)).strip()
    assert reply.endswith("?") and reply.count("?") == 1, reply
    assert len(split_sentences(reply)) == 1, reply


def test_a_full_turn_answers_with_one_open_question(local: LocalProvider, settings) -> None:
    session = CoachSession(local, settings, user="alice")
    for dilemma in DILEMMAS:
        result = session.turn(dilemma)
        assert result.reply is not None
        assert check_reply(result.reply).passed, (result.reply, result.rejected)


def test_warming_up_reads_the_rules_and_examples_before_the_first_message(
    local: LocalProvider, settings
) -> None:
    session = CoachSession(local, settings, user="ben")
    rules = local.count_tokens(render("coach_system"))
    session.warm_up()
    assert local.cached_tokens > rules  # the rules and the few-shot examples
    result = session.turn(DILEMMAS[0])
    assert result.reply is not None and check_reply(result.reply).passed
