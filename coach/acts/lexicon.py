"""The classifier's cue lists from ``knowledge/acts.yaml``, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coach.knowledge import Knowledge, PatternEntry, load, pattern_strings
from coach.paths import KNOWLEDGE_DIR


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


class ActsFile(Knowledge):
    """``knowledge/acts.yaml``: word lists and the cues of each talk act."""

    fillers: list[str]
    social_words: list[str]
    greetings: list[str]
    affirmation_patterns: list[PatternEntry]
    wh_words: list[str]
    aux_words: list[str]
    question_subjects: list[str]
    open_request_patterns: list[PatternEntry]
    closed_request_patterns: list[PatternEntry]
    open_when_asked_patterns: list[PatternEntry]
    tag_questions: list[PatternEntry]
    reflection_openers: list[PatternEntry]
    reflection_anywhere: list[PatternEntry]
    advice_patterns: list[PatternEntry]
    advice_in_statements: list[PatternEntry]
    imperative_openers: list[str]
    imperative_exceptions: list[str]
    information_patterns: list[PatternEntry]
    stopwords: list[str]


class Cue:
    """Patterns split into those anchored at the start (tried once, with ``match``) and the rest.

    A search over anchored alternatives would still try every position; this is much faster.
    """

    def __init__(self, entries: list[PatternEntry]) -> None:
        patterns = pattern_strings(entries)
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        free = [p for p in patterns if not p.startswith("^")]
        self._anchored = _alternation(anchored) if anchored else None
        self._free = _alternation(free) if free else None

    def search(self, text: str) -> bool:
        return bool(
            (self._anchored is not None and self._anchored.match(text))
            or (self._free is not None and self._free.search(text))
        )


def _words_at_start(words: list[str]) -> re.Pattern[str]:
    escaped = sorted((re.escape(word) for word in words), key=len, reverse=True)
    return re.compile(rf"^(?:(?:{'|'.join(escaped)})\b[\s,.!;:-]*)+")


@dataclass(frozen=True)
class ActLexicon:
    """Compiled cues."""

    leading_fillers: re.Pattern[str]
    social_words: frozenset[str]
    greeting: re.Pattern[str]
    affirmation: Cue
    wh_words: frozenset[str]
    aux_words: frozenset[str]
    question_subjects: frozenset[str]
    open_request: Cue
    closed_request: Cue
    open_when_asked: Cue
    tag_question: Cue
    reflection_opener: Cue
    reflection_anywhere: Cue
    advice: Cue
    advice_in_statements: Cue
    imperative_openers: frozenset[str]
    imperative_exceptions: tuple[str, ...]
    information: Cue
    stopwords: frozenset[str]


@cache
def act_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> ActLexicon:
    data = load("acts.yaml", ActsFile, knowledge_dir)
    return ActLexicon(
        leading_fillers=_words_at_start(data.fillers),
        social_words=frozenset(data.social_words),
        greeting=_words_at_start(data.greetings),
        affirmation=Cue(data.affirmation_patterns),
        wh_words=frozenset(data.wh_words),
        aux_words=frozenset(data.aux_words),
        question_subjects=frozenset(data.question_subjects),
        open_request=Cue(data.open_request_patterns),
        closed_request=Cue(data.closed_request_patterns),
        open_when_asked=Cue(data.open_when_asked_patterns),
        tag_question=Cue(data.tag_questions),
        reflection_opener=Cue(data.reflection_openers),
        reflection_anywhere=Cue(data.reflection_anywhere),
        advice=Cue(data.advice_patterns),
        advice_in_statements=Cue(data.advice_in_statements),
        imperative_openers=frozenset(data.imperative_openers),
        imperative_exceptions=tuple(data.imperative_exceptions),
        information=Cue(data.information_patterns),
        stopwords=frozenset(data.stopwords),
    )
