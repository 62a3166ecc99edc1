"""The learned talk-act classifier: the trained heads in ``model/`` read an utterance's features
and say what it does, with the same ``TalkAct`` the rules give.

``python -m evals.acts train`` writes ``model/acts.json`` (thresholds, training record) and
``model/acts-heads.npz``; both ship with the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from coach.acts.features import active
from coach.acts.heads import ActHeads
from coach.acts.lexicon import act_lexicon
from coach.acts.talk_act import Act, QuestionType, TalkAct, talk_act

MODEL_DIR = Path(__file__).parent / "model"
ACTS: tuple[Act, ...] = ("question", "reflection", "advice", "information", "other")


@dataclass(frozen=True)
class Thresholds:
    """The probability at or above which each flag is said to hold (chosen on kinds of talk
    left out of training: see ``evals/acts/train.py``)."""

    question: float = 0.5
    open: float = 0.5
    reflection: float = 0.5
    advice: float = 0.5


class LearnedActs:
    """Talk acts from the trained heads."""

    def __init__(self, heads: ActHeads, thresholds: Thresholds) -> None:
        if set(heads.classes) != set(ACTS):
            raise ValueError(f"the heads know {heads.classes}, not the five acts")
        self.heads = heads
        self.thresholds = thresholds

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> LearnedActs:
        meta = json.loads((folder / "acts.json").read_text(encoding="utf-8"))
        thresholds = {name: float(value) for name, value in meta["thresholds"].items()}
        if not all(0.0 <= value <= 1.0 for value in thresholds.values()):
            raise ValueError(f"thresholds must lie between 0 and 1: {thresholds}")
        return cls(ActHeads.load(folder / str(meta["heads"])), Thresholds(**thresholds))

    def classify(self, text: str, context: str | None = None) -> TalkAct:
        features = active(text, context, act_lexicon())
        t = self.thresholds
        # The advice head, its threshold set for precision where advice is rare, alone decides
        # advice: the main head learned advice at the corpus's share, far above real sessions'.
        reading = self.heads.read(features)
        advice = reading.flags["advice"] >= t.advice
        probabilities = reading.main.copy()
        if not advice:
            probabilities[self.heads.classes.index("advice")] = -1.0
        act: Act = self.heads.classes[int(probabilities.argmax())]  # type: ignore[assignment]
        question = act == "question" or reading.flags["question"] >= t.question
        if advice and act not in {"advice", "question"}:
            act = "advice"  # telling outranks informing and reflecting, as expert coders rank
        elif question and act in {"information", "other"}:
            act = "question"  # a question outranks informing and acknowledging
        question_type: QuestionType | None = None
        if question:
            question_type = "open" if reading.flags["open"] >= t.open else "closed"
        reflection = act == "reflection" or reading.flags["reflection"] >= t.reflection
        return talk_act(act, question, question_type, reflection, advice)
