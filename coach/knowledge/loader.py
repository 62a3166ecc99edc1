"""One way to read a file of coaching knowledge: YAML in ``knowledge/``, checked by a model.

Every model forbids keys it does not know, so a misspelt key is an error at load, not a list
that is silently empty. Every regular expression is a ``PatternEntry`` with text it must find
and text it must not, checked by the tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.paths import KNOWLEDGE_DIR


class Knowledge(BaseModel):
    """A part of a knowledge file: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternEntry(Knowledge):
    """A regular expression, with examples it must find (``match``) and must not (``miss``).

    Patterns are matched case-insensitively (``re.search``) unless their consumer says otherwise.
    """

    pattern: str
    match: list[str] = Field(min_length=1)
    miss: list[str] = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{value!r} is not a regular expression: {exc}") from None
        return value


class KnowledgeError(ValueError):
    """A knowledge file that cannot be read or does not fit its model."""


Model = TypeVar("Model", bound=BaseModel)


def load(name: str, model: type[Model], folder: Path | None = None) -> Model:
    """The knowledge file ``name`` (in ``knowledge/`` unless ``folder``), checked by ``model``."""
    path = (folder or KNOWLEDGE_DIR) / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read {path}: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(f"{path} does not fit {model.__name__}: {exc}") from exc


def pattern_strings(entries: Sequence[PatternEntry]) -> list[str]:
    return [entry.pattern for entry in entries]


def any_of(entries: Sequence[PatternEntry], flags: re.RegexFlag = re.IGNORECASE) -> re.Pattern[str]:
    """One regular expression that finds what any of ``entries`` finds."""
    return re.compile("|".join(f"(?:{entry.pattern})" for entry in entries), flags)
