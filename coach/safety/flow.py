"""The graded response: what the coach does with a mentee's message before any coaching.

- ``crisis``: stop coaching; the crisis message and its resources.
- ``check_in``: one caring, direct safety question, worded for the kind of risk.
- The answer to that question: a plain no, with no hedging, lets the coach ask whether to carry
  on; a yes, or a maybe or "I don't know" that answers it, brings the resources; an answer that
  talks past the question is asked once more, and a second such answer brings the resources.
- After the resources, the next message gets a gentle check rather than a change of subject,
  so a mentee who backs off ("that came out darker than I meant") is asked, not ignored.
- ``coach``: nothing to act on; the turn coaches as usual.

The state lives in the transcript: the coach's last record says which step was last taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from coach.prompts import render
from coach.safety.knowledge import any_match, match_spans, safety_knowledge
from coach.safety.result import CATEGORIES, Category, SafetyResult
from coach.transcripts import (
    SAFETY_SOURCES,
    SafetyMark,
    Source,
    TranscriptRecord,
    is_safety_record,
)

Action = Literal["coach", "check_in", "crisis", "clear", "resume", "pause", "hold"]
Screen = Callable[[str, Sequence[str]], SafetyResult]

COACHING_SOURCES = frozenset({"model", "repaired", "fallback", "follow_up"})
PLAIN_NO_WORDS = 15
SUBSTANCE_WORDS = 5  # an agreement to carry on with this many words or more is coached on
# A word of doubt ("maybe", "not sure") answers the safety question when it opens the answer,
# stands alone ("...so much that maybe, I don't know, a little."), ends a short answer, or comes
# with risk the screen reads. Deep in a longer, safe answer and leading into more words ("...I'm
# not sure what to ask for at the review") it is about something else. A yes answers anywhere.
OPENING_WORDS = 6
STANDS_ALONE = re.compile(r"\s*(?:[,.;:!?)\u2026\u2013\u2014-]|$)")


@dataclass(frozen=True)
class SafetyStep:
    """What to do with one message, and how to mark it in the transcript."""

    action: Action
    result: SafetyResult
    category: Category | None = None  # the kind of risk being checked
    again: bool = False  # a check after the resources were shown
    confirmed: bool = False  # the mentee confirmed the risk: coaching does not resume today

    @property
    def mark(self) -> SafetyMark | None:
        """The mentee record's safety mark: crisis content stays out of notes and prompts."""
        if self.action in ("crisis", "hold") or self.result.level == "crisis":
            return "crisis"
        if self.action == "check_in":
            return "check_in"
        if self.action in ("clear", "resume", "pause"):
            return "safety_answer"
        return None

    @property
    def source(self) -> Source:
        sources: dict[Action, Source] = {
            "check_in": "safety_check",
            "crisis": "crisis",
            "clear": "safety_clear",
            "resume": "safety_resume",
            "pause": "safety_pause",
            "coach": "model",
            "hold": "crisis",
        }
        return sources[self.action]


def screening_context(records: Sequence[TranscriptRecord]) -> list[str]:
    """The mentee's earlier messages since the last safety exchange ended."""
    context: list[str] = []
    for record in records:
        if record.role == "coach" and record.source in SAFETY_SOURCES:
            context = []  # a risk already acted on does not colour what follows it
        elif record.role == "mentee" and not is_safety_record(record):
            context.append(record.text)
    return context


def last_coach(records: Sequence[TranscriptRecord]) -> TranscriptRecord | None:
    return next((r for r in reversed(records) if r.role == "coach"), None)


def checked_category(records: Sequence[TranscriptRecord]) -> Category | None:
    """The kind of risk the last safety exchange was about."""
    for record in reversed(records):
        for category in CATEGORIES:
            if record.risk == category:
                return category
    return None


