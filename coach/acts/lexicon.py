"""The classifier's cue lists from ``knowledge/acts.yaml``, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from coach.paths import KNOWLEDGE_DIR


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _words_at_start(words: list[str]) -> re.Pattern[str]:
    escaped = sorted((re.escape(word) for word in words), key=len, reverse=True)
    return re.compile(rf"^(?:(?:{'|'.join(escaped)})\b[\s,.!;:-]*)+")


@dataclass(frozen=True)
class ActLexicon:
    """Compiled cues."""

    leading_fillers: re.Pattern[str]
    social_words: frozenset[str]
    greeting: re.Pattern[str]
    wh_words: frozenset[str]
    aux_words: frozenset[str]
    question_subjects: frozenset[str]
    open_request: re.Pattern[str]
    closed_request: re.Pattern[str]
    tag_question: re.Pattern[str]
    reflection_opener: re.Pattern[str]
    reflection_anywhere: re.Pattern[str]
    advice: re.Pattern[str]
    imperative_openers: frozenset[str]
    imperative_exceptions: tuple[str, ...]
    information: re.Pattern[str]
    stopwords: frozenset[str]


@cache
def act_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> ActLexicon:
    data = yaml.safe_load((knowledge_dir / "acts.yaml").read_text(encoding="utf-8"))
    return ActLexicon(
        leading_fillers=_words_at_start(data["fillers"]),
        social_words=frozenset(data["social_words"]),
        greeting=_words_at_start(data["greetings"]),
        wh_words=frozenset(data["wh_words"]),
        aux_words=frozenset(data["aux_words"]),
        question_subjects=frozenset(data["question_subjects"]),
        open_request=_alternation(data["open_request_patterns"]),
        closed_request=_alternation(data["closed_request_patterns"]),
        tag_question=_alternation(data["tag_questions"]),
        reflection_opener=_alternation(data["reflection_openers"]),
        reflection_anywhere=_alternation(data["reflection_anywhere"]),
        advice=_alternation(data["advice_patterns"]),
        imperative_openers=frozenset(data["imperative_openers"]),
        imperative_exceptions=tuple(data["imperative_exceptions"]),
        information=_alternation(data["information_patterns"]),
        stopwords=frozenset(data["stopwords"]),
    )
