"""The reply policy, built on the talk-act classifier, with a reason for every failure.

A reply passes when it ends with exactly one open question and gives no advice. Two exceptions:
a closed question that asks permission ("Would it help if I shared one idea?"), and, after the
mentee has asked outright for advice twice, one tentative perspective labelled as one option
among others, followed by an open question that hands the decision back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel

from coach.acts import TalkAct, classify
from coach.acts.cues import normalise
from coach.guard.grounding import Grounding, speaks_of_itself
from coach.knowledge import any_of, guard_lexicon
from coach.text import split_sentences, words

ReasonCode = Literal[
    "empty",
    "no_question",
    "not_last",
    "stacked",
    "closed",
    "advice",
    "why",
    "long",
    "repeated",
    "strays",
    "self",
]


# Questions sharing this share of their words are the same question asked again.
REPEAT_OVERLAP = 0.75


class Reason(BaseModel):
    """Why a draft failed: a code for machines, a detail for people."""

    code: ReasonCode
    detail: str


class Verdict(BaseModel):
    """The guard's judgement of one draft."""

    passed: bool
    reasons: list[Reason]

    def explain(self) -> str:
        return "; ".join(reason.detail for reason in self.reasons)


@dataclass(frozen=True)
class GuardContext:
    """What the guard needs to know about the conversation so far."""

    earlier: Sequence[str] = ()
    """The coach's previous replies."""
    advice_requests: int = 0
    """How many times the mentee has asked outright for advice."""
    grounding: Grounding | None = None
    """For a model that tends to wander: the mentee's words, which its question must keep to."""


def _reason(code: ReasonCode, evidence: str = "") -> Reason:
    detail = guard_lexicon().reasons[code] + (f' ("{evidence}")' if evidence else "")
    return Reason(code=code, detail=detail)


@cache
def _regex(name: str) -> re.Pattern[str]:
    return any_of(getattr(guard_lexicon(), name), re.RegexFlag(0))


def count_advice_requests(mentee_messages: Sequence[str]) -> int:
    """How many of the mentee's messages ask outright for advice."""
    pattern = _regex("advice_request_patterns")
    return sum(1 for message in mentee_messages if pattern.search(normalise(message)))


def asks_permission(sentence: str) -> bool:
    return bool(_regex("permission_patterns").search(normalise(sentence)))


def judgmental_why(sentence: str) -> bool:
    return bool(_regex("judgmental_why_patterns").search(normalise(sentence)))


def _tentative(sentence: str) -> bool:
    lowered = normalise(sentence)
    return any(marker in lowered for marker in guard_lexicon().tentative_markers)


def repeats(question: str, earlier: Sequence[str]) -> str | None:
    """The earlier reply that asks the same question, or None."""
    mine = set(words(question))
    for before in earlier:
        theirs = set(words(split_sentences(before)[-1])) if before.strip() else set()
        union = mine | theirs
        if union and len(mine & theirs) / len(union) >= REPEAT_OVERLAP:
            return before
    return None


def _advice_reasons(
    sentences: list[str], acts: list[TalkAct], context: GuardContext
) -> list[Reason]:
    advising = [s for s, act in zip(sentences, acts, strict=True) if act.advice]
    if not advising:
        return []
    allowed = (
        _may_offer(context)
        and len(advising) == 1
        and _tentative(advising[0])
        and not acts[-1].advice
    )
    return [] if allowed else [_reason("advice", advising[0])]


def _may_offer(context: GuardContext) -> bool:
    return context.advice_requests >= guard_lexicon().requests_before_perspective


def _grounding_reasons(question: str, grounding: Grounding) -> list[Reason]:
    reasons = []
    stray = grounding.strays(question)
    if stray:
        reasons.append(_reason("strays", ", ".join(stray)))
    own = speaks_of_itself(question)
    if own and not asks_permission(question):
        reasons.append(_reason("self", own))
    return reasons


def check_fragment(text: str, context: GuardContext | None = None) -> Verdict:
    """Judge complete sentences while a reply is still streaming: only advice fails here.

    When a perspective is allowed, a tentative one passes; its open question may still follow.
    """
    may_offer = _may_offer(context or GuardContext())
    reasons = [
        _reason("advice", sentence)
        for sentence in split_sentences(text)
        if classify(sentence).advice and not (may_offer and _tentative(sentence))
    ]
    return Verdict(passed=not reasons, reasons=reasons)


def check_reply(text: str, context: GuardContext | None = None) -> Verdict:
    """Judge a whole reply: one open question at the end, no advice, no lecture, no repeat."""
    context = context or GuardContext()
    sentences = split_sentences(text)
    if not sentences:
        return Verdict(passed=False, reasons=[_reason("empty")])
    acts = [classify(sentence) for sentence in sentences]
    reasons = _advice_reasons(sentences, acts, context)
    questions = [s for s, act in zip(sentences, acts, strict=True) if act.question]
    last, last_act = sentences[-1], acts[-1]
    if not questions:
        reasons.append(_reason("no_question"))
    else:
        if not last_act.question:
            reasons.append(_reason("not_last"))
        if len(questions) > 1 or last.count("?") > 1:
            reasons.append(_reason("stacked"))
        if last_act.question and last_act.question_type != "open" and not asks_permission(last):
            reasons.append(_reason("closed", last))
        if judgmental_why(questions[-1]):
            reasons.append(_reason("why", questions[-1]))
        if repeats(questions[-1], context.earlier):
            reasons.append(_reason("repeated", questions[-1]))
        if context.grounding is not None:
            reasons.extend(_grounding_reasons(questions[-1], context.grounding))
    if len(words(text)) > guard_lexicon().max_words:
        reasons.append(_reason("long"))
    return Verdict(passed=not reasons, reasons=reasons)
