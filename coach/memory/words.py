"""The lexical channel beside a user's note collection: the BM25 index kept in step with it.

Chroma is the record; the index is derived from it and rebuilt for a user whenever the two hold
a different number of entries (after a crash between the two writes, or an entry another app
server added to a shared Chroma server), checked on the user's first search in this process and
then every ``SYNC_EVERY_S``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from coach.memory.entries import entry_note
from coach.memory.lexical import LexicalIndex

logger = logging.getLogger(__name__)
# Between checks, a note another app server added is found by embeddings only.
SYNC_EVERY_S = 10.0


class WordChannel:
    """Searches and writes of the lexical index for a user's note collection."""

    def __init__(self, index: LexicalIndex) -> None:
        self.index = index
        self._synced: dict[str, float] = {}

    def matches(
        self, user: str, collection: Any, query: str, k: int, reads: int
    ) -> list[tuple[str, str, float]]:
        """(note id, its best matching entry, that entry's BM25 score), best first, from
        ``k * reads`` entries read. Empty when the index cannot be read."""
        try:
            self._sync(user, collection)
            entries = self.index.search(user, query, k * reads)
        except sqlite3.Error as exc:
            logger.warning("The lexical index could not be searched (%s); embeddings only.", exc)
            return []
        best: dict[str, tuple[str, float]] = {}
        for entry, score in entries:
            best.setdefault(entry_note(entry), (entry, score))
        return [(note, entry, score) for note, (entry, score) in list(best.items())[:k]]

    def write(self, user: str, entries: list[tuple[str, str]], stale: list[str]) -> None:
        """Add or replace ``entries`` and forget ``stale`` ones of the user's."""
        try:
            self.index.add(user, entries)
            if stale:
                self.index.remove(user, stale)
        except sqlite3.Error as exc:  # Chroma has the note; the index catches up on next search
            logger.warning("The lexical index could not be updated (%s).", exc)

    def forget(self, user: str) -> None:
        self._synced.pop(user, None)
        self.index.remove_user(user)

    def _sync(self, user: str, collection: Any) -> None:
        now = time.monotonic()
        if now - self._synced.get(user, -SYNC_EVERY_S) < SYNC_EVERY_S:
            return
        self._synced[user] = now
        if self.index.count(user) == collection.count():
            return
        got = collection.get(include=["documents"])
        self.index.rebuild(user, zip(got["ids"], got["documents"], strict=True))
        logger.info("The lexical index of %s was rebuilt from the note store.", user)
