"""Features of a message and its context for the words head: hashed character and word
n-grams of the message, and hashed words of its context.

Hashing needs no vocabulary, so the same text gives the same columns in training and in every
install; the layout is recorded with the trained head (``FeatureSpec``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer


@dataclass(frozen=True)
class FeatureSpec:
    """The columns a head was trained on."""

    hash_bits: int = 18
    context_bits: int = 16
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    context_weight: float = 0.5

    @property
    def width(self) -> int:
        return 2 * 2**self.hash_bits + 2**self.context_bits

    def as_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> FeatureSpec:
        values = dict(data)
        for key in ("char_ngrams", "word_ngrams"):
            values[key] = tuple(values[key])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


class Featuriser:
    """Turns (message, context) pairs into one sparse row each."""

    def __init__(self, spec: FeatureSpec) -> None:
        self.spec = spec
        common = {"alternate_sign": False, "norm": "l2", "lowercase": True, "dtype": np.float32}
        self._chars = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=spec.char_ngrams,
            n_features=2**spec.hash_bits,
            **common,
        )
        self._words = HashingVectorizer(
            analyzer="word",
            ngram_range=spec.word_ngrams,
            n_features=2**spec.hash_bits,
            token_pattern=r"(?u)\b\w+\b",
            **common,
        )
        self._context = HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            n_features=2**spec.context_bits,
            token_pattern=r"(?u)\b\w+\b",
            **common,
        )

    def rows(self, messages: Sequence[str], contexts: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """One row per message; each context is that message's earlier messages, oldest first."""
        joined = [" ".join(context) for context in contexts]
        blocks = [
            self._chars.transform(messages),
            self._words.transform(messages),
            self._context.transform(joined) * self.spec.context_weight,
        ]
        return sparse.hstack(blocks, format="csr", dtype=np.float32)
