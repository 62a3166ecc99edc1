"""``knowledge/safety.yaml``: the floor of expressions that always escalate, and the words of
an answer to the coach's safety question."""

from __future__ import annotations

import re
from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from coach.paths import KNOWLEDGE_DIR
from coach.safety.result import Category


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FloorExpression(_Strict):
    """One expression that always escalates, with an example it must match."""

    pattern: str
    category: Category
    example: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    @model_validator(mode="after")
    def _matches_its_example(self) -> FloorExpression:
        if not self.regex.search(self.example):
            raise ValueError(f"{self.pattern!r} does not match its example {self.example!r}")
        return self

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


class AnswerWords(_Strict):
    """Expressions that read an answer to "are you thinking of ...?"."""

    says_no: list[str]
    hedges: list[str]
    carries_on: list[str]
    stops: list[str]


class SafetyKnowledge(_Strict):
    floor_overrides: bool
    floor: list[FloorExpression]
    answers: AnswerWords


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def safety_knowledge() -> SafetyKnowledge:
    data = yaml.safe_load((KNOWLEDGE_DIR / "safety.yaml").read_text(encoding="utf-8"))
    return SafetyKnowledge.model_validate(data)


def any_match(patterns: list[str], text: str) -> bool:
    return any(_compiled(pattern).search(text) for pattern in patterns)
