"""What a session leaves behind: a structured note and the mentee's commitments."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

CommitmentStatus = Literal["open", "done", "dropped"]


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


class Commitment(BaseModel):
    """Something the mentee said they would do, in their words."""

    id: str = Field(default_factory=_new_id)
    text: str = Field(min_length=1)
    due: date | None = None
    status: CommitmentStatus = "open"
    session: str = ""


class SessionNote(BaseModel):
    """The structured summary of one session."""

    user: str
    session: str
    date: date
    dilemma: str = Field(description="The dilemma in one sentence, in the mentee's words.")
    insights: list[str] = Field(default_factory=list, description="In the mentee's own words.")
    commitments: list[Commitment] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    stage: str = "dilemma"
    flags: list[str] = Field(default_factory=list, description="For example 'crisis'.")

    def as_text(self) -> str:
        """The note as plain text, for embedding and for quoting in a prompt."""
        if "journal" in self.flags:
            return f"Journal entry: {self.dilemma}"
        parts = [f"Dilemma: {self.dilemma}"]
        if self.insights:
            parts.append("Insights: " + " ".join(self.insights))
        if self.commitments:
            parts.append("Commitments: " + " ".join(c.text for c in self.commitments))
        if self.open_questions:
            parts.append("Open questions: " + " ".join(self.open_questions))
        return "\n".join(parts)


class NoteDraft(BaseModel):
    """What a model is asked to fill in; the session's facts are added around it."""

    dilemma: str = Field(min_length=1)
    insights: list[str] = Field(default_factory=list)
    commitments: list[CommitmentDraft] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)


class CommitmentDraft(BaseModel):
    text: str = Field(min_length=1)
    due: date | None = None


NoteDraft.model_rebuild()
