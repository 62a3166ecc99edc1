"""Coaching knowledge: the data files in ``knowledge/`` and the models that read them."""

from coach.knowledge.coaching import (
    Advance,
    GoalRules,
    GroundingWords,
    GuardLexicon,
    ReflectionRules,
    SessionMode,
    Stage,
    StageBook,
    goal_rules,
    grounding_words,
    guard_lexicon,
    reflection_rules,
    stage_book,
)
from coach.knowledge.loader import (
    Knowledge,
    KnowledgeError,
    PatternEntry,
    any_of,
    load,
    pattern_strings,
)

__all__ = [
    "Advance",
    "GoalRules",
    "GroundingWords",
    "GuardLexicon",
    "Knowledge",
    "KnowledgeError",
    "PatternEntry",
    "ReflectionRules",
    "SessionMode",
    "Stage",
    "StageBook",
    "any_of",
    "goal_rules",
    "grounding_words",
    "guard_lexicon",
    "load",
    "pattern_strings",
    "reflection_rules",
    "stage_book",
]
