"""Several app processes on one records database and one `chroma run` server, as replicas
behind a load balancer: twenty sessions at once over two replicas, each session carried on by
the other replica, and a replica killed with SIGKILL mid-turn.

On PostgreSQL each replica has its own data folder (another machine); on SQLite they share the
folder that holds the database file (one machine).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.memory import NoteStore, get_embedder
from coach.records import Database
from coach.settings import load_settings
from coach.transcripts import TranscriptStore
from tests.fake_openai import FakeOpenAI, fake_openai

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
SESSIONS, FIRST_MESSAGES = 20, 3
QUESTIONS = [
    "What makes this hard for you?",
    "What would a good outcome look like?",
    "What is one small step you could take?",
    "What would help you take it?",
    "What do you want to remember from today?",
]


def user_of(n: int) -> str:
    return f"user{n % 5}"


def message(n: int, turn: int) -> str:
    return f"I am {user_of(n)} in session {n}, message {turn}."


@pytest.fixture
def replicas(
    database: Database, chroma_url: str, tmp_path: Path, isolated_env: Path
) -> dict[str, dict[str, str]]:
    """The environment of each replica: the same database and Chroma server."""
    replies = tmp_path / "replies.jsonl"
    replies.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    shared = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "COACH_CHROMA_URL": chroma_url,
        "COACH_SAFETY_SCREEN": "floor",
        "COACH_SCRIPT_FILE": str(replies),
    }
    if database.dialect == "sqlite":
        return {"a": shared, "b": shared}
    return {name: {**shared, "COACH_DATA_DIR": str(tmp_path / name)} for name in ("a", "b")}


def chat(env: dict[str, str], n: int, turns: range) -> subprocess.Popen[str]:
    """A `coach chat` process for session ``n``, its messages on stdin."""
    command = ["chat", "--provider", "scripted", "--user", user_of(n), "--session", f"s{n}"]
    child = subprocess.Popen(
        [sys.executable, "-m", "coach", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert child.stdin is not None
    child.stdin.write("".join(message(n, turn) + "\n" for turn in turns))
    child.stdin.close()
    return child


def finish(children: list[subprocess.Popen[str]]) -> None:
    for child in children:
        child.wait(timeout=600)
        assert child.returncode == 0, child.stderr.read()[-2000:] if child.stderr else ""


def test_twenty_sessions_over_two_replicas_lose_and_cross_nothing(
    replicas: dict[str, dict[str, str]], database: Database, chroma_url: str
) -> None:
    first = range(FIRST_MESSAGES)
    finish([chat(replicas["a" if n % 2 else "b"], n, first) for n in range(SESSIONS)])
    later = range(FIRST_MESSAGES, FIRST_MESSAGES + 1)  # each session goes on on the other one
    finish([chat(replicas["b" if n % 2 else "a"], n, later) for n in range(SESSIONS)])

    for n in range(SESSIONS):
        records = TranscriptStore(database, user_of(n)).load(f"s{n}")
        mentee = [r.text for r in records if r.role == "mentee"]
        assert mentee == [message(n, turn) for turn in range(FIRST_MESSAGES + 1)], n
        replies = [r for r in records if r.role == "coach" and r.source != "follow_up"]
        assert len(replies) == len(mentee), n  # every message answered, once
        assert all(r.text.endswith("?") for r in replies), n
    for user in {user_of(n) for n in range(SESSIONS)}:
        owned = TranscriptStore(database, user).sessions()
        assert sorted(owned) == sorted(f"s{n}" for n in range(SESSIONS) if user_of(n) == user)
    settings = load_settings(chroma_url=chroma_url)
    store = NoteStore.open(settings, get_embedder(settings))
    noted = {note.session for n in range(5) for note in store.notes(user_of(n))}
    assert noted == {f"s{n}" for n in range(SESSIONS)}  # one note each, from either replica


KILLED = """
import sys
from coach.providers.openai_compat import OpenAIProvider
from coach.session import CoachSession, Delta
from coach.settings import load_settings

settings = load_settings(provider="scripted")
provider = OpenAIProvider("fake", sys.argv[1], None, timeout_s=30)
session = CoachSession(provider, settings, user="user1", session_id="s1")
for event in session.stream_turn(sys.argv[2]):
    if isinstance(event, Delta):
        print("STREAMING", flush=True)
"""


@pytest.fixture
def slow_server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def test_a_replica_killed_mid_turn_loses_nothing_and_the_other_carries_on(
    replicas: dict[str, dict[str, str]], database: Database, slow_server: FakeOpenAI
) -> None:
    slow_server.then("ok", "trickle", "trickle")
    slow_server.reply = "That sounds hard. What would a good outcome look like for you?"
    killed = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED), slow_server.url, message(1, 0)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**replicas["a"], "COACH_CHROMA_URL": ""},
    )
    assert killed.stdout is not None
    try:
        assert killed.stdout.readline().startswith("STREAMING")
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    assert killed.returncode == -signal.SIGKILL

    finish([chat(replicas["b"], 1, range(1, 2))])  # the other replica answers, then goes on
    records = TranscriptStore(database, "user1").load("s1")
    assert [r.text for r in records if r.role == "mentee"] == [message(1, 0), message(1, 1)]
    assert [r.role for r in records] == ["mentee", "coach", "mentee", "coach"]
