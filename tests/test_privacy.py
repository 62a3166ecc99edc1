"""Nobody in: owner-only folders, no telemetry, every store scoped to its user."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from coach.memory import NoteStore, get_embedder
from coach.notes import SessionNote
from coach.records import records_at
from coach.session import TranscriptRecord, TranscriptStore
from coach.settings import load_settings

ROOT = Path(__file__).parents[1]


def test_the_app_sends_no_usage_statistics() -> None:
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "streamlit"), "config", "show"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "\ngatherUsageStats = false\n" in shown
    assert '\naddress = "127.0.0.1"\n' in shown  # served on loopback unless asked otherwise


def test_the_note_store_sends_no_telemetry_and_its_files_are_owner_only(
    isolated_env: Path,
) -> None:
    settings = load_settings()
    store = NoteStore.open(settings, get_embedder(settings))
    assert store._client.get_settings().anonymized_telemetry is False
    TranscriptStore(records_at(isolated_env), "ana").append(
        "s1", TranscriptRecord(role="mentee", text="Private words.", stage="dilemma")
    )
    for folder in [isolated_env, isolated_env / "chroma"]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    records = sorted(isolated_env.glob("coach.db*"))  # the database (and its WAL while open)
    assert records[0].name == "coach.db"
    for path in records:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_one_user_never_sees_another_s_notes_or_transcripts(isolated_env: Path) -> None:
    settings = load_settings()
    store = NoteStore.open(settings, get_embedder(settings))
    from datetime import date

    dilemma = "Ana's private dilemma about her manager"
    on = date(2026, 11, 1)
    store.add_note("ana", SessionNote(user="ana", session="a1", date=on, dilemma=dilemma))
    assert store.notes("ben") == []
    assert store.search("ben", "private dilemma about her manager", 5, 0.0) == []
    assert TranscriptStore(records_at(isolated_env), "ben").sessions() == []
