"""Transcripts in the records database, on both engines: order, scoping by user, bad session
ids, and many writers at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from coach.errors import ConfigError
from coach.records import Database
from coach.transcripts import TranscriptRecord, TranscriptStore


def said(text: str, role: str = "mentee") -> TranscriptRecord:
    return TranscriptRecord(role=role, text=text, stage="dilemma")  # type: ignore[arg-type]


def test_records_come_back_in_the_order_written_whole(database: Database) -> None:
    store = TranscriptStore(database, "ana")
    first = said("Ünïcode, emoji 🙂 and\nnewlines kept.")
    store.append("s1", first)
    store.append("s1", said("What matters most here?", "coach"))
    loaded = store.load("s1")
    assert loaded[0] == first
    assert [r.role for r in loaded] == ["mentee", "coach"]


def test_sessions_are_listed_by_their_last_message(database: Database) -> None:
    store = TranscriptStore(database, "ana")
    for session in ("s1", "s2", "s1", "s3"):
        store.append(session, said(f"in {session}"))
    assert store.sessions() == ["s2", "s1", "s3"]


def test_one_user_never_reads_another_users_session(database: Database) -> None:
    TranscriptStore(database, "ana").append("shared1", said("Ana's private words."))
    ben = TranscriptStore(database, "ben")
    assert ben.load("shared1") == [] and ben.sessions() == []


@pytest.mark.parametrize("session_id", ["", "../x", "a b", "x" * 65, "s1'; DROP TABLE x;--"])
def test_a_bad_session_id_gets_a_message(database: Database, session_id: str) -> None:
    with pytest.raises(ConfigError, match="not a session id"):
        TranscriptStore(database, "ana").append(session_id, said("Hello."))


def test_many_writers_at_once_lose_and_cross_nothing(database: Database) -> None:
    """Twenty sessions written at once, ten messages each, from a pool of threads."""

    def converse(n: int) -> None:
        store = TranscriptStore(database, f"user{n % 5}")
        for turn in range(10):
            store.append(f"session{n}", said(f"user{n % 5} session{n} turn{turn}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(converse, range(20)))
    for n in range(20):
        texts = [r.text for r in TranscriptStore(database, f"user{n % 5}").load(f"session{n}")]
        assert texts == [f"user{n % 5} session{n} turn{turn}" for turn in range(10)]
