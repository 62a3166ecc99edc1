"""Twenty sessions at once against one note store, local and server: no turn lost or crossed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from coach.memory import Embedder, NoteStore
from coach.memory.recall import SessionMemory
from coach.providers import ScriptedProvider
from coach.session import CoachSession
from coach.settings import Settings, load_settings

SESSIONS = 20
TURNS = 5


def mentee_lines(user: str) -> list[str]:
    return [
        f"I am {user} and my manager presented my analysis as his own work.",
        f"As {user}, I felt invisible in that meeting.",
        f"What {user} wants is for the directors to know my work.",
        f"{user} could ask to present the next analysis.",
        f"I'll ask my manager about it on Friday, says {user}.",
    ]


def rehearse(store: NoteStore, settings: Settings, user: str) -> str:
    """One mentee's whole session: five turns, then the note."""
    replies = [f"What would make step {n} feel possible for {user}?" for n in range(12)]
    memory = SessionMemory(store, user, settings.recall_threshold)
    session = CoachSession(ScriptedProvider(replies), settings, user=user, memory=memory)
    session.opening()
    for line in mentee_lines(user):
        result = session.turn(line)
        assert result.reply, result.error
    assert session.close() is not None
    return session.session_id


def run_at_once(store: NoteStore, settings: Settings) -> None:
    users = [f"load{n:02d}" for n in range(SESSIONS)]
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        session_ids = dict(
            zip(users, pool.map(lambda u: rehearse(store, settings, u), users), strict=True)
        )

    for user, session_id in session_ids.items():
        others = [u for u in users if u != user]
        records = CoachSession(
            ScriptedProvider(), settings, user=user, session_id=session_id
        ).records
        mentee = [r.text for r in records if r.role == "mentee"]
        assert mentee == mentee_lines(user), f"{user}: lost or reordered turns"
        coach = [r.text for r in records if r.role == "coach"]
        assert len(coach) == TURNS
        assert not any(other in text for text in coach + mentee for other in others), user
        [note] = store.notes(user)
        assert note.user == user and user in note.dilemma
        assert all(user in c.text for c in store.commitments(user))
        assert all(user in hit.note.dilemma for hit in store.search(user, "analysis", 5, 0.0))


@pytest.mark.slow
def test_twenty_sessions_at_once_on_the_local_store(
    isolated_env: Path, store: NoteStore, settings: Settings
) -> None:
    run_at_once(store, settings)


@pytest.mark.slow
def test_twenty_sessions_at_once_on_a_chroma_server(
    isolated_env: Path, chroma_url: str, embedder: Embedder
) -> None:
    settings = load_settings(provider="scripted", chroma_url=chroma_url)
    run_at_once(NoteStore.open(settings, embedder), settings)
