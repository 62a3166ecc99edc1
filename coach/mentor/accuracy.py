"""How well the critique finds each flaw, on questions labelled by hand in ``evals/mentor/``."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from coach.errors import ConfigError
from coach.mentor.critique import find_flaws
from coach.mentor.lexicon import FLAW_KINDS, FlawKind
from coach.paths import MENTOR_QUESTIONS_FILE

LABELLED_QUESTIONS = MENTOR_QUESTIONS_FILE


class LabelledQuestion(BaseModel):
    question: str = Field(min_length=1)
    context: str | None = None
    kinds: list[FlawKind] = Field(default_factory=list)


class KindScore(BaseModel):
    kind: str
    labelled: int
    found: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.labelled if self.labelled else None


class Mistake(BaseModel):
    question: str
    missed: list[str]
    extra: list[str]


class Accuracy(BaseModel):
    questions: int
    good_questions: int
    kinds: list[KindScore]
    mistakes: list[Mistake]


def load_labelled(path: Path = LABELLED_QUESTIONS) -> list[LabelledQuestion]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [LabelledQuestion.model_validate(item) for item in data["questions"]]
    except (OSError, ValueError, RecursionError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"Could not read the labelled questions {path}: {exc}") from None


def measure(items: list[LabelledQuestion]) -> Accuracy:
    """Precision and recall per flaw kind, and every question where the critique disagreed."""
    counts = {kind: [0, 0, 0] for kind in FLAW_KINDS}  # labelled, found, correct
    mistakes = []
    for item in items:
        found = set(find_flaws(item.question, item.context))
        labelled = set(item.kinds)
        for kind in FLAW_KINDS:
            counts[kind][0] += kind in labelled
            counts[kind][1] += kind in found
            counts[kind][2] += kind in labelled and kind in found
        if found != labelled:
            mistakes.append(
                Mistake(
                    question=item.question,
                    missed=sorted(labelled - found),
                    extra=sorted(found - labelled),
                )
            )
    return Accuracy(
        questions=len(items),
        good_questions=sum(1 for item in items if not item.kinds),
        kinds=[
            KindScore(kind=kind, labelled=c[0], found=c[1], correct=c[2])
            for kind, c in counts.items()
        ],
        mistakes=mistakes,
    )
