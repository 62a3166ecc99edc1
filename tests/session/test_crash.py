"""kill -9 at the worst moments: mid-stream, mid-summary, mid-note-write.

A child process runs the coach against a slow server on loopback and is killed with SIGKILL;
the test then reopens everything, as a restarted app would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.memory import NoteStore, get_embedder
from coach.providers import ScriptedProvider
from coach.session import CoachSession
from coach.settings import load_settings
from coach.transcripts import TranscriptRecord
from tests.fake_openai import FakeOpenAI, fake_openai

pytestmark = pytest.mark.slow  # sessions killed in a subprocess

ROOT = Path(__file__).parents[2]
MESSAGE = "My manager keeps presenting my analysis as his own work."

CHILD = """
import sys
from coach.providers.openai_compat import OpenAIProvider
from coach.session import CoachSession, Delta
from coach.settings import load_settings

settings = load_settings(provider="scripted")
provider = OpenAIProvider("fake", sys.argv[1], None, timeout_s=30)
session = CoachSession(provider, settings, user="ana", session_id="crash1")
session.turn("First, the background: I have been in this team two years.")
print("READY", flush=True)
for event in session.stream_turn(sys.argv[2]):
    if isinstance(event, Delta):
        print("STREAMING", flush=True)
if sys.argv[3] == "summarising":
    print("SUMMARISING", flush=True)
    session.draft_note()
"""

NOTE_WRITER = """
from datetime import date
from coach.memory import NoteStore, get_embedder
from coach.notes import Commitment, SessionNote
from coach.settings import load_settings

settings = load_settings()
store = NoteStore.open(settings, get_embedder(settings))
for n in range(10_000):
    store.add_note("ana", SessionNote(
        user="ana", session=f"s{n}", date=date(2026, 11, 1), dilemma=f"Dilemma number {n}",
        commitments=[Commitment(text=f"Do thing {n}", session=f"s{n}")],
    ))
    print("WROTE", n, flush=True)
"""


@pytest.fixture
def slow_server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def run_until(script: str, args: list[str], marker: str) -> None:
    """Run ``script`` in a child process and kill -9 it as soon as it prints ``marker``."""
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    try:
        for line in child.stdout:
            if line.startswith(marker):
                break
        else:
            pytest.fail(f"the child ended before {marker}: {child.stderr.read()[-2000:]}")  # type: ignore[union-attr]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def resumed(isolated_env: Path) -> CoachSession:
    settings = load_settings(provider="scripted")
    scripted = ScriptedProvider(["What matters most to you in this?"])
    return CoachSession(scripted, settings, user="ana", session_id="crash1")


@pytest.mark.parametrize("moment", ["STREAMING", "SUMMARISING"])
def test_a_session_killed_mid_stream_or_mid_summary_resumes_with_every_message(
    slow_server: FakeOpenAI, isolated_env: Path, moment: str
) -> None:
    slow_server.then("ok", "trickle", "trickle")
    slow_server.reply = "That sounds hard to watch. What would a good outcome look like for you?"
    run_until(CHILD, [slow_server.url, MESSAGE, moment.lower()], moment)

    session = resumed(isolated_env)
    mentee = [r.text for r in session.records if r.role == "mentee"]
    assert mentee == ["First, the background: I have been in this team two years.", MESSAGE]
    if moment == "STREAMING":
        assert session.pending is not None and session.pending.text == MESSAGE
        assert list(session.retry())[-1].reply == "What matters most to you in this?"  # type: ignore[union-attr]
    session.store.append(
        session.session_id, TranscriptRecord(role="mentee", text="Later.", stage="dilemma")
    )
    assert session.store.load(session.session_id)[-1].text == "Later."


@pytest.mark.slow
def test_a_note_store_killed_mid_write_opens_intact(isolated_env: Path) -> None:
    run_until(NOTE_WRITER, [], "WROTE 40")
    settings = load_settings()
    store = NoteStore.open(settings, get_embedder(settings))
    notes = store.notes("ana")
    assert len(notes) >= 41
    assert {n.session for n in notes} >= {f"s{n}" for n in range(41)}
    assert len(store.commitments("ana")) == len(notes)
    hits = store.search("ana", "Dilemma number 7", 3, 0.0)
    assert hits
