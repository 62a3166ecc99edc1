"""What one session remembers: open commitments to follow up, and notes relevant to the talk.

Every call is scoped to the session's user. If the store fails, memory switches off for the
rest of the session, with a message to show, and the conversation carries on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np
from sqlalchemy import delete, select

from coach.errors import CoachError
from coach.memory.embedders import get_embedder
from coach.memory.store import NoteHit, NoteStore
from coach.notes.models import Commitment, CommitmentStatus, SessionNote
from coach.prompts import render
from coach.records import Database, RecordsUnavailable, open_records
from coach.records.schema import pending_notes
from coach.records.statements import ensure_profile, upsert
from coach.settings import Settings
from coach.users import check_user

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_NOTE_CHARS = 400


class SessionMemory:
    """The note store, seen from one user's session."""

    def __init__(
        self, store: NoteStore, user: str, threshold: float, pending: PendingNotes | None = None
    ) -> None:
        self.store = store
        self.user = user
        self.threshold = threshold
        self.pending = pending
        self.off_reason: str | None = None
        self.lost: SessionNote | None = None  # a note neither the store nor the records took
        self._vectors: dict[str, list[float]] = {}

    @property
    def available(self) -> bool:
        return self.off_reason is None

    def _safely(self, action: Callable[[], T], fallback: T) -> T:
        if not self.available:
            return fallback
        try:
            return action()
        except Exception as exc:  # a store failure must never end the conversation
            self.off_reason = str(exc) if isinstance(exc, CoachError) else repr(exc)
            return fallback

    def warm_up(self) -> None:
        """Let the embedder load in the background, ready for the next turn's recall."""
        self._safely(self.store.embedder.warm_up, None)

    def commitment_to_follow_up(self) -> Commitment | None:
        """The open commitment due soonest, if any."""
        open_ones = self.open_commitments()
        return open_ones[0] if open_ones else None

    def open_commitments(self) -> list[Commitment]:
        """The user's open commitments."""
        empty: list[Commitment] = []
        return self._safely(lambda: self.store.commitments(self.user, "open"), empty)

    def relevant(self, said: Sequence[str], exclude_session: str, k: int = 2) -> list[SessionNote]:
        """Earlier notes relevant to the mentee's recent messages, above the similarity threshold.

        Each message is embedded once, when it first takes part, and the query is the sum of
        the messages' vectors, so a turn embeds only its new message. While the embedder is
        still loading, recall skips this turn rather than keep the mentee waiting; it joins in
        from the next turn.
        """
        texts = [text for text in said if text.strip()]
        if not texts or not self.store.embedder.ready:
            return []
        none: list[NoteHit] = []
        hits = self._safely(lambda: self._search(texts, k + 1), none)
        return [hit.note for hit in hits if hit.note.session != exclude_session][:k]

    def _search(self, texts: list[str], k: int) -> list[NoteHit]:
        new = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if new:
            self._vectors.update(zip(new, self.store.embedder.embed(new), strict=True))
        self._vectors = {text: self._vectors[text] for text in texts}  # keep only these
        total = np.sum([self._vectors[text] for text in texts], axis=0)
        query = total / (np.linalg.norm(total) or 1.0)
        return self.store.search(self.user, " ".join(texts), k, self.threshold, query.tolist())

    def mark(self, commitment_id: str, status: CommitmentStatus) -> bool:
        def update() -> bool:
            self.store.set_status(self.user, commitment_id, status)
            return True

        return self._safely(update, False)

    def save(self, note: SessionNote) -> bool:
        """Keep the note in the store; if the store fails, keep it on disk for next time."""

        def add() -> bool:
            self.store.add_note(self.user, note)
            return True

        saved = self._safely(add, False)
        if not saved and self.pending is not None:
            try:
                self.pending.keep(note)
            except RecordsUnavailable as exc:  # neither store answers: the caller keeps it
                logger.warning("A note could not be kept for later either: %s", exc)
                self.lost = note
        return saved


def follow_up_question(commitment: Commitment) -> str:
    due = f" (due {commitment.due.strftime('%A %-d %B')})" if commitment.due else ""
    return render("follow_up", commitment=commitment.text.rstrip("."), due=due)


def memory_prompt(notes: list[SessionNote], commitments: list[Commitment]) -> str | None:
    """Notes and open commitments as quoted data for the prompt, or None when there are none."""
    items = [json.dumps(note.as_text()[:MAX_NOTE_CHARS], ensure_ascii=False) for note in notes]
    items += [json.dumps(f"Open commitment: {c.text}", ensure_ascii=False) for c in commitments]
    if not items:
        return None
    return render("memory", notes="\n".join(f"- {item}" for item in items))


class PendingNotes:
    """Notes that could not reach the store, kept in the records database until it can."""

    def __init__(self, records: Database, user: str) -> None:
        self.records = records
        self.user = check_user(user)

    def keep(self, note: SessionNote) -> None:
        with self.records.write() as connection:
            ensure_profile(connection, self.user)
            values = {
                "user_id": self.user,
                "session_id": note.session,
                "body": note.model_dump_json(),
                "kept_at": datetime.now(UTC),
            }
            upsert(connection, pending_notes, values, ["user_id", "session_id"])

    def waiting(self) -> list[SessionNote]:
        """The kept notes, oldest first."""
        with self.records.read() as connection:
            bodies = connection.execute(
                select(pending_notes.c.body)
                .where(pending_notes.c.user_id == self.user)
                .order_by(pending_notes.c.kept_at)
            ).scalars()
            return [SessionNote.model_validate_json(body) for body in bodies]

    def flush(self, store: NoteStore) -> int:
        """Move kept notes into the store; returns how many were moved."""
        moved = 0
        for note in self.waiting():
            store.add_note(self.user, note)
            with self.records.write() as connection:
                connection.execute(
                    delete(pending_notes).where(
                        pending_notes.c.user_id == self.user,
                        pending_notes.c.session_id == note.session,
                    )
                )
            moved += 1
        return moved


def open_session_memory(settings: Settings, user: str) -> tuple[SessionMemory | None, str | None]:
    """The session's memory, or None and the reason memory is off."""
    if not settings.memory:
        return None, None
    pending = PendingNotes(open_records(settings), user)
    try:
        store = NoteStore.open(settings, get_embedder(settings))
        store.commitments(user)  # touch the store now, so a broken one is found at the start
        pending.flush(store)
    except CoachError as exc:
        return None, render("memory_off", problem=str(exc).rstrip("."))
    return SessionMemory(store, user, settings.recall_threshold, pending), None
