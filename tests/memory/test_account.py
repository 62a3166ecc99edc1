"""Export and delete cover everything kept for a user, and nothing of anyone else's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from coach.goals.models import CheckIn, Preferences, ReviewRecord
from coach.goals.plan_store import GoalStore
from coach.memory import NoteStore
from coach.memory.account import delete_everything, export_text
from coach.memory.recall import PendingNotes
from coach.memory.store import KINDS
from coach.notes import Commitment, SessionNote
from coach.profiles import ModelChoice, save_choice, set_password
from coach.transcripts import TranscriptRecord, TranscriptStore
from coach.users import user_dir


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
    goals = GoalStore(isolated_env, user)
    goals.add_milestone(f"{user}'s milestone", steps=[(f"{user}'s step", None)])
    goals.set_cadence(14, date(2026, 11, 1))
    goals.record_review(ReviewRecord(on=date(2026, 11, 15), wins=[f"{user}'s win"]))
    goals.record_check_in(
        CheckIn(on=date(2026, 11, 8), answer=f"{user}'s check-in answer"), Preferences()
    )


# What the export shows of each kind of file under a user's folder. A file of a kind not named
# here fails the test below, so a new kind of data cannot be left out of the export.
SHOWN_AS = {
    "sessions": "sessions",
    "pending-notes": "notes_waiting_for_the_store",
    "model.json": "profile",
    "password.json": "profile",
    "goals.json": "plan",
}


def test_export_holds_every_kind_of_data(isolated_env: Path, store: NoteStore) -> None:
    everything_of(isolated_env, store, "ana")
    data = json.loads(export_text(store, isolated_env, "ana", "json"))
    text = json.dumps(data)
    for expected in ["ana's dilemma", "Talk to Sam (ana)", "ana said this", "ana's unsynced note"]:
        assert expected in text
    assert data["profile"] == {
        "model": {"provider": "openai", "model": "qwen2.5", "base_url": None},
        "password": "set",
    }
    assert "$argon2" not in text
    for expected in ["ana's milestone", "ana's step", "ana's win", "ana's check-in answer"]:
        assert expected in text
    markdown = export_text(store, isolated_env, "ana", "md")
    for expected in ["ana's dilemma", "ana's milestone", "ana's win", "ana's check-in answer"]:
        assert expected in markdown


def test_every_file_kept_for_a_user_is_in_the_export(isolated_env: Path, store: NoteStore) -> None:
    everything_of(isolated_env, store, "ana")
    data = json.loads(export_text(store, isolated_env, "ana", "json"))
    folder = user_dir(isolated_env, "ana")
    kept = [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()]
    assert kept
    for path in kept:
        kind = path.parts[0]
        assert kind in SHOWN_AS, f"{path} is kept for the user but the export does not show it"
        assert data[SHOWN_AS[kind]], f"{path} is kept but its part of the export is empty"
    for collection in KINDS:  # and every kind of collection the note store keeps for a user
        assert data[collection], f"the {collection} collection is not in the export"


def test_delete_removes_everything_of_one_user_only(isolated_env: Path, store: NoteStore) -> None:
    everything_of(isolated_env, store, "ana")
    everything_of(isolated_env, store, "ben")
    delete_everything(store, isolated_env, "ana")
    assert store.notes("ana") == [] and store.commitments("ana") == []
    assert store.search("ana", "dilemma", 5, 0.0) == []
    assert [p.name for p in (isolated_env / "users").iterdir()] == ["ben"]
    assert [n.dilemma for n in store.notes("ben")] == ["ben's dilemma"]
    assert TranscriptStore(isolated_env, "ben").load("s1")[0].text == "ben said this"
