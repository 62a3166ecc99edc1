"""Chroma's entries as note hits: a note found by any of its entries (the note whole, or a
piece of a long one) counts once, as similar as its nearest entry, and is read from its own
entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coach.memory.entries import note_id
from coach.notes.models import CommitmentStatus, SessionNote


@dataclass(frozen=True)
class NoteHit:
    note: SessionNote
    similarity: float


@dataclass(frozen=True)
class Channels:
    """One query's findings before fusion: the embeddings' and the words' rankings (note ids
    with cosine or BM25 score, best first), and a hit for every note either found that the
    store still holds (the word index can lag behind a deletion made elsewhere)."""

    dense: list[tuple[str, float]]
    words: list[tuple[str, float]]
    hits: dict[str, NoteHit]

    @property
    def similarity(self) -> dict[str, float]:
        """The cosine of every note either channel found."""
        return {entry: hit.similarity for entry, hit in self.hits.items()}


def hits_by_note(
    collection: Any, matched: dict[str, str], vector: Sequence[float]
) -> dict[str, NoteHit]:
    """Hits for these note ids (each with the entry the words matched), each as similar as
    the nearer of the note itself and that entry."""
    got = collection.get(
        ids=sorted(set(matched) | set(matched.values())), include=["metadatas", "embeddings"]
    )
    if not got["ids"]:  # the lexical index is behind a deletion made elsewhere
        return {}
    similarity = np.asarray(got["embeddings"], dtype=np.float32) @ np.asarray(
        vector, dtype=np.float32
    )
    return best_per_note(collection, got["metadatas"], similarity.tolist(), len(matched))


def best_per_note(
    collection: Any, metadatas: list[Any], similarities: list[float], k: int
) -> dict[str, NoteHit]:
    """The first ``k`` notes among entries listed best first, each with its best
    similarity; a note found by a piece is read from its own entry."""
    best: dict[str, float] = {}
    heads: dict[str, dict[str, Any]] = {}
    for meta, similarity in zip(metadatas, similarities, strict=True):
        entry = note_id(meta["session"])
        best[entry] = max(similarity, best.get(entry, similarity))
        if "note" in meta:
            heads[entry] = meta
    chosen = sorted(best, key=lambda entry: -best[entry])[:k]
    unread = [entry for entry in chosen if entry not in heads]
    if unread:
        got = collection.get(ids=unread, include=["metadatas"])
        heads.update(zip(got["ids"], got["metadatas"], strict=True))
    return {
        entry: NoteHit(note_from(heads[entry], {}), best[entry])
        for entry in chosen
        if entry in heads
    }


def note_from(meta: dict[str, Any], statuses: dict[str, CommitmentStatus]) -> SessionNote:
    """The note a head entry's metadata holds, its commitments at their current ``statuses``."""
    note = SessionNote.model_validate_json(meta["note"])
    for commitment in note.commitments:
        commitment.status = statuses.get(commitment.id, commitment.status)
    return note
