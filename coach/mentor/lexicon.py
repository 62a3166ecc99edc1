"""The workbench's knowledge, from ``knowledge/mentor.yaml``: flaws, patterns, rewrite stems."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from coach.knowledge import Knowledge, PatternEntry, any_of, load
from coach.paths import KNOWLEDGE_DIR

FlawKind = Literal["closed", "leading", "advice", "why", "stacked", "long", "vague"]
FLAW_KINDS: tuple[FlawKind, ...] = (
    "closed",
    "leading",
    "advice",
    "why",
    "stacked",
    "long",
    "vague",
)


class FlawEntry(Knowledge):
    explanation: str
    patterns: list[PatternEntry] = Field(default_factory=list)
    generic_patterns: list[PatternEntry] = Field(default_factory=list)
    max_words: int | None = None
    max_unanchored_words: int | None = None
    referents: list[str] = Field(default_factory=list)


class AdviceRequestBook(Knowledge):
    """What makes a request for advice specific, manageable and genuine."""

    min_specific_words: int
    generic_patterns: list[PatternEntry]
    open_ended_patterns: list[PatternEntry]
    bounded_patterns: list[PatternEntry]
    genuine_patterns: list[PatternEntry]
    validation_patterns: list[PatternEntry]
    findings: dict[str, str]
    tighter: str

    def matches(self, field: str, text: str) -> bool:
        patterns: list[PatternEntry] = getattr(self, field)
        return any(re.search(entry.pattern, text, re.IGNORECASE) for entry in patterns)


class MentorLexicon(Knowledge):
    findings: dict[FlawKind, FlawEntry]
    good: str
    rewrite_stems: list[str]
    plain_rewrites: list[str]
    advice_request: AdviceRequestBook
    joined_question: PatternEntry
    flawed_opener: PatternEntry
    open_start: PatternEntry
    reads_as: dict[str, str]

    def regex(self, kind: FlawKind, field: str = "patterns") -> re.Pattern[str] | None:
        patterns: list[PatternEntry] = getattr(self.findings[kind], field)
        return any_of(patterns) if patterns else None


@cache
def mentor_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> MentorLexicon:
    return load("mentor.yaml", MentorLexicon, knowledge_dir)


@cache
def lexicon_regex(field: str) -> re.Pattern[str]:
    """A single pattern of ``knowledge/mentor.yaml`` (``joined_question``, ``flawed_opener``,
    ``open_start``), compiled case-insensitively."""
    entry: PatternEntry = getattr(mentor_lexicon(), field)
    return re.compile(entry.pattern, re.IGNORECASE)


@cache
def flaw_regex(kind: FlawKind, field: str = "patterns") -> re.Pattern[str] | None:
    return mentor_lexicon().regex(kind, field)
