"""Eval scenarios: a mentee persona, a dilemma, and scripted or simulated mentee turns."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from coach.errors import ConfigError

Behaviour = Literal[
    "cooperative",
    "vague",
    "demands_advice",
    "pushes_back",
    "one_word",
    "returning",
    "crisis",
    "injection",
]


class SimulatedMentee(BaseModel):
    """A mentee played by a model from a persona prompt, until a stop rule or the turn limit."""

    prompt: str = Field(min_length=1, description="Who the mentee is and how they talk.")
    opening: str = Field(min_length=1, description="The mentee's first message, fixed.")
    max_turns: int = Field(default=4, ge=1, le=20)
    stop_when: str | None = Field(
        default=None, description="A regular expression; the run stops after a matching message."
    )

    @field_validator("stop_when")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value

    def stops_at(self, message: str) -> bool:
        return bool(self.stop_when and re.search(self.stop_when, message, re.IGNORECASE))


class SeededCommitment(BaseModel):
    """An open commitment from an earlier session, for returning-mentee scenarios."""

    text: str = Field(min_length=1)
    due_in_days: int = Field(default=-2, description="Relative to the day the suite runs.")

    def due(self, today: date) -> date:
        return today + timedelta(days=self.due_in_days)


class SeededMemory(BaseModel):
    """What the coach remembers from last time."""

    dilemma: str = Field(min_length=1)
    commitments: list[SeededCommitment] = Field(default_factory=list)


class SeededStep(BaseModel):
    """A step of a seeded milestone, done, dropped or open, due relative to the run's day."""

    text: str = Field(min_length=1)
    status: Literal["open", "done", "dropped"] = "open"
    due_in_days: int | None = None


class SeededMilestone(BaseModel):
    title: str = Field(min_length=1)
    why: str = ""
    steps: list[SeededStep] = Field(default_factory=list)


class SeededPlan(BaseModel):
    """The mentee's plan before a review session: milestones with progress, and a rhythm."""

    milestones: list[SeededMilestone] = Field(min_length=1, max_length=3)
    every_days: int = Field(default=14, ge=1, le=92)
    started_days_ago: int = Field(default=56, ge=0)


class Scenario(BaseModel):
    """One conversation to run and score."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    domain: str = Field(min_length=1)
    behaviours: list[Behaviour] = Field(min_length=1)
    persona: str = Field(min_length=1)
    dilemma: str = Field(min_length=1)
    turns: list[str] = Field(default_factory=list, description="Scripted mentee messages.")
    simulated: SimulatedMentee | None = None
    memory: SeededMemory | None = None
    mode: Literal["coaching", "goal_setting", "review"] = "coaching"
    plan: SeededPlan | None = None
    crisis_turn: int | None = Field(
        default=None, ge=1, description="The mentee turn (from 1) that must be escalated."
    )
    check_in_turn: int | None = Field(
        default=None,
        ge=1,
        description="The mentee turn (from 1) that must get a safety check-in (or escalation): "
        "an indirect signal, or a mentee backing off after a dark remark.",
    )
    injection_turns: list[int] = Field(
        default_factory=list,
        description="Mentee turns (from 1) that try to break the rules; the memory counts as "
        "turn 1 when its note carries the attempt.",
    )

    @model_validator(mode="after")
    def _one_kind_of_mentee(self) -> Scenario:
        if bool(self.turns) == (self.simulated is not None):
            raise ValueError("give either scripted 'turns' or a 'simulated' mentee, not both")
        if self.crisis_turn is not None and self.crisis_turn > self.max_turns:
            raise ValueError("crisis_turn is past the last scripted turn")
        if self.check_in_turn is not None and self.check_in_turn > self.max_turns:
            raise ValueError("check_in_turn is past the last scripted turn")
        if any(not 1 <= turn <= self.max_turns for turn in self.injection_turns):
            raise ValueError("injection_turns must be mentee turns, from 1 to the last")
        if self.mode == "review" and self.plan is None:
            raise ValueError("a review scenario needs the 'plan' it reviews")
        if ("injection" in self.behaviours) != bool(self.injection_turns):
            raise ValueError("an injection scenario lists its injection_turns, and only it does")
        return self

    @property
    def remembered_words(self) -> list[str]:
        """What this scenario's mentee told the coach in an earlier session."""
        if self.memory is None:
            return []
        return [self.memory.dilemma, *(c.text for c in self.memory.commitments)]

    @property
    def returning(self) -> bool:
        return bool(self.memory and self.memory.commitments)

    @property
    def max_turns(self) -> int:
        return self.simulated.max_turns if self.simulated else len(self.turns)


def _load_file(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Scenario.model_validate(data)
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError) as exc:
        raise ConfigError(f"Could not read the scenario {path}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(f"The scenario {path} is not valid: {problems}.") from None


def load_scenarios(path: Path) -> list[Scenario]:
    """Scenarios from one YAML file or every ``*.yaml``/``*.yml`` file in a folder, by id."""
    if path.is_dir():
        files = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")])
    elif path.is_file():
        files = [path]
    else:
        raise ConfigError(f"No scenarios at {path}: give a YAML file or a folder of them.")
    if not files:
        raise ConfigError(f"The folder {path} has no .yaml scenario files.")
    scenarios = [_load_file(file) for file in files]
    seen: dict[str, int] = {}
    for scenario in scenarios:
        seen[scenario.id] = seen.get(scenario.id, 0) + 1
    duplicates = sorted(name for name, count in seen.items() if count > 1)
    if duplicates:
        raise ConfigError(f"Scenario ids must be unique; repeated: {', '.join(duplicates)}.")
    return sorted(scenarios, key=lambda s: s.id)
