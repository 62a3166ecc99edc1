"""Coaching knowledge, loaded from the data files in ``knowledge/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from coach.paths import KNOWLEDGE_DIR


class Advance(BaseModel):
    """When the conversation may move on from a stage."""

    min_turns: int
    max_turns: int
    cues: list[str]


class Stage(BaseModel):
    """One stage of a coaching conversation, with its question stems."""

    id: str
    name: str
    purpose: str
    focus: str
    advance: Advance
    stems: list[str]

    @property
    def plain_stems(self) -> list[str]:
        """Stems that stand alone, without the mentee's words."""
        return [stem for stem in self.stems if "{quote}" not in stem]

    @property
    def quoting_stems(self) -> list[str]:
        """Stems that quote the mentee's words."""
        return [stem for stem in self.stems if "{quote}" in stem]


class StageBook(BaseModel):
    """All stages in order, and the question used when nothing else fits."""

    stages: list[Stage]
    last_resort: str

    def get(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def next_after(self, stage_id: str) -> Stage | None:
        ids = [stage.id for stage in self.stages]
        position = ids.index(stage_id)
        return self.stages[position + 1] if position + 1 < len(ids) else None


class GuardLexicon(BaseModel):
    """The reply guard's exceptions and limits."""

    permission_patterns: list[str]
    advice_request_patterns: list[str]
    requests_before_perspective: int
    tentative_markers: list[str]
    judgmental_why_patterns: list[str]
    max_words: int


def _read(name: str, knowledge_dir: Path) -> object:
    return yaml.safe_load((knowledge_dir / name).read_text(encoding="utf-8"))


@cache
def stage_book(knowledge_dir: Path = KNOWLEDGE_DIR) -> StageBook:
    return StageBook.model_validate(_read("stages.yaml", knowledge_dir))


@cache
def guard_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> GuardLexicon:
    return GuardLexicon.model_validate(_read("guard.yaml", knowledge_dir))
