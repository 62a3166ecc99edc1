"""What a suite run produces: each scenario's turns, as plain data for scoring and reports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from coach.evals.scenario import Scenario

TurnOutcome = Literal[
    "opening",
    "follow_up",
    "model",
    "repaired",
    "fallback",
    "crisis",
    "check_in",
    "safety",
    "notice",
    "error",
]


class EvalTurn(BaseModel):
    """One exchange: the mentee's message (none for the opening) and the coach's reply."""

    index: int = Field(description="0 for the coach's opening, then 1, 2, ... per mentee message.")
    mentee: str | None = None
    coach: str | None = None
    outcome: TurnOutcome
    rejected: list[str] = Field(default_factory=list, description="Why drafts were rejected.")
    notices: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


class ScenarioRun(BaseModel):
    """A scenario as it ran. ``error`` says why it stopped early, if it did."""

    scenario: Scenario
    turns: list[EvalTurn] = Field(default_factory=list)
    error: str | None = None

    @property
    def coach_turns(self) -> list[EvalTurn]:
        """Replies to the mentee that should be coaching (not openings, crises or notices)."""
        return [t for t in self.turns if t.outcome in ("model", "repaired", "fallback")]
