"""NoteStore: session notes and commitments in Chroma, in collections of each user's own, with
a lexical index (BM25) of the notes beside them.

Collections per user make scoping structural: every method takes the user, and a query can only
ever see that user's collections. Notes and commitments are kept apart, so a note search needs
no metadata filter (a filter makes Chroma's search about ten times slower). The embedder's name
and dimension are recorded on each collection, and a store built with one refuses another.

A long note is stored whole and in pieces (``coach.memory.entries``); a hit on a piece counts
for its note (``coach.memory.hits``). A search fuses the embeddings' ranking with the words'
(``coach.memory.fusion``): embeddings find paraphrases, words find names and rare terms. Chroma
is the record (``coach.memory.chroma`` opens it); the lexical index is derived from it and kept
in step by ``coach.memory.words``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from coach.errors import CoachError, ConfigError
from coach.memory.chroma import MemoryUnavailable, collection_name, open_client, reopening
from coach.memory.embedders import Embedder
from coach.memory.entries import Chunking, note_entries, note_id
from coach.memory.fusion import Fusion, fuse
from coach.memory.hits import Channels, NoteHit, best_per_note, hits_by_note, note_from
from coach.memory.lexical import LexicalIndex, open_index
from coach.memory.words import WordChannel
from coach.notes.models import Commitment, CommitmentStatus, SessionNote
from coach.settings import Settings
from coach.users import check_user, private_dir

# How deep each channel's ranking is read, and the fusion: the learned combiner, which no fixed
# weighting matched on the memory benchmark (python -m evals.memory, "channels"); LEXICAL_WEIGHT
# is the words' weight in the other fusions, kept for comparison and as the fallback.
SEARCH_DEPTH = 10
LEXICAL_WEIGHT = 1.0
FUSION: Fusion = "learned"
# Each channel reads this many entries per note it returns, as a note's pieces crowd its ranking;
# embeddings read twice as many, up to MAX_READS times, while pieces leave fewer than k notes.
PIECE_FANOUT = 3
MAX_READS = 4

Kind = Literal["notes", "commitments"]
KINDS: tuple[Kind, ...] = ("notes", "commitments")


class NoteStore:
    """Notes and commitments, always scoped to one user."""

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        lexical: LexicalIndex | None = None,
        chunking: Chunking | None = None,
    ) -> None:
        self._client = client
        self.chunking = chunking or Chunking()
        self.embedder = embedder
        self.lexical = lexical or LexicalIndex()
        self.words = WordChannel(self.lexical)
        # Opening a collection costs about as much as a search, so each is opened once.
        self._opened: dict[tuple[str, Kind], Any] = {}

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder) -> NoteStore:
        lexical = open_index(private_dir(settings.data_dir / "lexical") / "notes.sqlite")
        return cls(open_client(settings), embedder, lexical)

    def ping(self) -> None:
        """Raise MemoryUnavailable unless the store answers."""
        try:
            self._client.heartbeat()
        except Exception as exc:  # chromadb raises many kinds; all mean "no memory now"
            raise MemoryUnavailable(f"The note store does not answer ({exc}).") from None

    def _collection(self, user: str, kind: Kind = "notes") -> Any:
        opened = self._opened.get((user, kind))
        if opened is None:
            opened = self._opened[(user, kind)] = self._open(user, kind)
        return opened

    def forget_collections(self, user: str) -> None:
        """Drop the collections this store holds open for the user (they are opened again)."""
        for kind in KINDS:
            self._opened.pop((user, kind), None)

    def _open(self, user: str, kind: Kind) -> Any:
        check_user(user)
        collection = self._client.get_or_create_collection(
            collection_name(user, kind),
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": 100}},
            metadata={
                "user": user,
                "embedder": self.embedder.name,
                "dimension": self.embedder.dimension,
            },
        )
        recorded = collection.metadata or {}
        if (recorded.get("embedder"), recorded.get("dimension")) != (
            self.embedder.name,
            self.embedder.dimension,
        ):
            raise ConfigError(
                f"{user}'s notes were embedded with {recorded.get('embedder')} "
                f"({recorded.get('dimension')} dimensions), not {self.embedder.name} "
                f"({self.embedder.dimension}). Use the same embedder (COACH_EMBEDDER), or "
                "export the notes and start a new data folder."
            )
        return collection

    @reopening
    def add_note(self, user: str, note: SessionNote) -> None:
        """Save a note and its commitments. Saving the same session again replaces it."""
        if note.user != user:
            raise ValueError("a note can only be saved for its own user")
        entries = note_entries(note, self.chunking)
        texts = [text for _, text in entries] + [c.text for c in note.commitments]
        vectors = self.embedder.embed(texts)
        shared = {"session": note.session, "date": note.date.isoformat(), "saved_at": time.time()}
        collection = self._collection(user, "notes")
        collection.upsert(
            ids=[entry for entry, _ in entries],
            documents=texts[: len(entries)],
            metadatas=[{**shared, "note": note.model_dump_json()}]
            + [{**shared, "piece": number} for number in range(1, len(entries))],
            embeddings=vectors[: len(entries)],
        )
        # Pieces of an earlier, longer version of the note (found by what they are, so pieces a
        # failed save left behind go too).
        stale = collection.get(
            where={"$and": [{"session": note.session}, {"piece": {"$gte": len(entries)}}]},
            include=[],
        )["ids"]
        if stale:
            collection.delete(ids=stale)
        self.words.write(user, entries, stale)
        if note.commitments:
            self._collection(user, "commitments").upsert(
                ids=[f"commitment-{c.id}" for c in note.commitments],
                documents=texts[len(entries) :],
                metadatas=[_commitment_metadata(c, note.session) for c in note.commitments],
                embeddings=vectors[len(entries) :],
            )

    @reopening
    def notes(self, user: str) -> list[SessionNote]:
        """Every note of the user's, oldest first, with commitments at their current status."""
        got = self._collection(user, "notes").get(include=["metadatas"])
        statuses = {c.id: c.status for c in self.commitments(user)}
        heads = [meta for meta in got["metadatas"] if "note" in meta]  # not the pieces
        ordered = sorted(heads, key=lambda m: (m["date"], m.get("saved_at", 0.0)))
        return [note_from(meta, statuses) for meta in ordered]

    def note(self, user: str, session: str) -> SessionNote | None:
        return next((n for n in self.notes(user) if n.session == session), None)

    def search(
        self,
        user: str,
        query: str,
        k: int = 5,
        threshold: float = 0.0,
        vector: Sequence[float] | None = None,
        lexical_weight: float = LEXICAL_WEIGHT,
        fusion: Fusion = FUSION,
    ) -> list[NoteHit]:
        """The user's notes for ``query``, best first: the embeddings' and the words' rankings
        fused. Each hit's similarity is its cosine similarity to the query (``vector``, if the
        caller has embedded it already), and hits below ``threshold`` are left out."""
        found = self.channels(user, query, max(2 * k, SEARCH_DEPTH), vector)
        if found is None:
            return []
        fused = fuse(found.dense, found.words, fusion, lexical_weight, found.similarity)
        hits = [found.hits[entry] for entry, _ in fused[:k] if entry in found.hits]
        return [hit for hit in hits if hit.similarity >= threshold]

    @reopening
    def channels(
        self, user: str, query: str, depth: int, vector: Sequence[float] | None = None
    ) -> Channels | None:
        """What each channel finds for ``query`` down to ``depth`` notes, before fusion; None
        when there is nothing to search."""
        if not query.strip():
            return None
        collection = self._collection(user, "notes")
        # Counting first spares loading the embedder when there is nothing to search; once it
        # is loaded, a search of an empty collection is as quick as a count.
        if not self.embedder.ready and collection.count() == 0:
            return None
        if vector is None:
            vector = self.embedder.embed([query])[0]
        dense = self.search_vector(user, vector, depth)
        matches = self.words.matches(user, collection, query, depth, PIECE_FANOUT)
        hits = {note_id(hit.note.session): hit for hit in dense}
        missing = {note: entry for note, entry, _ in matches if note not in hits}
        if missing:  # notes only the words found: their cosine, from the note or the piece
            hits.update(hits_by_note(collection, missing, vector))
        return Channels(
            dense=[(note_id(hit.note.session), hit.similarity) for hit in dense],
            words=[(note, score) for note, _, score in matches],
            hits=hits,
        )

    @reopening
    def search_words(self, user: str, query: str, k: int = 5) -> list[tuple[str, float]]:
        """The lexical channel alone: the ids of the user's notes that best match the query's
        words (BM25, a note scored by its best entry), with their scores. Empty when the index
        cannot be read."""
        matches = self.words.matches(user, self._collection(user), query, k, PIECE_FANOUT)
        return [(note, score) for note, _, score in matches]

    @reopening
    def search_vector(
        self, user: str, vector: Sequence[float], k: int = 5, threshold: float = 0.0
    ) -> list[NoteHit]:
        """The user's notes nearest a unit-length query ``vector`` from this store's embedder,
        each as near as its nearest entry."""
        if len(vector) != self.embedder.dimension:
            raise ConfigError(
                f"A query vector of {len(vector)} numbers cannot search notes embedded with "
                f"{self.embedder.name} ({self.embedder.dimension})."
            )
        collection = self._collection(user, "notes")
        wanted = k * PIECE_FANOUT
        for _ in range(MAX_READS):
            result = collection.query(
                query_embeddings=[list(vector)],
                n_results=wanted,
                include=["metadatas", "distances"],
            )
            metadatas = result["metadatas"][0]
            notes = {meta["session"] for meta in metadatas}
            # Pieces of a few long notes can fill the entries read: read further, until k notes,
            # every entry, or MAX_READS reads.
            if len(notes) >= k or len(metadatas) < wanted:
                break
            wanted *= 2
        similarities = [1.0 - distance for distance in result["distances"][0]]
        hits = best_per_note(collection, metadatas, similarities, k)
        return [hit for hit in hits.values() if hit.similarity >= threshold]

    @reopening
    def commitments(self, user: str, status: CommitmentStatus | None = None) -> list[Commitment]:
        """The user's commitments, soonest due first (undated last)."""
        where = {"status": status} if status is not None else None
        got = self._collection(user, "commitments").get(where=where, include=["metadatas"])
        found = [
            Commitment(
                id=item_id.removeprefix("commitment-"),
                text=meta["text"],
                due=date.fromisoformat(meta["due"]) if meta.get("due") else None,
                status=meta["status"],
                session=meta.get("session", ""),
            )
            for item_id, meta in zip(got["ids"], got["metadatas"], strict=True)
        ]
        return sorted(found, key=lambda c: (c.due is None, c.due or date.max, c.text))

    @reopening
    def set_status(self, user: str, commitment_id: str, status: CommitmentStatus) -> None:
        collection = self._collection(user, "commitments")
        item_id = f"commitment-{commitment_id}"
        got = collection.get(ids=[item_id], include=["metadatas"])
        if not got["ids"]:
            raise CoachError(f"{user} has no commitment {commitment_id}.")
        collection.update(ids=[item_id], metadatas=[{**got["metadatas"][0], "status": status}])

    def export(self, user: str) -> dict[str, Any]:
        """Everything stored for the user, as plain data."""
        return {
            "user": user,
            "embedder": self.embedder.name,
            "notes": [json.loads(n.model_dump_json()) for n in self.notes(user)],
            "commitments": [json.loads(c.model_dump_json()) for c in self.commitments(user)],
        }

    def delete_user(self, user: str) -> None:
        """Remove every note, commitment and vector of the user's."""
        check_user(user)
        self.forget_collections(user)
        self.words.forget(user)
        names = {collection_name(user, kind) for kind in KINDS}
        for collection in self._client.list_collections():
            if collection.name in names:
                self._client.delete_collection(collection.name)


def _commitment_metadata(commitment: Commitment, session: str) -> dict[str, Any]:
    return {
        "session": session,
        "text": commitment.text,
        "status": commitment.status,
        "due": commitment.due.isoformat() if commitment.due else "",
    }
