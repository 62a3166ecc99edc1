"""One coaching turn, top to bottom:

screen -> stage -> save the mentee's words -> recall -> prompt -> draft (guarded) -> fallback ->
save the reply.

Each step is a small function over one ``Turn``. ``run_turn`` calls them in that order and
yields what the mentee sees as it happens (``Delta``, ``Retract``, ``Notice``), ending with one
``TurnResult``. The stage is decided before the save because a saved message carries the stage
it moved the conversation to. A message the safety flow acts on leaves the coaching path after
the screen, and is answered with the flow's fixed words (``safety_path``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.errors import ProviderError
from coach.guard import Grounding, GuardContext, count_advice_requests, fallback_question
from coach.memory.recall import memory_prompt
from coach.notes.extract import reported_status
from coach.prompts import render
from coach.providers import ChatMessage
from coach.safety import SafetyStep, decide
from coach.session.drafting import Drafted, draft_with_repair, led_by
from coach.session.events import Delta, Notice, TurnEvent, TurnResult
from coach.session.prompting import turn_messages
from coach.session.reflecting import lead_reflection
from coach.session.results import as_sentence
from coach.session.retry import retry_for
from coach.session.safety_path import answer_safely
from coach.session.stages import next_stage
from coach.text import clean
from coach.transcripts import TranscriptRecord

if TYPE_CHECKING:
    from coach.session.coach_session import CoachSession

EXTRA_OPTIONS_TURNS = 2


@dataclass
class Turn:
    """One turn as it is worked out, step by step."""

    message: str
    step: SafetyStep | None = None
    stage: str = ""
    said: TranscriptRecord | None = None
    """The mentee's message, once saved."""
    memory: str | None = None
    """What recall adds to the prompt: earlier notes and open commitments."""
    messages: list[ChatMessage] = field(default_factory=list)
    guard: GuardContext = field(default_factory=GuardContext)
    lead: str | None = None
    """A simple reflection shown before the question, for a model that does not reflect."""
    drafted: Drafted | None = None
    reply: str = ""


def run_turn(session: CoachSession, text: str) -> Iterator[TurnEvent]:
    """Answer a mentee message; the events end with a TurnResult."""
    turn = Turn(message=clean(text))
    if not turn.message:
        yield TurnResult(outcome="notice", stage=session.stage, reply=render("empty_message"))
        return
    screen(session, turn)
    if turn.step is not None and turn.step.action != "coach":
        yield from answer_safely(session, turn, turn.step)
        return
    decide_stage(session, turn)
    save_message(session, turn)
    yield from notices_on_the_message(session, turn)
    yield from answer(session, turn)


def retry_turn(session: CoachSession, said: TranscriptRecord) -> Iterator[TurnEvent]:
    """Answer a saved mentee message that has no reply yet (after a provider failure, or a
    reply the records database could not save). A message saved with a safety mark goes back
    through the safety flow, never to coaching."""
    turn = Turn(message=said.text, stage=said.stage, said=said)
    if said.safety is not None:
        step = decide(session.records[:-1], said.text, session.screen)
        if step.action != "coach":
            yield from answer_safely(session, turn, step)
            return
    yield from answer(session, turn)


def answer(session: CoachSession, turn: Turn) -> Iterator[TurnEvent]:
    """The coaching half of a turn, from recall to the saved reply."""
    recall(session, turn)
    yield from memory_notice(session)
    build_prompt(session, turn)
    try:
        yield from draft(session, turn)
    except ProviderError as exc:
        problem = render("provider_error", problem=as_sentence(str(exc)))
        yield TurnResult(outcome="error", stage=turn.stage, error=problem)
        return
    yield from fallback(session, turn)
    save_reply(session, turn)
    assert turn.drafted is not None
    yield TurnResult(
        outcome=turn.drafted.outcome,
        stage=turn.stage,
        reply=turn.reply,
        rejected=turn.drafted.rejected,
    )
    if session.memory is not None:
        session.memory.warm_up()  # after the answer, so loading never delays it


# -- the steps, in order ----------------------------------------------------------------------


def screen(session: CoachSession, turn: Turn) -> None:
    """What the safety flow does with the message, given the session so far."""
    turn.step = decide(session.records, turn.message, session.screen)


def decide_stage(session: CoachSession, turn: Turn) -> None:
    """Where the conversation is after this message."""
    current = session.stage
    said_here = [r for r in session.coaching_records if r.role == "mentee" and r.stage == current]
    turns = len(said_here)
    if current == "options" and session.more_time_on_options:
        turns -= EXTRA_OPTIONS_TURNS  # the mentee asked for more time on options
    turn.stage = next_stage(current, turns, turn.message)


