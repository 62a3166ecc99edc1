"""A trained linear head: softmax over classes, weights kept as a compressed numpy file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import sparse


class LinearHead:
    """Class probabilities for feature rows: ``softmax(rows @ weights.T + bias)``."""

    def __init__(self, classes: list[str], weights: np.ndarray, bias: np.ndarray) -> None:
        if weights.shape != (len(classes), weights.shape[1]) or bias.shape != (len(classes),):
            raise ValueError("weights and bias do not match the classes")
        self.classes = classes
        self.weights = np.ascontiguousarray(weights.T, dtype=np.float32)  # width x classes
        self.bias = bias.astype(np.float32)

    @property
    def width(self) -> int:
        return int(self.weights.shape[0])

    def probabilities(self, rows: sparse.csr_matrix) -> np.ndarray:
        logits = np.asarray(rows @ self.weights) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, classes=np.array(self.classes), weights=self.weights.T, bias=self.bias
        )

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path, allow_pickle=False) as data:
            return cls([str(c) for c in data["classes"]], data["weights"], data["bias"])
