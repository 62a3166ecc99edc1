"""Every file in ``knowledge/`` loads through one loader and one strict model, and every
regular expression in it finds its ``match`` examples and none of its ``miss`` examples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from coach.acts.lexicon import ActsFile
from coach.knowledge import (
    GoalRules,
    GroundingWords,
    GuardLexicon,
    KnowledgeError,
    LanguageRules,
    PatternEntry,
    ReflectionRules,
    StageBook,
    load,
)
from coach.mentor.lexicon import MentorLexicon
from coach.notes.extract import NoteCues
from coach.paths import KNOWLEDGE_DIR
from coach.roleplay.book import RolePlayBook
from coach.safety.knowledge import SafetyKnowledge

MODELS: dict[str, type[BaseModel]] = {
    "acts.yaml": ActsFile,
    "goals.yaml": GoalRules,
    "grounding.yaml": GroundingWords,
    "guard.yaml": GuardLexicon,
    "language.yaml": LanguageRules,
    "mentor.yaml": MentorLexicon,
    "notes.yaml": NoteCues,
    "reflections.yaml": ReflectionRules,
    "roleplay.yaml": RolePlayBook,
    "safety.yaml": SafetyKnowledge,
    "stages.yaml": StageBook,
}


def test_every_knowledge_file_has_a_model() -> None:
    assert {path.name for path in KNOWLEDGE_DIR.glob("*.yaml")} == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_knowledge_file_loads(name: str) -> None:
    assert load(name, MODELS[name]) is not None


def entries(node: object, where: str) -> Iterator[tuple[str, PatternEntry]]:
    """Every pattern entry inside a loaded model, with where it sits."""
    if isinstance(node, PatternEntry):
        yield where, node
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            yield from entries(getattr(node, field), f"{where}.{field}")
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from entries(item, f"{where}[{i}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from entries(item, f"{where}.{key}")


ALL_PATTERNS = [
    pytest.param(entry, id=where)
    for name, model in sorted(MODELS.items())
    for where, entry in entries(load(name, model), name.removesuffix(".yaml"))
]


def test_the_knowledge_files_hold_many_patterns() -> None:
    assert len(ALL_PATTERNS) >= 200


@pytest.mark.parametrize("entry", ALL_PATTERNS)
def test_every_pattern_finds_its_examples_and_misses_its_near_misses(entry: PatternEntry) -> None:
    regex = re.compile(entry.pattern, re.IGNORECASE)
    for example in entry.match:
        assert regex.search(example), f"{entry.pattern!r} should find {example!r}"
    for example in entry.miss:
        assert not regex.search(example), f"{entry.pattern!r} should not find {example!r}"


def write(folder: Path, text: str) -> Path:
    (folder / "guard.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_misspelt_key_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    text = (KNOWLEDGE_DIR / "guard.yaml").read_text(encoding="utf-8")
    misspelt = write(tmp_path, text.replace("max_words:", "max_word:", 1))
    with pytest.raises(KnowledgeError, match=r"(?s)guard\.yaml.*max_word"):
        load("guard.yaml", GuardLexicon, misspelt)


def test_a_pattern_without_examples_or_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    bad = "permission_patterns:\n  - pattern: 'would you like'\n    match: ['would you like one']\n"
    with pytest.raises(KnowledgeError, match="miss"):
        load("guard.yaml", GuardLexicon, write(tmp_path, bad))
    broken = "permission_patterns:\n  - pattern: '(unclosed'\n    match: [a]\n    miss: [b]\n"
    with pytest.raises(KnowledgeError, match="permission_patterns"):
        load("guard.yaml", GuardLexicon, write(tmp_path, broken))


def test_the_guard_explains_every_reason_and_every_wish_names_a_preference() -> None:
    from typing import get_args

    from coach.goals.models import Preferences
    from coach.guard.rules import ReasonCode
    from coach.knowledge import goal_rules, guard_lexicon

    assert set(guard_lexicon().reasons) == set(get_args(ReasonCode))
    preferences = Preferences.model_fields
    for wish in goal_rules().wishes:
        assert wish.preference in preferences, wish
