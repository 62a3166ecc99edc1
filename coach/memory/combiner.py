"""The learned combiner of the two search channels: a logistic model that scores each candidate
note by its place and score in both rankings.

Fixed weights fuse the channels badly somewhere: equal-weight rank fusion lets word matches push
good paraphrases out of long journal entries, and a small word weight loses the names in chat
turns. The combiner reads how strong each channel's evidence is for each note (its cosine, and
how far below the best one; its BM25 score, saturated and against the best one; its rank in each
channel), so a rare name that matches lifts its note and common words do not.

``python -m evals.memory --train-fusion`` fits it on the dev halves of the memory benchmark and
writes ``model/fusion.json``; a damaged file leaves rank fusion to decide, with one warning.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)
MODEL = Path(__file__).parent / "model" / "fusion.json"
FEATURES = (
    "cosine",
    "cosine_below_best",
    "dense_reciprocal_rank",
    "bm25_saturated",
    "bm25_share_of_best",
    "bm25_reciprocal_rank",
)
BM25_HALF = 5.0  # the BM25 score at which ``bm25_saturated`` reaches one half

Ranked = Sequence[tuple[str, float]]


def candidate_features(
    dense: Ranked, words: Ranked, similarity: Mapping[str, float]
) -> tuple[list[str], np.ndarray]:
    """Every item of either ranking (dense first, then words, each once) and its row of
    ``FEATURES``. ``similarity`` gives the cosine of items the dense ranking did not reach; an
    item without one counts as the least similar candidate. "Below best" is measured from the
    most similar candidate."""
    dense_rank = {item: rank for rank, item in enumerate(dict.fromkeys(i for i, _ in dense))}
    word_rank = {item: rank for rank, item in enumerate(dict.fromkeys(i for i, _ in words))}
    items = list(dict.fromkeys([*dense_rank, *word_rank]))
    # An item listed twice counts at its first (best) place and score.
    known = {**similarity, **dict(reversed(list(dense)))}
    found = [known[item] for item in items if item in known]
    floor = min(found, default=0.0)
    cosines = [known.get(item, floor) for item in items]
    best_cosine = max(cosines, default=0.0)
    word_score = dict(reversed(list(words)))
    best_words = max(word_score.values(), default=0.0)
    rows = np.zeros((len(items), len(FEATURES)))
    for row, (item, cosine) in enumerate(zip(items, cosines, strict=True)):
        score = max(word_score.get(item, 0.0), 0.0)
        rows[row] = (
            cosine,
            cosine - best_cosine,
            1.0 / (dense_rank[item] + 1) if item in dense_rank else 0.0,
            score / (score + BM25_HALF),
            score / best_words if best_words > 0 else 0.0,
            1.0 / (word_rank[item] + 1) if item in word_rank else 0.0,
        )
    return items, rows


@dataclass(frozen=True)
class Combiner:
    """A linear score over ``FEATURES``; higher is more likely to answer the query."""

    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(f"{len(self.weights)} weights for {len(FEATURES)} features")
        if not all(math.isfinite(w) for w in (*self.weights, self.bias)):
            raise ValueError("the combiner's weights must be finite numbers")

    def rank(
        self, dense: Ranked, words: Ranked, similarity: Mapping[str, float]
    ) -> list[tuple[str, float]]:
        """Every candidate with its score, best first (ties keep the order of ``dense``, then
        ``words``)."""
        items, rows = candidate_features(dense, words, similarity)
        if not items:
            return []
        scores = rows @ np.asarray(self.weights) + self.bias
        order = np.argsort(-scores, kind="stable")
        return [(items[i], float(scores[i])) for i in order]

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Combiner:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"the combiner was trained on other features: {data.get('features')}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]))


def load_combiner(path: Path = MODEL) -> Combiner:
    """The combiner stored at ``path``; ValueError or OSError if it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} does not hold a combiner")
    try:
        return Combiner.from_json(data)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path.name} lacks a field or has a malformed one ({exc})") from None


@cache
def shipped_combiner(path: Path = MODEL) -> Combiner | None:
    """The packaged combiner, read once; None (with one warning) if it cannot be used."""
    try:
        return load_combiner(path)
    except (OSError, ValueError) as exc:
        logger.warning(
            "The search combiner in %s cannot be used (%s); rank fusion decides.", path, exc
        )
        return None