def save_message(session: CoachSession, turn: Turn) -> None:
    """The mentee's words on disk before any model is called."""
    turn.said = TranscriptRecord(role="mentee", text=turn.message, stage=turn.stage)
    session.save(turn.said)


def notices_on_the_message(session: CoachSession, turn: Turn) -> Iterator[TurnEvent]:
    """A followed-up commitment marked done or dropped, and a message too long to read whole."""
    marked = mark_followed_up_commitment(session, turn.message)
    if marked:
        yield Notice(marked)
    limit = session.settings.max_prompt_chars
    if len(turn.message) > limit:
        yield Notice(render("long_message", shown=limit, total=len(turn.message)))


def mark_followed_up_commitment(session: CoachSession, message: str) -> str | None:
    """Mark the commitment the opening asked about, if the mentee's answer says it is done or
    dropped; the notice that says so."""
    records = session.records
    asked = records[-2] if len(records) >= 2 else None
    if session.memory is None or asked is None or asked.follow_up is None:
        return None
    status = reported_status(message)
    if status is None or not session.memory.mark(asked.follow_up.commitment_id, status):
        return None
    return render("commitment_marked", commitment=asked.follow_up.commitment, status=status)


def recall(session: CoachSession, turn: Turn) -> None:
    """Earlier notes relevant to what the mentee just said, and, on the first turn, the open
    commitments; the session keeps the notes it recalled (the UI shows them)."""
    memory = session.memory
    if memory is None:
        return
    coaching = session.coaching_records
    said = [r.text for r in coaching if r.role == "mentee"]
    notes = memory.relevant(said[-2:], exclude_session=session.session_id)
    session.recalled = [n for n in notes if n.session not in session.hidden]
    commitments = memory.open_commitments() if len(said) == 1 else []
    kept = [c for c in commitments if c.id not in session.hidden]
    turn.memory = memory_prompt(session.recalled, kept)


def memory_notice(session: CoachSession) -> Iterator[TurnEvent]:
    """Once a session: memory is off, and why."""
    memory = session.memory
    if memory is None or memory.available or session.memory_off_told:
        return
    session.memory_off_told = True
    yield Notice(render("memory_off", problem=(memory.off_reason or "").rstrip(".")))


def build_prompt(session: CoachSession, turn: Turn) -> None:
    """The model's prompt, and what the guard holds its reply to."""
    coaching = session.coaching_records
    turn.messages = turn_messages(
        session.provider,
        turn.stage,
        coaching,
        session.settings.max_prompt_chars,
        memory=turn.memory,
        guidance=session.guidance,
    )
    said = [r.text for r in coaching if r.role == "mentee"]
    on_topic = session.provider.capabilities.stays_on_topic
    turn.guard = GuardContext(
        earlier=[r.text for r in coaching if r.role == "coach"],
        advice_requests=count_advice_requests(said),
        grounding=None if on_topic else Grounding.from_messages(said),
    )


def draft(session: CoachSession, turn: Turn) -> Iterator[TurnEvent]:
    """The model's reply, released only as the guard passes it, with one retry; led by a simple
    reflection where the model does not reflect by itself."""
    turn.lead = lead_reflection(session.provider, session.coaching_records, turn.message)
    retry = retry_for(session.provider)
    drafting = draft_with_repair(session.provider, turn.messages, retry, turn.guard)
    if turn.lead:
        drafting = led_by(turn.lead + " ", drafting)
    turn.drafted = yield from drafting


def fallback(session: CoachSession, turn: Turn) -> Iterator[TurnEvent]:
    """When both drafts failed the guard, a question from the stage's stems and the mentee's
    words; the reply as the mentee saw it, the reflection included."""
    assert turn.drafted is not None
    question = turn.drafted.reply
    if question is None:
        asked = [r.text for r in session.coaching_records if r.role == "coach"]
        question = fallback_question(
            turn.stage, turn.message, asked, after_reflection=bool(turn.lead)
        )
        yield Delta(question)
    turn.reply = f"{turn.lead} {question}" if turn.lead else question


def save_reply(session: CoachSession, turn: Turn) -> None:
    assert turn.drafted is not None and turn.said is not None
    session.save(
        TranscriptRecord(
            role="coach",
            text=turn.reply,
            stage=turn.stage,
            reply_to=turn.said.id,
            source=turn.drafted.outcome,
            rejected=turn.drafted.rejected,
            reflected=bool(turn.lead),
        )
    )
