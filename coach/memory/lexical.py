"""The lexical channel: BM25 over each user's stored entries, in SQLite FTS5.

Chroma holds the notes; this index is derived from their text and can always be rebuilt from
it. It finds what embeddings blur: names, places, dates and rare words ("Dana", "the Berlin
offer", "by Friday"). Every read and write names the user, as the note store's do.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import snowballstemmer

from coach.users import check_user

logger = logging.getLogger(__name__)
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Words too common to say which entry is meant; a query of only these finds nothing.
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "i",
        "i'm",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
MAX_QUERY_TERMS = 64
RAREST_TERMS = 6
# A word in more than this share of all entries (and more than COMMON_FLOOR of them) is left out
# of a search: it says too little about which entry is meant to be worth scoring.
COMMON_SHARE = 0.05
COMMON_FLOOR = 20
# FTS5's "porter" tokenizer stems with the original Porter algorithm; so does this.
_STEMMER = snowballstemmer.stemmer("porter")


def open_index(path: Path) -> LexicalIndex:
    """The index at ``path``; a damaged file is moved aside and a new index started (the store
    refills it from Chroma, user by user), with a warning."""
    try:
        index = LexicalIndex(path)
        index.count("check")
        return index
    except sqlite3.DatabaseError as exc:
        aside = path.with_suffix(".damaged")
        path.replace(aside)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        logger.warning(
            "The lexical index %s could not be read (%s); it was moved to %s and is being "
            "rebuilt from the note store.",
            path,
            exc,
            aside,
        )
        return LexicalIndex(path)


class LexicalIndex:
    """Entries (an id and its text) of each user's, searched with BM25. ``path`` None keeps the
    index in memory."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        # A deleted user's words are overwritten on disk, not only unlinked.
        self._db.execute("PRAGMA secure_delete=ON")
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
        with self._lock, self._db:
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS entries USING fts5("
                "user UNINDEXED, entry UNINDEXED, text, tokenize='porter unicode61')"
            )
            # How many entries each user has, kept with every write: counting the full-text
            # table itself reads every row, and the store compares counts on every search.
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS counts (user TEXT PRIMARY KEY, n INTEGER NOT NULL)"
            )
            # How many entries hold each (stemmed) term, to keep a long query to its rarest words.
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab('entries', 'row')"
            )

    def add(self, user: str, entries: Iterable[tuple[str, str]]) -> None:
        """Add or replace entries (id, text) of the user's."""
        check_user(user)
        rows = list(entries)
        with self._lock, self._db:
            deleted = self._db.executemany(
                "DELETE FROM entries WHERE user = ? AND entry = ?", [(user, i) for i, _ in rows]
            ).rowcount
            self._db.executemany(
                "INSERT INTO entries (user, entry, text) VALUES (?, ?, ?)",
                [(user, i, text) for i, text in rows],
            )
            self._db.execute(
                "INSERT INTO counts (user, n) VALUES (?, ?) "
                "ON CONFLICT(user) DO UPDATE SET n = n + excluded.n",
                (user, len(rows) - max(deleted, 0)),
            )

    def remove(self, user: str, entry_ids: Iterable[str]) -> None:
        """Forget these entries of the user's."""
        check_user(user)
        with self._lock, self._db:
            deleted = self._db.executemany(
                "DELETE FROM entries WHERE user = ? AND entry = ?", [(user, i) for i in entry_ids]
            ).rowcount
            self._db.execute(
                "UPDATE counts SET n = max(0, n - ?) WHERE user = ?", (max(deleted, 0), user)
            )

    def remove_user(self, user: str) -> None:
        """Forget everything indexed for the user, and merge the index so no segment keeps it."""
        check_user(user)
        with self._lock, self._db:
            self._db.execute("DELETE FROM entries WHERE user = ?", (user,))
            self._db.execute("DELETE FROM counts WHERE user = ?", (user,))
            self._db.execute("INSERT INTO entries (entries) VALUES ('optimize')")
        if self.path is not None:  # and out of the write-ahead log too
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def rebuild(self, user: str, entries: Iterable[tuple[str, str]]) -> None:
        """Replace everything indexed for the user with ``entries``, in one transaction."""
        check_user(user)
        rows = [(user, i, text) for i, text in entries]
        with self._lock, self._db:
            self._db.execute("DELETE FROM entries WHERE user = ?", (user,))
            self._db.executemany("INSERT INTO entries (user, entry, text) VALUES (?, ?, ?)", rows)
            self._db.execute(
                "INSERT OR REPLACE INTO counts (user, n) VALUES (?, ?)", (user, len(rows))
            )

    def count(self, user: str) -> int:
        check_user(user)
        with self._lock:
            row = self._db.execute("SELECT n FROM counts WHERE user = ?", (user,)).fetchone()
        return int(row[0]) if row else 0

    def search(self, user: str, query: str, k: int = 10) -> list[tuple[str, float]]:
        """The user's entries that best match ``query``'s words, best first, with their BM25
        scores (higher is better). A query of only common words finds nothing."""
        check_user(user)
        if k <= 0:
            return []
        with self._lock:
            expression = match_expression(self._telling_terms(query_terms(query)))
            if expression is None:
                return []
            rows = self._db.execute(
                "SELECT entry, bm25(entries) AS rank FROM entries "
                "WHERE entries MATCH ? AND user = ? ORDER BY rank LIMIT ?",
                (expression, user, k),
            ).fetchall()
        return [(str(entry), -float(rank)) for entry, rank in rows]

    def _telling_terms(self, terms: list[str]) -> list[str]:
        """At most ``RAREST_TERMS`` of ``terms``: those in fewest entries, none in no entry, and
        none in more than ``COMMON_SHARE`` of the entries.

        A common word adds little to a BM25 ranking but makes FTS5 score every entry that holds
        it; a long query (the mentee's last messages) is cut to its rarest words."""
        if not terms:
            return terms
        stems = _STEMMER.stemWords(terms)
        marks = ",".join("?" * len(stems))
        counts = dict(
            self._db.execute(f"SELECT term, doc FROM vocab WHERE term IN ({marks})", stems)
        )
        total = self._db.execute("SELECT coalesce(sum(n), 0) FROM counts").fetchone()[0]
        limit = max(COMMON_FLOOR, COMMON_SHARE * total)
        held = [(counts[s], i) for i, s in enumerate(stems) if 0 < counts.get(s, 0) <= limit]
        return [terms[i] for _, i in sorted(held)[:RAREST_TERMS]]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def query_terms(query: str) -> list[str]:
    """The query's words that could tell one entry from another: no stop words, no repeats."""
    terms: list[str] = []
    for token in _TOKEN.findall(query.lower()):
        if token not in _STOP_WORDS and token not in terms:
            terms.append(token)
    return terms[:MAX_QUERY_TERMS]


def match_expression(terms: list[str]) -> str | None:
    """An FTS5 query that finds entries with any of ``terms`` (each quoted, so no word is read
    as FTS5 syntax); None when there are none."""
    return " OR ".join(f'"{term}"' for term in terms) if terms else None
