"""The workbench's knowledge, from ``knowledge/mentor.yaml``: flaws, patterns, rewrite stems."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

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


class FlawEntry(BaseModel):
    explanation: str
    patterns: list[str] = Field(default_factory=list)
    generic_patterns: list[str] = Field(default_factory=list)
    max_words: int | None = None
    max_unanchored_words: int | None = None
    referents: list[str] = Field(default_factory=list)


class AdviceRequestBook(BaseModel):
    """What makes a request for advice specific, manageable and genuine."""

    min_specific_words: int
    generic_patterns: list[str]
    open_ended_patterns: list[str]
    bounded_patterns: list[str]
    genuine_patterns: list[str]
    validation_patterns: list[str]
    findings: dict[str, str]
    tighter: str

    def matches(self, field: str, text: str) -> bool:
        patterns: list[str] = getattr(self, field)
        return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns)


class MentorLexicon(BaseModel):
    findings: dict[FlawKind, FlawEntry]
    good: str
    rewrite_stems: list[str]
    plain_rewrites: list[str]
    advice_request: AdviceRequestBook

    def regex(self, kind: FlawKind, field: str = "patterns") -> re.Pattern[str] | None:
        patterns: list[str] = getattr(self.findings[kind], field)
        if not patterns:
            return None
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def mentor_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> MentorLexicon:
    data = yaml.safe_load((knowledge_dir / "mentor.yaml").read_text(encoding="utf-8"))
    return MentorLexicon.model_validate(data)


@cache
def flaw_regex(kind: FlawKind, field: str = "patterns") -> re.Pattern[str] | None:
    return mentor_lexicon().regex(kind, field)
