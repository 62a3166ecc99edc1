"""A model process that dies (an illegal instruction, a segmentation fault, an abort, the
out-of-memory killer) or hangs costs one reply, never the app: the mentee's message is kept,
the error says what happened and how to fix it, and a retry works once the model does."""

from __future__ import annotations

import os
import signal

import pytest

from coach.errors import ConfigError, ProviderError
from coach.providers import ChatMessage
from coach.providers.local import LocalProvider, shipped_model_path
from coach.records import open_records
from coach.session import CoachSession, TranscriptStore, TurnResult
from coach.settings import Settings
from tests.providers.crash import crash_model_processes, mend_model_processes

pytestmark = pytest.mark.slow

DILEMMA = "My manager keeps presenting my ideas in meetings as if they were his."
HELLO = [ChatMessage(role="user", content=DILEMMA)]


def last_result(events: object) -> TurnResult:
    results = [e for e in events if isinstance(e, TurnResult)]  # type: ignore[attr-defined]
    return results[-1]


@pytest.mark.parametrize(
    ("how", "words"), [("SIGILL", "illegal instruction"), ("SIGSEGV", "segmentation fault")]
)
def test_a_model_process_that_dies_costs_one_reply_and_keeps_the_message(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, how: str, words: str
) -> None:
    crash_model_processes(monkeypatch, how)
    provider = LocalProvider(model_path=shipped_model_path())
    session = CoachSession(provider, settings, user="alice")

    result = session.turn(DILEMMA)

    assert result.outcome == "error" and result.error is not None
    assert how in result.error and words in result.error
    assert "make rebuild-llama" in result.error and "Your message is saved" in result.error
    assert session.pending is not None and session.pending.text == DILEMMA
    kept = TranscriptStore(open_records(settings), "alice").load(session.session_id)
    assert [r.text for r in kept] == [DILEMMA]

    mend_model_processes(monkeypatch)  # the user rebuilt llama.cpp
    again = last_result(session.retry())
    assert again.outcome in {"model", "repaired", "fallback"}, again
    assert again.reply is not None and again.reply.endswith("?")
    assert session.pending is None
    provider.close()


def test_a_model_that_dies_while_loading_is_refused_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crash_model_processes(monkeypatch, "SIGILL", at="load")
    with pytest.raises(ConfigError) as refused:
        LocalProvider(model_path=shipped_model_path())
    assert "illegal instruction" in str(refused.value)
    assert "make rebuild-llama" in str(refused.value)


def test_an_abort_passes_on_what_llama_cpp_said_last(monkeypatch: pytest.MonkeyPatch) -> None:
    crash_model_processes(monkeypatch, "SIGABRT")
    provider = LocalProvider(model_path=shipped_model_path())
    with pytest.raises(ProviderError, match="aborted") as failed:
        "".join(provider.stream(HELLO))
    assert "GGML_ASSERT(n_dims <= 4) failed" in str(failed.value)


def test_a_model_process_that_hangs_is_stopped_after_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crash_model_processes(monkeypatch, "hang")
    provider = LocalProvider(model_path=shipped_model_path(), timeout_s=1)
    with pytest.raises(ProviderError, match="did not answer within 1 s"):
        "".join(provider.stream(HELLO))
    assert not provider.process.running


def test_a_model_process_killed_mid_reply_is_explained_and_started_again() -> None:
    provider = LocalProvider(model_path=shipped_model_path())
    stream = provider.stream(HELLO)
    next(stream)  # the reply has begun
    assert provider.process.pid is not None
    os.kill(provider.process.pid, signal.SIGKILL)  # as the out-of-memory killer does
    with pytest.raises(ProviderError, match="ran out of memory"):
        "".join(stream)
    reply = "".join(provider.stream(HELLO))
    assert reply.endswith("?")
    provider.close()


def test_a_reply_left_unread_is_stopped_and_the_next_starts_clean() -> None:
    provider = LocalProvider(model_path=shipped_model_path())
    pid = provider.process.pid
    stream = provider.stream(HELLO)
    next(stream)
    stream.close()  # the guard stops reading a draft that gives advice
    reply = "".join(provider.stream(HELLO)).strip()
    assert reply.endswith("?") and reply.count("?") == 1, reply
    assert provider.process.pid == pid  # stopped by a cancel, not by killing the process
    provider.close()
