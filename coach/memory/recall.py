"""What one session remembers: open commitments to follow up, and notes relevant to the talk.

Every call is scoped to the session's user. If the store fails, memory switches off for the
rest of the session, with a message to show, and the conversation carries on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from coach.errors import CoachError
from coach.memory.embedders import get_embedder
from coach.memory.store import NoteHit, NoteStore
from coach.notes.models import Commitment, CommitmentStatus, SessionNote
from coach.prompts import render
from coach.settings import Settings

T = TypeVar("T")
MAX_NOTE_CHARS = 400


class SessionMemory:
    """The note store, seen from one user's session."""

    def __init__(self, store: NoteStore, user: str, threshold: float) -> None:
        self.store = store
        self.user = user
        self.threshold = threshold
        self.off_reason: str | None = None

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
        open_ones = self.store_commitments()
        return open_ones[0] if open_ones else None

    def store_commitments(self) -> list[Commitment]:
        """The user's open commitments."""
        empty: list[Commitment] = []
        return self._safely(lambda: self.store.commitments(self.user, "open"), empty)

    def relevant(self, text: str, exclude_session: str, k: int = 2) -> list[SessionNote]:
        """Earlier notes relevant to ``text``, above the similarity threshold.

        While the embedder is still loading, recall skips this turn rather than keep the
        mentee waiting; it joins in from the next turn.
        """
        if not self.store.embedder.ready:
            return []
        none: list[NoteHit] = []
        hits = self._safely(lambda: self.store.search(self.user, text, k + 1, self.threshold), none)
        return [hit.note for hit in hits if hit.note.session != exclude_session][:k]

    def mark(self, commitment_id: str, status: CommitmentStatus) -> bool:
        def update() -> bool:
            self.store.set_status(self.user, commitment_id, status)
            return True

        return self._safely(update, False)

    def save(self, note: SessionNote) -> bool:
        def add() -> bool:
            self.store.add_note(self.user, note)
            return True

        return self._safely(add, False)


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


def open_session_memory(settings: Settings, user: str) -> tuple[SessionMemory | None, str | None]:
    """The session's memory, or None and the reason memory is off."""
    if not settings.memory:
        return None, None
    try:
        store = NoteStore.open(settings, get_embedder(settings))
        store.commitments(user)  # touch the store now, so a broken one is found at the start
    except CoachError as exc:
        return None, render("memory_off", problem=str(exc).rstrip("."))
    return SessionMemory(store, user, settings.recall_threshold), None
