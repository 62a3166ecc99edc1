"""A model that cannot reflect (the embedded default): its questions are led by a reflection."""

from __future__ import annotations

import pytest

from coach.guard import check_reply
from coach.providers import Capabilities, ScriptedProvider
from coach.session import CoachSession, Delta, Retract, TranscriptStore, TurnResult

FEELING = "I want to cut back but I'm afraid it'll stall my career."
TOLD_BACK = "you want to cut back but you're afraid it'll stall your career."
QUESTION = "What would cutting back look like for you?"


@pytest.fixture
def no_reflection(scripted: ScriptedProvider, monkeypatch: pytest.MonkeyPatch) -> ScriptedProvider:
    monkeypatch.setattr(scripted, "capabilities", Capabilities(reflects=False))
    return scripted


def turn(session: CoachSession, text: str) -> tuple[list[object], TurnResult]:
    events = list(session.stream_turn(text))
    assert isinstance(events[-1], TurnResult)
    return events, events[-1]


def shown(events: list[object]) -> str:
    """What the mentee saw, honouring withdrawn drafts."""
    text = ""
    for event in events:
        if isinstance(event, Retract):
            text = ""
        elif isinstance(event, Delta):
            text += event.text
    return text


def test_the_question_is_led_by_the_mentees_words_told_back(
    session: CoachSession, no_reflection: ScriptedProvider
) -> None:
    no_reflection.enqueue(QUESTION)
    events, result = turn(session, FEELING)
    reply = result.reply or ""
    assert reply.lower().endswith(TOLD_BACK + " " + QUESTION.lower())
    deltas = [e.text for e in events if isinstance(e, Delta)]
    assert deltas[0].lower().endswith(TOLD_BACK + " ")  # shown at once, before the model answers
    assert shown(events) == reply
    assert check_reply(reply).passed
    saved = TranscriptStore(session.store.records, "alice").load(session.session_id)
    assert saved[-1].text == reply and saved[-1].reflected


def test_a_model_that_reflects_by_itself_gets_nothing_added(
    session: CoachSession, scripted: ScriptedProvider
) -> None:
    scripted.enqueue(QUESTION)
    _, result = turn(session, FEELING)
    assert result.reply == QUESTION


def test_never_two_turns_running(session: CoachSession, no_reflection: ScriptedProvider) -> None:
    no_reflection.enqueue(QUESTION, "What else matters to you here?", "How would you start?")
    _, first = turn(session, FEELING)
    _, second = turn(session, "I feel guilty when I leave before my team.")
    _, third = turn(session, "I'm worried my manager will notice.")
    assert (first.reply or "").lower().endswith(QUESTION.lower()) and first.reply != QUESTION
    assert second.reply == "What else matters to you here?"
    assert (third.reply or "").lower().startswith(("so you're", "it sounds like you're", "you're"))


def test_the_reflection_survives_a_withdrawn_draft(
    session: CoachSession, no_reflection: ScriptedProvider
) -> None:
    no_reflection.enqueue("Your career matters. Is that right?", QUESTION)
    events, result = turn(session, FEELING)
    assert result.outcome == "repaired"
    assert any(isinstance(e, Retract) for e in events)
    assert shown(events) == result.reply
    assert (result.reply or "").lower().endswith(TOLD_BACK + " " + QUESTION.lower())


def test_the_fallback_question_is_led_too(
    session: CoachSession, no_reflection: ScriptedProvider
) -> None:
    no_reflection.enqueue("You should quit.", "Do you want to quit?")
    events, result = turn(session, FEELING)
    assert result.outcome == "fallback"
    assert shown(events) == result.reply
    assert (result.reply or "").lower().startswith(("so you", "it sounds like you", "you"))
    assert check_reply(result.reply or "").passed
    # The reflection has told the mentee's words back; the question does not quote them again.
    assert '"' not in (result.reply or "")


def test_a_request_for_advice_is_answered_without_an_echo(
    session: CoachSession, no_reflection: ScriptedProvider
) -> None:
    no_reflection.enqueue(QUESTION)
    _, result = turn(session, "Just tell me what to do. I feel lost.")
    assert result.reply == QUESTION
