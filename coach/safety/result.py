"""What the safety screen says about one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["none", "check_in", "crisis"]
Category = Literal["suicide", "self_harm", "harm_to_others", "abuse"]
Via = Literal["model", "floor", "fallback"]

LEVELS: tuple[Level, ...] = ("none", "check_in", "crisis")
CATEGORIES: tuple[Category, ...] = ("suicide", "self_harm", "harm_to_others", "abuse")


@dataclass(frozen=True)
class SafetyResult:
    """A level, the kind of risk (None at level ``none``), and the risk score from 0 to 1.

    ``via`` says what decided: the learned classifier, the floor of expressions that always
    escalate, or the floor alone because the classifier could not read the message.
    """

    level: Level
    category: Category | None
    score: float
    via: Via = "model"

    @property
    def flagged(self) -> bool:
        return self.level != "none"

    def as_json(self) -> dict[str, object]:
        return {"level": self.level, "category": self.category, "score": round(self.score, 4)}


NONE = SafetyResult(level="none", category=None, score=0.0)
