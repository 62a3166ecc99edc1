"""Export and delete cover everything kept for a user, and nothing of anyone else's, on both
record engines."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from coach.goals.models import CheckIn, Preferences, ReviewRecord
from coach.goals.plan_store import GoalStore
from coach.memory import NoteStore
from coach.memory.account import delete_everything, export_text
from coach.memory.recall import PendingNotes
from coach.memory.store import KINDS
from coach.notes import Commitment, SessionNote
from coach.profiles import ModelChoice, list_profiles, save_choice, set_password
from coach.records import Database
from coach.records.schema import metadata
from coach.settings import Settings, load_settings
from coach.transcripts import TranscriptRecord, TranscriptStore


def note(user: str, session: str, text: str) -> SessionNote:
    commitment = Commitment(text=f"Talk to Sam ({user})", session=session)
    return SessionNote(
        user=user, session=session, date=date(2026, 11, 1), dilemma=text, commitments=[commitment]
    )


def everything_of(records: Database, store: NoteStore, user: str) -> None:
    store.add_note(user, note(user, "s1", f"{user}'s dilemma"))
    TranscriptStore(records, user).append(
        "s1", TranscriptRecord(role="mentee", text=f"{user} said this", stage="dilemma")
    )
    PendingNotes(records, user).keep(note(user, "s2", f"{user}'s unsynced note"))
    save_choice(records, user, ModelChoice(provider="openai", model="qwen2.5"))
    set_password(records, user, "correct horse battery")
    goals = GoalStore(records, user)
    goals.add_milestone(f"{user}'s milestone", steps=[(f"{user}'s step", None)])
    goals.set_cadence(14, date(2026, 11, 1))
    goals.record_review(ReviewRecord(on=date(2026, 11, 15), wins=[f"{user}'s win"]))
    goals.record_check_in(
        CheckIn(on=date(2026, 11, 8), answer=f"{user}'s check-in answer"), Preferences()
    )


def settings_of(database: Database) -> Settings:
    """The settings that name ``database`` (the fixture sets COACH_DATABASE_URL for PostgreSQL)."""
    settings = load_settings(provider="scripted")
    assert (settings.database_url is None) == (database.dialect == "sqlite")
    return settings


# What the export shows of each table of records. A table not named here fails the test below,
# so a new kind of record cannot be left out of the export.
SHOWN_AS = {
    "transcript_records": "sessions",
    "pending_notes": "notes_waiting_for_the_store",
    "profiles": "profile",
    "plans": "plan",
}


def test_export_holds_every_kind_of_data(database: Database, store: NoteStore) -> None:
    everything_of(database, store, "ana")
    settings = settings_of(database)
    data = json.loads(export_text(store, settings, "ana", "json"))
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
    markdown = export_text(store, settings, "ana", "md")
    for expected in ["ana's dilemma", "ana's milestone", "ana's win", "ana's check-in answer"]:
        assert expected in markdown


def test_every_table_that_keeps_a_users_records_is_in_the_export(
    database: Database, store: NoteStore
) -> None:
    everything_of(database, store, "ana")
    data = json.loads(export_text(store, settings_of(database), "ana", "json"))
    owned = [t for t in metadata.sorted_tables if "user_id" in t.c]
    assert owned
    for table in owned:
        assert table.name in SHOWN_AS, f"{table.name} keeps records the export does not show"
        with database.read() as connection:
            rows = connection.execute(
                select(func.count()).select_from(table).where(table.c.user_id == "ana")
            ).scalar()
        assert rows, f"{table.name} holds nothing for the user: the test data misses a kind"
        shown = data[SHOWN_AS[table.name]]
        if isinstance(shown, dict):  # the profile and the plan are objects: their contents
            shown = [value for value in shown.values() if value]
        assert shown, f"{table.name} is kept but the export shows nothing"
    for collection in KINDS:  # and every kind of collection the note store keeps for a user
        assert data[collection], f"the {collection} collection is not in the export"


def test_delete_removes_everything_of_one_user_only(database: Database, store: NoteStore) -> None:
    everything_of(database, store, "ana")
    everything_of(database, store, "ben")
    settings = settings_of(database)
    (settings.data_dir / "users" / "ana").mkdir(parents=True)  # files from an earlier version
    delete_everything(store, settings, "ana")
    assert store.notes("ana") == [] and store.commitments("ana") == []
    assert store.search("ana", "dilemma", 5, 0.0) == []
    assert list_profiles(database) == ["ben"]
    assert not (settings.data_dir / "users" / "ana").exists()
    for table in metadata.sorted_tables:
        if "user_id" in table.c:
            with database.read() as connection:
                users = set(connection.execute(select(table.c.user_id)).scalars())
            assert users == {"ben"}, table.name
    assert [n.dilemma for n in store.notes("ben")] == ["ben's dilemma"]
    assert TranscriptStore(database, "ben").load("s1")[0].text == "ben said this"
