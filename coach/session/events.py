"""What a turn yields while it runs, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal[
    "model", "repaired", "fallback", "crisis", "check_in", "safety", "notice", "error"
]


@dataclass(frozen=True)
class Delta:
    """More of the coach's reply, already checked by the guard."""

    text: str


@dataclass(frozen=True)
class Retract:
    """Withdraw the text shown so far in this turn; a better reply follows."""


@dataclass(frozen=True)
class Notice:
    """A message about the mentee's input, shown beside the reply."""

    text: str


@dataclass(frozen=True)
class TurnResult:
    """How a turn ended. ``reply`` is None when the model could not answer (see ``error``)."""

    outcome: Outcome
    stage: str
    reply: str | None = None
    error: str | None = None
    notices: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unsaved: str | None = None
    """The mentee's message, when the records database could not save it (to send again)."""


TurnEvent = Delta | Retract | Notice | TurnResult
