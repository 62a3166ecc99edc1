"""The role-play scenarios and debrief questions, from ``knowledge/roleplay.yaml``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from coach.knowledge import Knowledge, PatternEntry, load
from coach.paths import KNOWLEDGE_DIR


class Counterpart(Knowledge):
    """The person the mentee rehearses with."""

    name: str
    role: str
    manner: str
    opening: str


class RolePlayScenario(Knowledge):
    id: str
    title: str
    goal: str
    counterpart: Counterpart


class DebriefQuestions(Knowledge):
    """Question templates; ``{name}``, ``{quote}`` and ``{turns}`` are filled in."""

    opening: str
    asked: str
    did_not_ask: str
    request: str
    no_request: str
    closing: str


class RolePlayBook(Knowledge):
    scenarios: list[RolePlayScenario]
    request_patterns: list[PatternEntry]
    debrief: DebriefQuestions

    def get(self, scenario_id: str) -> RolePlayScenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def is_request(self, sentence: str) -> bool:
        return any(re.search(p.pattern, sentence, re.IGNORECASE) for p in self.request_patterns)


@cache
def roleplay_book(knowledge_dir: Path = KNOWLEDGE_DIR) -> RolePlayBook:
    return load("roleplay.yaml", RolePlayBook, knowledge_dir)
