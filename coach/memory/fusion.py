"""Fusing the dense and the lexical channel's rankings: by the learned combiner (the default),
by weighted reciprocal rank, or by scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from coach.memory.combiner import BM25_HALF, shipped_combiner

RRF_K = 60  # the constant of Cormack et al. (2009): ranks far down a list count for little


def weighted_rrf(
    rankings: Sequence[Sequence[str]], weights: Sequence[float], k: int = RRF_K
) -> list[tuple[str, float]]:
    """Items of every ranking, best first, scored by the weighted sum of 1 / (k + rank).

    An item found by both channels outranks one found by either alone at the same places. Ties
    keep the order in which the items were first met (the first ranking's first).
    """
    if len(rankings) != len(weights):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(dict.fromkeys(ranking)):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


def score_fusion(
    dense: Sequence[tuple[str, float]],
    words: Sequence[tuple[str, float]],
    weight: float,
    scale: float | None = None,
) -> list[tuple[str, float]]:
    """Items of both channels, best first, scored by cosine similarity plus ``weight`` times a
    share of the BM25 score (0 where a channel did not find the item).

    The share is the score over the best one's when ``scale`` is None; otherwise it is
    ``score / (score + scale)``, which keeps how strong a word match is: a rare name that
    matches lifts its note clearly, while common words add little to a good paraphrase.
    """
    best = max((score for _, score in words), default=0.0)
    scores: dict[str, float] = {}
    for item, similarity in dense:
        scores.setdefault(item, similarity)
    for item, score in words:
        if scale is not None:
            share = score / (score + scale) if score > 0 else 0.0
        else:
            share = score / best if best > 0 else 0.0
        scores[item] = scores.get(item, 0.0) + weight * share
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


Fusion = Literal["learned", "rrf", "scores", "saturating"]
SATURATION = BM25_HALF  # the BM25 score at which a word match counts half (``saturating`` fusion)


def fuse(
    dense: Sequence[tuple[str, float]],
    words: Sequence[tuple[str, float]],
    fusion: Fusion,
    weight: float,
    similarity: Mapping[str, float] | None = None,
) -> list[tuple[str, float]]:
    """The two channels' rankings (items with their scores, best first) fused by ``fusion``,
    the words weighted by ``weight`` (the learned combiner weighs them itself). ``similarity``
    gives the learned combiner the cosine of items only the words found. Without a usable
    combiner, rank fusion decides."""
    if fusion == "learned":
        combiner = shipped_combiner()
        if combiner is not None:
            return combiner.rank(dense, words, similarity or {})
        fusion, weight = "rrf", 1.0
    if fusion in ("scores", "saturating"):
        return score_fusion(dense, words, weight, SATURATION if fusion == "saturating" else None)
    return weighted_rrf([[item for item, _ in dense], [item for item, _ in words]], [1.0, weight])
