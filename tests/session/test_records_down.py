"""A turn when the records database fails: a clear message, and nothing the mentee typed is
lost (a real SQLite file whose write lock another connection holds)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest

from coach.providers import ChatMessage, ScriptedProvider
from coach.session import CoachSession, TurnResult
from coach.settings import Settings
from tests.records.locks import held_lock

REPLY = "What makes the decision hard?"


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coach.records.database.BUSY_TIMEOUT_S", 0.2)


def floor_only(settings: Settings) -> Settings:
    return settings.model_copy(update={"safety_screen": "floor"})


def test_a_message_that_cannot_be_saved_is_handed_back(
    settings: Settings, isolated_env: Path
) -> None:
    session = CoachSession(ScriptedProvider([REPLY]), floor_only(settings), user="ana")
    with held_lock(isolated_env / "coach.db"):
        result = session.turn("I need to decide about the offer.")
    assert result.outcome == "error" and result.reply is None
    assert result.unsaved == "I need to decide about the offer."
    assert "could not be saved" in (result.error or "") and "locked" in (result.error or "")
    assert session.records == []
    again = session.turn(result.unsaved)
    assert again.reply == REPLY
    assert [r.text for r in session.store.load(session.session_id)] == [result.unsaved, REPLY]


class LockingProvider(ScriptedProvider):
    """Replies while another connection takes the database's write lock, as a stuck writer
    would between the saved message and the reply."""

    def __init__(self, database: Path, replies: Sequence[str]) -> None:
        super().__init__(replies)
        self.database = database
        self.locks = ExitStack()
        self.locking = True

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        if self.locking:
            self.locks.enter_context(held_lock(self.database))
        yield from super().stream(messages)


def test_a_reply_that_cannot_be_saved_leaves_the_message_saved_to_retry(
    settings: Settings, isolated_env: Path
) -> None:
    provider = LockingProvider(isolated_env / "coach.db", [REPLY])
    session = CoachSession(provider, floor_only(settings), user="ana")
    result = session.turn("I need to decide about the offer.")
    provider.locks.close()
    provider.locking = False
    assert result.outcome == "error" and result.unsaved is None
    assert "could not save its reply" in (result.error or "")
    assert (
        session.pending is not None and session.pending.text == "I need to decide about the offer."
    )
    provider.enqueue(REPLY)
    retried = list(session.retry())[-1]
    assert getattr(retried, "reply", None) == REPLY
    texts = [r.text for r in session.store.load(session.session_id)]
    assert texts == ["I need to decide about the offer.", REPLY]


CRISIS = "Honestly I want to kill myself over this project."


def test_the_crisis_resources_are_shown_even_when_they_cannot_be_saved(
    settings: Settings, isolated_env: Path
) -> None:
    session = CoachSession(ScriptedProvider([REPLY]), floor_only(settings), user="ana")
    with held_lock(isolated_env / "coach.db"):
        result = session.turn(CRISIS)
    assert result.outcome == "crisis" and result.reply
    assert any("could not be saved" in notice for notice in result.notices)
    assert [(r.role, r.safety) for r in session.records] == [("mentee", "crisis"), ("coach", None)]
    assert session.records[1].source == "crisis"  # the flow still knows what it said


def test_a_crisis_message_whose_reply_was_lost_is_answered_by_the_safety_flow_on_retry(
    settings: Settings,
) -> None:
    from coach.transcripts import TranscriptRecord

    first = CoachSession(ScriptedProvider(), floor_only(settings), user="ana")
    said = TranscriptRecord(
        role="mentee", text=CRISIS, stage="dilemma", safety="crisis", risk="suicide"
    )
    first.save(said)  # as a replica that died before saving the crisis reply leaves it
    scripted = ScriptedProvider([REPLY])
    resumed = CoachSession(scripted, floor_only(settings), user="ana", session_id=first.session_id)
    assert resumed.pending is not None
    result = [e for e in resumed.retry() if isinstance(e, TurnResult)][-1]
    assert result.outcome == "crisis" and result.reply and REPLY not in result.reply
    assert scripted.calls == []  # never coached
