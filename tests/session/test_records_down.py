"""A turn when the records database fails: a clear message, and nothing the mentee typed is
lost (a real SQLite file whose write lock another connection holds)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest

from coach.providers import ChatMessage, ScriptedProvider
from coach.session import CoachSession
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