def decide(records: Sequence[TranscriptRecord], message: str, screen: Screen) -> SafetyStep:
    """The step to take for ``message``, given the session so far."""
    last = last_coach(records)
    state = last.source if last is not None else None
    if any(r.confirmed for r in records if r.role == "coach"):
        return SafetyStep("hold", screen(message, ()), checked_category(records))
    if state == "safety_check":
        return _answer_to_check(records, message, screen)
    alone = screen(message, ())
    if state == "crisis":
        if alone.level == "crisis":  # a second clear statement: no more questions today
            return SafetyStep("crisis", alone, alone.category, confirmed=True)
        category = checked_category(records) or alone.category or "suicide"
        return SafetyStep("check_in", alone, category, again=True)
    if state == "safety_clear":  # just asked, and a plain no
        if alone.level == "crisis":
            return _on_risk(alone)
        answers = safety_knowledge().answers
        if any_match(answers.stops, message) and not any_match(answers.carries_on, message):
            return SafetyStep("pause", alone)
        if has_substance(message):
            if alone.flagged:  # "yes, carry on. I keep giving my things away though"
                return SafetyStep("check_in", alone, alone.category or "suicide", again=True)
            return SafetyStep("coach", alone)  # "yes, so about the rota..." is coached on
        return SafetyStep("resume", alone)
    result = screen(message, screening_context(records))
    return _on_risk(result) if result.flagged else SafetyStep("coach", result)


def _on_risk(result: SafetyResult) -> SafetyStep:
    action: Action = "crisis" if result.level == "crisis" else "check_in"
    return SafetyStep(action, result, result.category or "suicide")


def _answer_to_check(
    records: Sequence[TranscriptRecord], message: str, screen: Screen
) -> SafetyStep:
    """Read the answer to the safety question.

    A plain no (it starts by saying no, is short, hedges nothing and says nothing risky)
    clears. A yes anywhere, a maybe or "I don't know" that answers the question
    (``OPENING_WORDS``), or clear risk brings the resources, and coaching does not resume this
    session. A no that hedges, or an answer that talks past the question, is asked once more,
    gently; a second such answer brings the resources.
    """
    result = screen(message, ())
    category = checked_category(records)
    words = safety_knowledge().answers
    says_no = any_match(words.says_no, message)
    short = len(message.split()) <= PLAIN_NO_WORDS
    affirms = any_match(words.hedges, message)
    doubts = match_spans(words.unsure, message)
    hedges = affirms or bool(doubts)
    doubt_answers = bool(doubts) and (
        short or result.flagged or any(_doubt_stands_out(message, span) for span in doubts)
    )
    if (affirms or doubt_answers) and not says_no:
        return SafetyStep("crisis", result, category, confirmed=True)
    if says_no and not hedges and short:
        return SafetyStep("clear", result, category)  # a short, plain no is taken as said
    if result.level == "crisis":
        return SafetyStep("crisis", result, category, confirmed=True)
    if says_no and not hedges and not result.flagged:
        return SafetyStep("clear", result, category)
    last = last_coach(records)
    if last is not None and last.asked_again:
        return SafetyStep("crisis", result, category, confirmed=True)
    return SafetyStep("check_in", result, category, again=True)


def _doubt_stands_out(message: str, span: tuple[int, int]) -> bool:
    """Whether the word of doubt at ``span`` opens the answer or stands alone in it."""
    start, end = span
    opens = len(message[:start].split()) < OPENING_WORDS
    return opens or STANDS_ALONE.match(message, end) is not None


def check_in_question(category: Category | None, *, again: bool = False) -> str:
    question = render(f"safety_check_{category or 'suicide'}")
    return render("safety_check_again", question=_after_opening(question)) if again else question


def _after_opening(question: str) -> str:
    """The question itself, without its "I want to be sure..." opening."""
    head, _, rest = question.partition(": ")
    return rest[:1].upper() + rest[1:] if rest else head


def resume_reply(records: Sequence[TranscriptRecord], opening: str) -> str:
    """The coach's last coaching question asked again, or the session's opening if none was."""
    asked = next(
        (r.text for r in reversed(records) if r.role == "coach" and r.source in COACHING_SOURCES),
        None,
    )
    return render("safety_resume", question=asked) if asked else opening


def has_substance(message: str) -> bool:
    """An agreement that also says something to coach on ("yes, so about the rota...")."""
    return len(message.split()) >= SUBSTANCE_WORDS


def step_reply(
    step: SafetyStep, records: Sequence[TranscriptRecord], opening: str, resources: str
) -> str:
    """The coach's fixed words for a safety step (``resources``: the crisis message)."""
    if step.action == "crisis":
        return resources
    if step.action == "check_in":
        return check_in_question(step.category, again=step.again)
    if step.action == "resume":
        return resume_reply(records, opening)
    if step.action == "hold":
        return render("safety_hold") + "\n\n" + resources
    return render(f"safety_{step.action}")
