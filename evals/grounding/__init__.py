"""How well the grounding check tells a fitting question from a stray one, on labelled drafts."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from coach.guard import Grounding, GuardContext, check_reply

HERE = Path(__file__).parent
SETS = {"dev": HERE / "dev.yaml", "held_out": HERE / "held_out.yaml"}
GROUNDING_CODES = {"strays", "self"}


class Labelled(BaseModel):
    after: int
    question: str
    fits: bool


class Conversation(BaseModel):
    scenario: str
    mentee: list[str]
    questions: list[Labelled]


class Agreement(BaseModel):
    """The check against the hand labels of one set."""

    strays: int
    strays_caught: int
    fitting: int
    fitting_kept: int
    missed: list[str]
    wrongly_failed: list[str]

    @property
    def catch_rate(self) -> float:
        return self.strays_caught / self.strays

    @property
    def keep_rate(self) -> float:
        return self.fitting_kept / self.fitting


def load_set(path: Path) -> list[Conversation]:
    return [Conversation.model_validate(item) for item in yaml.safe_load(path.read_text())]


def grounded(question: str, mentee: list[str]) -> bool:
    """Whether the guard finds nothing that strays in the question, given what was said."""
    verdict = check_reply(question, GuardContext(grounding=Grounding.from_messages(mentee)))
    return not any(reason.code in GROUNDING_CODES for reason in verdict.reasons)


def measure(conversations: list[Conversation]) -> Agreement:
    missed, wrongly_failed = [], []
    strays = fitting = 0
    for conversation in conversations:
        for item in conversation.questions:
            passed = grounded(item.question, conversation.mentee[: item.after])
            if item.fits:
                fitting += 1
                if not passed:
                    wrongly_failed.append(item.question)
            else:
                strays += 1
                if passed:
                    missed.append(item.question)
    return Agreement(
        strays=strays,
        strays_caught=strays - len(missed),
        fitting=fitting,
        fitting_kept=fitting - len(wrongly_failed),
        missed=missed,
        wrongly_failed=wrongly_failed,
    )
