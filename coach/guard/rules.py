"""The rule set that judges a coach reply, with a reason for every failure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Literal

from pydantic import BaseModel

from coach.knowledge import GuardLexicon, guard_lexicon
from coach.text import split_sentences, words

ReasonCode = Literal[
    "empty", "no_question", "not_last", "stacked", "closed", "advice", "long", "repeated"
]

_EXPLANATIONS: dict[ReasonCode, str] = {
    "empty": "the reply is empty",
    "no_question": "the reply does not ask a question",
    "not_last": "the question does not end the reply",
    "stacked": "the reply asks more than one question",
    "closed": "the question can be answered yes or no",
    "advice": "the reply tells the mentee what to do",
    "long": "the reply is too long to be one probing question",
    "repeated": "the question was already asked in this conversation",
}

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


def _reason(code: ReasonCode, evidence: str = "") -> Reason:
    detail = _EXPLANATIONS[code] + (f' ("{evidence}")' if evidence else "")
    return Reason(code=code, detail=detail)


@cache
def _advice_regex() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in guard_lexicon().advice_patterns), re.IGNORECASE)


def _opening(sentence: str, lexicon: GuardLexicon) -> list[str]:
    tokens = words(sentence)
    while tokens and tokens[0] in lexicon.leading_fillers:
        tokens = tokens[1:]
    return tokens


def _starts_with(tokens: list[str], phrases: list[str]) -> bool:
    return any(tokens[: len(p.split())] == p.split() for p in phrases)


def _advice_in(sentence: str, lexicon: GuardLexicon) -> str | None:
    """The words that make a sentence advice, or None."""
    found = _advice_regex().search(sentence)
    if found:
        return found.group(0)
    tokens = _opening(sentence, lexicon)
    if (
        not sentence.rstrip().endswith("?")
        and tokens
        and tokens[0] in lexicon.imperative_openers
        and not _starts_with(tokens, lexicon.imperative_exceptions)
    ):
        return " ".join(tokens[:3])
    return None


def is_open_question(sentence: str, lexicon: GuardLexicon | None = None) -> bool:
    """True when a question invites more than yes or no."""
    lexicon = lexicon or guard_lexicon()
    tokens = _opening(sentence, lexicon)
    if not tokens or tokens[0] in lexicon.closed_openers:
        return False
    text = " ".join(tokens)
    return any(re.search(rf"\b{re.escape(marker)}\b", text) for marker in lexicon.open_markers)


def check_fragment(text: str) -> Verdict:
    """Judge complete sentences while a reply is still streaming: only advice fails here."""
    lexicon = guard_lexicon()
    reasons = [
        _reason("advice", evidence)
        for sentence in split_sentences(text)
        if (evidence := _advice_in(sentence, lexicon))
    ]
    return Verdict(passed=not reasons, reasons=reasons)


def _content_words(text: str) -> set[str]:
    return set(words(text))


def repeats(question: str, earlier: Sequence[str]) -> str | None:
    """The earlier reply that asks the same question, or None."""
    mine = _content_words(question)
    for before in earlier:
        theirs = _content_words(split_sentences(before)[-1]) if before.strip() else set()
        union = mine | theirs
        if union and len(mine & theirs) / len(union) >= REPEAT_OVERLAP:
            return before
    return None


def check_reply(text: str, earlier: Sequence[str] = ()) -> Verdict:
    """Judge a whole reply: one open question, at the end, no advice, not a lecture, not a repeat.

    ``earlier`` holds the coach's previous replies in this conversation.
    """
    lexicon = guard_lexicon()
    sentences = split_sentences(text)
    if not sentences:
        return Verdict(passed=False, reasons=[_reason("empty")])
    reasons = list(check_fragment(text).reasons)
    questions = [s for s in sentences if "?" in s]
    if not questions:
        reasons.append(_reason("no_question"))
    else:
        if not sentences[-1].endswith("?"):
            reasons.append(_reason("not_last"))
        if len(questions) > 1 or sentences[-1].count("?") > 1:
            reasons.append(_reason("stacked"))
        if not is_open_question(questions[-1], lexicon):
            reasons.append(_reason("closed", questions[-1]))
        if repeats(questions[-1], earlier):
            reasons.append(_reason("repeated", questions[-1]))
    if len(words(text)) > lexicon.max_words:
        reasons.append(_reason("long"))
    return Verdict(passed=not reasons, reasons=reasons)
