"""``knowledge/safety.yaml``: the floor of expressions that always escalate, and the words of
an answer to the coach's safety question."""

from __future__ import annotations

import re
from functools import cache

from coach.knowledge import Knowledge, PatternEntry, load
from coach.safety.result import Category


class FloorExpression(PatternEntry):
    """One expression that always escalates, with messages it must match and safe ones it
    must not."""

    category: Category

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


class AnswerWords(Knowledge):
    """Expressions that read an answer to "are you thinking of ...?"."""

    says_no: list[PatternEntry]
    hedges: list[PatternEntry]  # yes, or the risk said again: they answer wherever they stand
    unsure: list[PatternEntry]  # doubt: where it answers is the flow's to read (OPENING_WORDS)
    carries_on: list[PatternEntry]
    stops: list[PatternEntry]


class SafetyKnowledge(Knowledge):
    floor_overrides: bool
    floor: list[FloorExpression]
    answers: AnswerWords


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def safety_knowledge() -> SafetyKnowledge:
    return load("safety.yaml", SafetyKnowledge)


def any_match(entries: list[PatternEntry], text: str) -> bool:
    return any(_compiled(entry.pattern).search(text) for entry in entries)


def match_spans(entries: list[PatternEntry], text: str) -> list[tuple[int, int]]:
    """Where each match of any of ``entries`` starts and ends in ``text``, in order."""
    spans = (m.span() for e in entries for m in _compiled(e.pattern).finditer(text))
    return sorted(spans)
