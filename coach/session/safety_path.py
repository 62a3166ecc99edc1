"""The safety path of a turn: a message the safety flow acts on is saved with its mark and
answered with the flow's fixed words, never by the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.prompts import render
from coach.records import RecordsUnavailable
from coach.safety import SafetyStep, crisis_message
from coach.safety.flow import step_reply
from coach.session.events import Delta, Notice, Outcome, TurnEvent, TurnResult
from coach.transcripts import TranscriptRecord

if TYPE_CHECKING:
    from coach.session.coach_session import CoachSession
    from coach.session.turn import Turn

SAFETY_OUTCOMES: dict[str, Outcome] = {"crisis": "crisis", "hold": "crisis", "check_in": "check_in"}


def answer_safely(session: CoachSession, turn: Turn, step: SafetyStep) -> Iterator[TurnEvent]:
    """Save the message with its safety mark, then answer with the step's fixed words.

    The answer is shown even when the records database cannot save the exchange: the resources
    matter more than the record. The exchange is then kept in the session so the safety flow
    still follows it, and the mentee is told it was not saved."""
    turn.stage = session.stage
    kept = True
    if turn.said is None:  # a retried message was saved with its mark already
        turn.said = TranscriptRecord(
            role="mentee", text=turn.message, stage=turn.stage, safety=step.mark, risk=step.category
        )
        kept = _save_for_safety(session, turn.said)
    resources = crisis_message(session.settings.crisis_message_file)
    turn.reply = step_reply(step, session.records, session.plain_opening(), resources)
    reply = TranscriptRecord(
        role="coach",
        text=turn.reply,
        stage=turn.stage,
        reply_to=turn.said.id,
        source=step.source,
        risk=step.category,
        asked_again=step.again,
        confirmed=step.confirmed,
    )
    kept = _save_for_safety(session, reply) and kept
    if not kept:
        yield Notice(render("records_safety_unsaved"))
    yield Delta(turn.reply)
    outcome = SAFETY_OUTCOMES.get(step.action, "safety")
    yield TurnResult(outcome=outcome, stage=turn.stage, reply=turn.reply)


def _save_for_safety(session: CoachSession, record: TranscriptRecord) -> bool:
    """Save a record of the safety exchange; if the database fails, keep it in the session."""
    try:
        session.save(record)
    except RecordsUnavailable:
        session.records.append(record)
        return False
    return True
