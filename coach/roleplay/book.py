"""The role-play scenarios and debrief questions, from ``knowledge/roleplay.yaml``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from coach.paths import KNOWLEDGE_DIR


class Counterpart(BaseModel):
    """The person the mentee rehearses with."""

    name: str
    role: str
    manner: str
    opening: str


class RolePlayScenario(BaseModel):
    id: str
    title: str
    goal: str
    counterpart: Counterpart


class DebriefQuestions(BaseModel):
    """Question templates; ``{name}``, ``{quote}`` and ``{turns}`` are filled in."""

    opening: str
    asked: str
    did_not_ask: str
    request: str
    no_request: str
    closing: str


class RolePlayBook(BaseModel):
    scenarios: list[RolePlayScenario]
    request_patterns: list[str]
    debrief: DebriefQuestions

    def get(self, scenario_id: str) -> RolePlayScenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def is_request(self, sentence: str) -> bool:
        return any(re.search(p, sentence, re.IGNORECASE) for p in self.request_patterns)


@cache
def roleplay_book(knowledge_dir: Path = KNOWLEDGE_DIR) -> RolePlayBook:
    data = yaml.safe_load((knowledge_dir / "roleplay.yaml").read_text(encoding="utf-8"))
    return RolePlayBook.model_validate(data)
