"""The coaching arc and the guard's, goals', reflections' and grounding's knowledge files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from coach.knowledge.loader import Knowledge, PatternEntry, load
from coach.paths import KNOWLEDGE_DIR


class Advance(Knowledge):
    """When the conversation may move on from a stage."""

    min_turns: int
    max_turns: int
    cues: list[str]


class Stage(Knowledge):
    """One stage of a coaching conversation, with its question stems."""

    id: str
    name: str
    purpose: str
    focus: str
    advance: Advance
    stems: list[str]
    follow_ons: list[str] = Field(default_factory=list)
    """Short questions that build on a reflection just given ("What makes that hard for you?")."""
    intention_stems: list[str] = Field(default_factory=list)
    """Quoting stems for a phrase that states an intention, used instead of the others."""

    @property
    def plain_stems(self) -> list[str]:
        """Stems that stand alone, without the mentee's words."""
        return [stem for stem in self.stems if "{quote}" not in stem]

    @property
    def quoting_stems(self) -> list[str]:
        """Stems that quote the mentee's words."""
        return [stem for stem in self.stems if "{quote}" in stem]

    @property
    def questions(self) -> list[str]:
        """Every question this stage may ask: stems, intention stems and follow-ons."""
        return self.stems + self.intention_stems + self.follow_ons

    def stems_for_quote(self, states_intention: bool) -> list[str]:
        """The quoting stems that fit a phrase, whether or not it states an intention."""
        if states_intention and self.intention_stems:
            return self.intention_stems
        return self.quoting_stems


SessionMode = Literal["coaching", "goal_setting", "review"]


class StageBook(Knowledge):
    """The stages of each kind of session in order, and the question used when nothing fits.

    ``stages`` is the arc of a coaching session; goal-setting and review sessions have their own.
    """

    stages: list[Stage]
    goal_setting: list[Stage]
    review: list[Stage]
    last_resort: str

    def arc(self, mode: SessionMode) -> list[Stage]:
        return self.stages if mode == "coaching" else getattr(self, mode)

    @property
    def questions(self) -> list[str]:
        """Every question the book may ask, in any kind of session, and the last resort."""
        stages = [*self.stages, *self.goal_setting, *self.review]
        return [*(stem for stage in stages for stem in stage.questions), self.last_resort]

    def mode_of(self, stage_id: str) -> SessionMode:
        modes: tuple[SessionMode, ...] = ("coaching", "goal_setting", "review")
        return next(m for m in modes if any(s.id == stage_id for s in self.arc(m)))

    def get(self, stage_id: str) -> Stage:
        for stage in [*self.stages, *self.goal_setting, *self.review]:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def next_after(self, stage_id: str) -> Stage | None:
        arc = self.arc(self.mode_of(stage_id))
        ids = [stage.id for stage in arc]
        position = ids.index(stage_id)
        return arc[position + 1] if position + 1 < len(ids) else None


class GuardLexicon(Knowledge):
    """The reply guard's exceptions and limits."""

    permission_patterns: list[PatternEntry]
    advice_request_patterns: list[PatternEntry]
    requests_before_perspective: int
    tentative_markers: list[str]
    judgmental_why_patterns: list[PatternEntry]
    max_words: int
    unquotable_patterns: list[PatternEntry]
    unquotable_clause_patterns: list[PatternEntry]
    quote_lead_ins: list[PatternEntry]
    intention_patterns: list[PatternEntry]
    max_quote_words: int
    clause_break: PatternEntry
    leading_link: PatternEntry
    reasons: dict[str, str]


@cache
def stage_book(knowledge_dir: Path = KNOWLEDGE_DIR) -> StageBook:
    return load("stages.yaml", StageBook, knowledge_dir)


@cache
def guard_lexicon(knowledge_dir: Path = KNOWLEDGE_DIR) -> GuardLexicon:
    return load("guard.yaml", GuardLexicon, knowledge_dir)


class Wish(Knowledge):
    """A preference the mentee set at a check-in, and how it is put in words."""

    preference: str
    value: str | bool
    text: str


class GoalRules(Knowledge):
    """Limits and rhythms of the longer arc."""

    max_active_milestones: int
    cadences: dict[str, int]
    review_every_sessions: int
    check_in_every_sessions: int
    check_in_cues: dict[str, dict[str, list[str]]]
    milestone_cues: list[str]
    why_cues: list[str]
    step_cues: list[str]
    keep_cues: list[str]
    change_cues: list[str]
    drop_cues: list[str]
    wishes: list[Wish]


@cache
def goal_rules(knowledge_dir: Path = KNOWLEDGE_DIR) -> GoalRules:
    return load("goals.yaml", GoalRules, knowledge_dir)


class ReflectionRules(Knowledge):
    """How the mentee's words are told back as a simple reflection."""

    pronoun_swaps: dict[str, str]
    after_you: dict[str, str]
    subject_pattern: PatternEntry
    addressed_pattern: PatternEntry
    inner_state_pattern: PatternEntry
    leading_fillers: PatternEntry
    clause_breaks: PatternEntry
    min_words: int
    max_words: int
    skip_pattern: PatternEntry
    openers: list[str]


@cache
def reflection_rules(knowledge_dir: Path = KNOWLEDGE_DIR) -> ReflectionRules:
    return load("reflections.yaml", ReflectionRules, knowledge_dir)


class GroundingWords(Knowledge):
    """The words a question from a model that tends to wander may use besides the mentee's."""

    coaching_words: list[str]
    function_words: list[str]
    self_words: list[str]


@cache
def grounding_words(knowledge_dir: Path = KNOWLEDGE_DIR) -> GroundingWords:
    return load("grounding.yaml", GroundingWords, knowledge_dir)


class LanguageRules(Knowledge):
    """``knowledge/language.yaml``: how a phrase quoted back is shortened."""

    dangling_words: list[str]
    dangling_when_cut: list[str]
    joins: list[str]


@dataclass(frozen=True)
class Language:
    """The language rules as sets, ready for lookups."""

    dangling: frozenset[str]
    dangling_after_cut: frozenset[str]
    joins: frozenset[str]


@cache
def language_rules(knowledge_dir: Path = KNOWLEDGE_DIR) -> Language:
    rules = load("language.yaml", LanguageRules, knowledge_dir)
    dangling = frozenset(rules.dangling_words)
    return Language(
        dangling=dangling,
        dangling_after_cut=dangling | frozenset(rules.dangling_when_cut),
        joins=frozenset(rules.joins),
    )
