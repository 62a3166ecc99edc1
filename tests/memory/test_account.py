"""Export and delete cover everything kept for a user, and nothing of anyone else's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from coach.memory import NoteStore
from coach.memory.account import delete_everything, export_text
from coach.memory.recall import PendingNotes
from coach.notes import Commitment, SessionNote
from coach.profiles import ModelChoice, save_choice, set_password
from coach.transcripts import TranscriptRecord, TranscriptStore


def note(user: str, session: str, text: str) -> SessionNote:
    commitment = Commitment(text=f"Talk to Sam ({user})", session=session)
    return SessionNote(
        user=user, session=session, date=date(2026, 11, 1), dilemma=text, commitments=[commitment]
    )


def everything_of(isolated_env: Path, store: NoteStore, user: str) -> None:
    store.add_note(user, note(user, "s1", f"{user}'s dilemma"))
    TranscriptStore(isolated_env, user).append(
        "s1", TranscriptRecord(role="mentee", text=f"{user} said this", stage="dilemma")
    )
    PendingNotes(isolated_env, user).keep(note(user, "s2", f"{user}'s unsynced note"))
    save_choice(isolated_env, user, ModelChoice(provider="openai", model="qwen2.5"))
    set_password(isolated_env, user, "correct horse battery")


def test_export_holds_every_kind_of_data(isolated_env: Path, store: NoteStore) -> None:
    everything_of(isolated_env, store, "ana")
    data = json.loads(export_text(store, isolated_env, "ana", "json"))
    text = json.dumps(data)
    for expected in ["ana's dilemma", "Talk to Sam (ana)", "ana said this", "ana's unsynced note"]:
        assert expected in text
    assert data["profile"] == {"model": {"provider": "openai", "model": "qwen2.5",
                                         "base_url": None}, "password": "set"}  # fmt: skip
    assert "$argon2" not in text
    assert "ana's dilemma" in export_text(store, isolated_env, "ana", "md")


def test_delete_removes_everything_of_one_user_only(isolated_env: Path, store: NoteStore) -> None:
    everything_of(isolated_env, store, "ana")
    everything_of(isolated_env, store, "ben")
    delete_everything(store, isolated_env, "ana")
    assert store.notes("ana") == [] and store.commitments("ana") == []
    assert store.search("ana", "dilemma", 5, 0.0) == []
    assert [p.name for p in (isolated_env / "users").iterdir()] == ["ben"]
    assert [n.dilemma for n in store.notes("ben")] == ["ben's dilemma"]
    assert TranscriptStore(isolated_env, "ben").load("s1")[0].text == "ben said this"
