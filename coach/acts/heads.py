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
        self.weights = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.biases = {k: np.asarray(v, dtype=np.float32) for k, v in biases.items()}
        # Every head's weights side by side, so one lookup reads them all.
        names = (MAIN, *FLAGS)
        self._weights = np.ascontiguousarray(np.hstack([self.weights[n] for n in names]))
        self._bias = np.concatenate([self.biases[n] for n in names])

    def read(self, active: Active) -> Reading:
        """Every head's output for one utterance."""
        columns = np.fromiter(active.columns, dtype=np.intp, count=len(active.columns))
        values = np.fromiter(active.values, dtype=np.float32, count=len(active.values))
        logits = values @ self._weights[columns] + self._bias
        main = logits[: len(self.classes)]
        exp = np.exp(main - main.max())
        flags = 1.0 / (1.0 + np.exp(-logits[len(self.classes) :]))
        return Reading(exp / exp.sum(), dict(zip(FLAGS, flags.tolist(), strict=True)))

    def main(self, active: Active) -> np.ndarray:
        """Probabilities of the main act, in ``classes`` order."""
        return self.read(active).main

    def flag(self, name: str, active: Active) -> float:
        """The probability that the flag ``name`` holds."""
        return self.read(active).flags[name]

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"classes": np.array(self.classes)}
        for name, weights in self.weights.items():
            arrays[f"{name}.weights"] = weights.astype(np.float16)
            arrays[f"{name}.bias"] = self.biases[name]
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
