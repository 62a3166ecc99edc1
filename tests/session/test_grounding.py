"""A model that wanders off the conversation (the embedded demo): its stray questions are redrawn,
then replaced by the fallback, and the mentee never sees them."""

from __future__ import annotations

import pytest

from coach.providers import Capabilities, ScriptedProvider
from coach.session import CoachSession, TurnResult

DILEMMA = "My manager presents my analysis in meetings as if it were his."
STRAY = "What is most important about the universe?"
ABOUT_ITSELF = "What would you like to ask me?"
GROUNDED = "How do you feel when your manager presents your analysis?"


@pytest.fixture
def wandering(scripted: ScriptedProvider, monkeypatch: pytest.MonkeyPatch) -> ScriptedProvider:
    # Reflecting itself keeps the replies to the model's own words.
    monkeypatch.setattr(scripted, "capabilities", Capabilities(stays_on_topic=False, reflects=True))
    return scripted


def turn(session: CoachSession, text: str) -> TurnResult:
    result = list(session.stream_turn(text))[-1]
    assert isinstance(result, TurnResult)
    return result


def test_a_stray_question_is_redrawn_and_the_reason_kept(
    session: CoachSession, wandering: ScriptedProvider
) -> None:
    wandering.enqueue(STRAY, GROUNDED)
    result = turn(session, DILEMMA)
    assert result.reply == GROUNDED
    assert result.outcome == "repaired"
    assert "strays from what the mentee said" in result.rejected[0]
    assert "universe" in result.rejected[0]


def test_when_every_draft_strays_the_fallback_asks_in_the_mentees_words(
    session: CoachSession, wandering: ScriptedProvider
) -> None:
    wandering.enqueue(STRAY, ABOUT_ITSELF)
    result = turn(session, DILEMMA)
    assert result.outcome == "fallback"
    assert result.reply.startswith('When you say "My manager presents my analysis')
    assert "about the coach" in result.rejected[1]


def test_a_model_that_stays_on_topic_is_not_held_to_the_mentees_words(
    session: CoachSession, scripted: ScriptedProvider
) -> None:
    scripted.enqueue(STRAY)
    assert turn(session, DILEMMA).reply == STRAY
