"""An optional LLM judge with a rubric drawn from the ICF markers, calibrated on labelled turns."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from coach.errors import ConfigError, ProviderError
from coach.paths import JUDGE_CALIBRATION_FILE
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.structured import ask_for

Criterion = Literal["one_open_question", "no_advice", "builds_on_words", "leaves_room"]
CRITERIA: tuple[Criterion, ...] = (
    "one_open_question",
    "no_advice",
    "builds_on_words",
    "leaves_room",
)
CALIBRATION_SET = JUDGE_CALIBRATION_FILE


class JudgeVerdict(BaseModel):
    """The judge's reading of one coach reply."""

    one_open_question: bool
    no_advice: bool
    builds_on_words: bool
    leaves_room: bool
    reason: str = ""

    @property
    def passed(self) -> bool:
        return all(getattr(self, criterion) for criterion in CRITERIA)


class LabelledTurn(BaseModel):
    """A coach turn labelled by hand: which markers it misses (none for a good turn)."""

    mentee: str = Field(min_length=1)
    coach: str = Field(min_length=1)
    fails: list[Criterion] = Field(default_factory=list)

    def label(self, criterion: str) -> bool:
        """Whether the turn meets ``criterion`` ("overall": meets every marker)."""
        return not self.fails if criterion == "overall" else criterion not in self.fails


def judge_turn(provider: ChatProvider, mentee: str, coach: str) -> JudgeVerdict | None:
    """The judge's verdict, or None when it gave no valid judgement twice."""
    prompt = render(
        "judge",
        mentee=json.dumps(mentee, ensure_ascii=False),
        coach=json.dumps(coach, ensure_ascii=False),
    )
    messages = [ChatMessage(role="user", content=prompt)]
    try:
        return ask_for(provider, messages, JudgeVerdict, "judge_fix")
    except (ValueError, ProviderError):
        return None


def load_calibration_set(path: Path = CALIBRATION_SET) -> list[LabelledTurn]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [LabelledTurn.model_validate(item) for item in items]
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise ConfigError(f"Could not read the judge's calibration set {path}: {exc}") from None


class Agreement(BaseModel):
    """How often the judge agrees with the hand labels, per marker and overall."""

    turns: int
    unparsed: int
    accuracy: dict[str, float | None]
    kappa: dict[str, float | None]


def _kappa(labels: list[bool], verdicts: list[bool]) -> float | None:
    if len(set(labels) | set(verdicts)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # imported on use: it takes over a second

    value = float(cohen_kappa_score(labels, verdicts))
    return None if value != value else round(value, 3)  # NaN when undefined


def agreement(items: Sequence[LabelledTurn], verdicts: Sequence[JudgeVerdict | None]) -> Agreement:
    """Agreement on the turns the judge answered; unanswered turns are counted separately."""
    pairs = [(item, v) for item, v in zip(items, verdicts, strict=True) if v is not None]
    accuracy: dict[str, float | None] = {}
    kappa: dict[str, float | None] = {}
    for name in (*CRITERIA, "overall"):
        labels = [item.label(name) for item, _ in pairs]
        judged = [v.passed if name == "overall" else bool(getattr(v, name)) for _, v in pairs]
        same = sum(a == b for a, b in zip(labels, judged, strict=True))
        accuracy[name] = round(same / len(pairs), 3) if pairs else None
        kappa[name] = _kappa(labels, judged)
    return Agreement(
        turns=len(items),
        unparsed=len(items) - len(pairs),
        accuracy=accuracy,
        kappa=kappa,
    )


def calibrate(provider: ChatProvider, items: Sequence[LabelledTurn]) -> Agreement:
    """Run the judge over the labelled turns and measure its agreement with them."""
    return agreement(items, [judge_turn(provider, item.mentee, item.coach) for item in items])
