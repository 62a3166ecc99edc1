"""The learned safety classifier: a message and its context in, a level, category and score out.

Two trained heads ship with the project (``coach/safety/model``):

- ``encoder``: all-MiniLM-L6-v2 with its layers fine-tuned on the project's safety corpus,
  reading the end of the context and the message together (``coach.safety.encoder``);
- ``words``: a linear head on hashed character and word n-grams, for installs without the local
  embedder (it needs only scikit-learn).

Long messages are read in windows and the riskiest window decides. The floor
(``knowledge/safety.yaml``) decides alone, with a logged warning, when the classifier cannot
read a message; it overrides the head only where the knowledge file says so.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from coach.safety.features import FeatureSpec, Featuriser
from coach.safety.floor import floor_result
from coach.safety.head import LinearHead
from coach.safety.knowledge import safety_knowledge
from coach.safety.result import CATEGORIES, LEVELS, NONE, Category, Level, SafetyResult
from coach.safety.text import normalise, recent, windows

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"


@dataclass(frozen=True)
class Thresholds:
    """Risk (1 - p(none)) at or above ``flag`` is a check-in; p(crisis) at or above ``crisis``
    is a crisis. Both were chosen on the dev split."""

    flag: float
    crisis: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Thresholds:
        return cls(float(data["flag"]), float(data["crisis"]))


class Scorer(Protocol):
    """Level and category probabilities (columns in ``LEVELS`` and ``CATEGORIES`` order)."""

    name: str
    thresholds: Thresholds

    def probabilities(
        self, messages: Sequence[str], context: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]: ...


class WordsScorer:
    """The n-gram head."""

    name = "words"

    def __init__(self, folder: Path, data: dict[str, Any]) -> None:
        self.thresholds = Thresholds.from_json(data["thresholds"])
        self._featuriser = Featuriser(FeatureSpec.from_json(data["spec"]))
        self._level = LinearHead.load(folder / data["level"])
        self._category = LinearHead.load(folder / data["category"])
        if self._level.classes != list(LEVELS) or self._category.classes != list(CATEGORIES):
            raise ValueError("the words head's classes do not match this version")

    def probabilities(
        self, messages: Sequence[str], context: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        rows = self._featuriser.rows(messages, [context] * len(messages))
        return self._level.probabilities(rows), self._category.probabilities(rows)


class EncoderScorer:
    """The fine-tuned encoder."""

    name = "encoder"

    def __init__(self, folder: Path, data: dict[str, Any]) -> None:
        from coach.safety import encoder

        self.thresholds = Thresholds.from_json(data["thresholds"])
        self._encoder = encoder.load(*encoder_settings(folder))
        self._text = encoder.encoder_text

    def probabilities(
        self, messages: Sequence[str], context: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        return self._encoder.probabilities([self._text(m, context) for m in messages])


def model_meta(folder: Path = MODEL_DIR) -> dict[str, Any]:
    return dict(json.loads((folder / "safety.json").read_text(encoding="utf-8")))


def encoder_settings(folder: Path = MODEL_DIR) -> tuple[Path, int, int]:
    """The encoder's trained weights, how many of its lower layers were left as packaged, and
    how many it keeps (all six where the model file does not say)."""
    from coach.safety.encoder import LAYERS

    data = model_meta(folder)["heads"]["encoder"]
    return folder / data["delta"], int(data["frozen_layers"]), int(data.get("layers", LAYERS))


def riskiest_row(levels: np.ndarray) -> int:
    """The row (a window of a long message) whose risk, 1 - p(none), is highest: it decides."""
    return int(np.argmax(1.0 - levels[:, LEVELS.index("none")]))


def decide(scorer: Scorer, levels: np.ndarray, categories: np.ndarray) -> SafetyResult:
    """The riskiest row's level, category and risk score, by the scorer's thresholds."""
    row = riskiest_row(levels)
    score = float(1.0 - levels[row, LEVELS.index("none")])
    level: Level = "none"
    if levels[row, LEVELS.index("crisis")] >= scorer.thresholds.crisis:
        level = "crisis"
    elif score >= scorer.thresholds.flag:
        level = "check_in"
    category: Category | None = None
    if level != "none":
        category = CATEGORIES[int(np.argmax(categories[row]))]
    return SafetyResult(level=level, category=category, score=score)


class SafetyClassifier:
    """Screens mentee messages. Loads on first use, or ahead of it with ``warm_up``.

    ``head`` picks one ("encoder" or "words"); by default the encoder, falling back to the
    words head where the local embedder is not installed or cannot load.
    """

    def __init__(
        self, folder: Path = MODEL_DIR, *, head: str | None = None, floor: bool | None = None
    ) -> None:
        self.folder = folder
        self.wanted = head
        # Whether the floor escalates whatever the head says (knowledge/safety.yaml decides).
        self.floor_overrides = safety_knowledge().floor_overrides if floor is None else floor
        self._scorer: Scorer | None = None
        self._error: Exception | None = None
        self._lock = threading.Lock()

    @property
    def head_name(self) -> str | None:
        self._load()
        return self._scorer.name if self._scorer else None

    def warm_up(self) -> None:
        """Load the head in a background thread (once)."""
        if self._scorer is None and self._error is None and not self._lock.locked():
            threading.Thread(target=self._load, name="safety-load", daemon=True).start()

    def _load(self) -> None:
        if self._scorer is not None:
            return
        with self._lock:
            if self._scorer is not None or self._error is not None:
                return
            try:
                self._scorer = self._open()
            except Exception as exc:
                self._error = exc
                logger.warning(
                    "The safety classifier could not load (%s); only its floor runs.", exc
                )

    def _open(self) -> Scorer:
        heads = model_meta(self.folder)["heads"]
        if self.wanted in (None, "encoder"):
            try:
                return EncoderScorer(self.folder, heads["encoder"])
            except ImportError as exc:  # an install without the local extra: expected
                if self.wanted == "encoder":
                    raise
                logger.info("The safety screen reads words only (%s).", exc)
            except Exception as exc:
                if self.wanted == "encoder":
                    raise
                logger.warning(
                    "The safety encoder could not load (%s); screening with the words head, "
                    "which misses more. `make run` rebuilds it.",
                    exc,
                )
        return WordsScorer(self.folder, heads["words"])

    def screen(self, text: str, context: Sequence[str] = ()) -> SafetyResult:
        """The risk in ``text``, read after ``context`` (earlier messages, oldest first)."""
        message = normalise(text) if isinstance(text, str) else ""
        if not message:
            return NONE
        try:
            learned = self._learned(message, recent(context))
        except Exception as exc:
            logger.warning(
                "The safety classifier could not read a message (%s: %s); the floor decided.",
                type(exc).__name__,
                exc,
            )
            fallback = floor_result(message)
            return fallback or SafetyResult(level="none", category=None, score=0.0, via="fallback")
        floor = floor_result(message) if self.floor_overrides else None
        if floor is not None and learned.level != "crisis":
            return SafetyResult("crisis", floor.category, max(learned.score, floor.score), "floor")
        return learned

    def _learned(self, message: str, context: list[str]) -> SafetyResult:
        self._load()
        if self._scorer is None:
            raise RuntimeError(f"the classifier did not load: {self._error}")
        parts, overflow = windows(message)
        levels, categories = self._scorer.probabilities(parts, context)
        learned = decide(self._scorer, levels, categories)
        if overflow:
            logger.warning(
                "A message of %d characters was read in part; the floor read it all.", len(message)
            )
            floor = floor_result(message)
            if floor is not None and learned.level != "crisis":
                return floor
        return learned


_default: SafetyClassifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> SafetyClassifier:
    """The process-wide classifier with the shipped model."""
    global _default
    with _default_lock:
        if _default is None:
            _default = SafetyClassifier()
        return _default


def screen(text: str, context: Sequence[str] = ()) -> SafetyResult:
    """Screen a message with the shipped model (see ``SafetyClassifier.screen``)."""
    return default_classifier().screen(text, context)
