"""The trained talk-act heads: linear models over the columns of ``features.py``, stored as one
compressed numpy file and read by looking up only the columns an utterance turns on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.acts.features import WIDTH, Active

# The main act (softmax over its classes) and four yes/no flags (one logit each).
MAIN = "act"
FLAGS = ("question", "open", "reflection", "advice")


@dataclass(frozen=True)
class Reading:
    """The main act's probabilities (in the heads' class order) and each flag's."""

    main: np.ndarray
    flags: dict[str, float]


class ActHeads:
    """Weights (columns x outputs) and biases for the main act and each flag."""

    def __init__(
        self, classes: list[str], weights: dict[str, np.ndarray], biases: dict[str, np.ndarray]
    ) -> None:
        for name in (MAIN, *FLAGS):
            outputs = len(classes) if name == MAIN else 1
            if weights[name].shape != (WIDTH, outputs) or biases[name].shape != (outputs,):
                raise ValueError(f"the {name} head does not match the feature layout")
        self.classes = classes
        # Every head's weights side by side, so one lookup reads them all.
        names = (MAIN, *FLAGS)
        self._weights = np.ascontiguousarray(np.hstack([weights[n] for n in names]), np.float32)
        self._bias = np.concatenate([biases[n] for n in names]).astype(np.float32)

    def read(self, active: Active) -> Reading:
        """Every head's output for one utterance."""
        columns = np.fromiter(active.columns, dtype=np.intp, count=len(active.columns))
        values = np.fromiter(active.values, dtype=np.float32, count=len(active.values))
        logits = values @ self._weights[columns] + self._bias
        main = logits[: len(self.classes)]
        exp = np.exp(main - main.max())
        flags = 1.0 / (1.0 + np.exp(-logits[len(self.classes) :]))
        return Reading(exp / exp.sum(), dict(zip(FLAGS, flags.tolist(), strict=True)))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"classes": np.array(self.classes)}
        start = 0
        for name in (MAIN, *FLAGS):
            end = start + (len(self.classes) if name == MAIN else 1)
            arrays[f"{name}.weights"] = self._weights[:, start:end].astype(np.float16)
            arrays[f"{name}.bias"] = self._bias[start:end]
            start = end
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> ActHeads:
        with np.load(path, allow_pickle=False) as data:
            names = (MAIN, *FLAGS)
            return cls(
                [str(c) for c in data["classes"]],
                {n: data[f"{n}.weights"].astype(np.float32) for n in names},
                {n: data[f"{n}.bias"] for n in names},
            )
