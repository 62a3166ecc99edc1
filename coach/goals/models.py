"""Milestones, their steps, the session rhythm and what the mentee wants from the coaching."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

ItemStatus = Literal["open", "done", "dropped"]
MilestoneStatus = Literal["active", "achieved", "paused", "dropped"]
Decision = Literal["keep", "change", "drop"]


def _new_id() -> str:
    return uuid.uuid4().hex[:8]


class Step(BaseModel):
    """An action the mentee named, with an optional due date."""

    id: str = Field(default_factory=_new_id)
    text: str = Field(min_length=1)
    due: date | None = None
    status: ItemStatus = "open"
    closed_on: date | None = None


class Milestone(BaseModel):
    """Something the mentee wants to reach, in their words, and why it matters to them."""

    id: str = Field(default_factory=_new_id)
    title: str = Field(min_length=1)
    why: str = ""
    steps: list[Step] = Field(default_factory=list)
    status: MilestoneStatus = "active"
    created: date
    commitments: list[str] = Field(default_factory=list, description="Linked commitment ids.")


class Cadence(BaseModel):
    """How often the mentee wants to meet the coach, and when the plan started."""

    every_days: int = Field(default=7, ge=1, le=92)
    since: date


class Preferences(BaseModel):
    """What the mentee asked of the coaching; shown to them and used in every prompt."""

    challenge: Literal["gentler", "as is", "more"] = "as is"
    question_length: Literal["short", "as is"] = "as is"
    more_time_on_options: bool = False


class ReviewRecord(BaseModel):
    """One periodic review: what was decided for each milestone, and what was learned."""

    on: date
    session: str = ""
    decisions: dict[str, Decision] = Field(default_factory=dict, description="By milestone id.")
    wins: list[str] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    progress: dict[str, float] = Field(default_factory=dict, description="By milestone title.")


class CheckIn(BaseModel):
    """The mentee's answer to "is this coaching helping?" and what it changed."""

    on: date
    session: str = ""
    answer: str
    changed: list[str] = Field(default_factory=list)


class ProgressPoint(BaseModel):
    """A milestone's progress on one day, for the chart of progress over time."""

    on: date
    milestone: str
    title: str
    progress: float


class GoalPlan(BaseModel):
    """Everything of one mentee's longer arc."""

    milestones: list[Milestone] = Field(default_factory=list)
    cadence: Cadence | None = None
    preferences: Preferences = Field(default_factory=Preferences)
    reviews: list[ReviewRecord] = Field(default_factory=list)
    check_ins: list[CheckIn] = Field(default_factory=list)
    history: list[ProgressPoint] = Field(default_factory=list)

    @property
    def active(self) -> list[Milestone]:
        return [m for m in self.milestones if m.status == "active"]

    def milestone(self, milestone_id: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == milestone_id), None)
