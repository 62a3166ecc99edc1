"""``coach migrate-files`` on both engines: every kind of file an earlier version kept is
imported, verified count by count, never twice, and the files stay where they were."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.goals.models import GoalPlan, Milestone
from coach.goals.plan_store import GoalStore
from coach.memory.recall import PendingNotes
from coach.notes import SessionNote
from coach.profiles import check_password, is_protected, list_profiles, load_choice
from coach.profiles.password import ProfileLocked
from coach.records import Database
from coach.records.legacy import read_transcript
from coach.transcripts import TranscriptRecord, TranscriptStore


def legacy_folder(data_dir: Path, user: str, messages: int) -> Path:
    """A user's folder as earlier versions wrote it."""
    from argon2 import PasswordHasher

    folder = data_dir / "users" / user
    (folder / "sessions").mkdir(parents=True)
    for session in ("s1", "s2"):
        lines = [
            TranscriptRecord(
                role="mentee" if n % 2 == 0 else "coach", text=f"{user} {session} {n}", stage="x"
            ).model_dump_json()
            for n in range(messages)
        ]
        text = "\n".join(lines) + '\n{"role": "coach", "text": "cut sh'  # a crash mid-write
        (folder / "sessions" / f"{session}.jsonl").write_text(text, encoding="utf-8")
    plan = GoalPlan(milestones=[Milestone(title=f"{user}'s milestone", created=date(2026, 11, 1))])
    (folder / "goals.json").write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    (folder / "model.json").write_text(json.dumps({"provider": "scripted"}), encoding="utf-8")
    lock = {"hash": PasswordHasher().hash("correct horse battery"), "failures": 2}
    (folder / "password.json").write_text(json.dumps(lock), encoding="utf-8")
    (folder / "pending-notes").mkdir()
    waiting = SessionNote(user=user, session="s2", date=date(2026, 11, 2), dilemma="waiting")
    (folder / "pending-notes" / "s2.json").write_text(waiting.model_dump_json(), "utf-8")
    return folder


def test_every_kind_of_file_is_imported_and_verified(
    database: Database, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy_folder(isolated_env, "ana", 5)
    legacy_folder(isolated_env, "ben", 3)
    assert main(["migrate-files"]) == 0
    out = capsys.readouterr().out
    assert "ana: 10 of 10 messages (10 added)" in out and "verified" in out
    assert "ben: 6 of 6 messages (6 added)" in out
    assert list_profiles(database) == ["ana", "ben"]
    transcripts = TranscriptStore(database, "ana")
    assert transcripts.sessions() == ["s1", "s2"]
    assert [r.text for r in transcripts.load("s1")] == [f"ana s1 {n}" for n in range(5)]
    assert GoalStore(database, "ana").load().milestones[0].title == "ana's milestone"
    choice = load_choice(database, "ben")
    assert choice is not None and choice.provider == "scripted"
    assert is_protected(database, "ana")
    check_password(database, "ana", "correct horse battery")
    with pytest.raises(ProfileLocked):
        check_password(database, "ana", "wrong")
    assert [n.dilemma for n in PendingNotes(database, "ana").waiting()] == ["waiting"]
    assert (isolated_env / "users" / "ana" / "sessions" / "s1.jsonl").exists()  # left in place


def test_running_it_again_adds_nothing_twice_and_keeps_newer_records(
    database: Database, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy_folder(isolated_env, "ana", 4)
    assert main(["migrate-files"]) == 0
    GoalStore(database, "ana").add_milestone("Changed in the app since")
    TranscriptStore(database, "ana").append(
        "s1", TranscriptRecord(role="mentee", text="A new message.", stage="x")
    )
    capsys.readouterr()
    assert main(["migrate-files"]) == 0
    out = capsys.readouterr().out
    assert "8 of 8 messages (0 added)" in out and "plan newer kept" in out
    assert len(TranscriptStore(database, "ana").load("s1")) == 5
    titles = [m.title for m in GoalStore(database, "ana").load().milestones]
    assert titles == ["ana's milestone", "Changed in the app since"]


def test_a_file_that_cannot_be_read_is_named_and_the_rest_is_imported(
    database: Database, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = legacy_folder(isolated_env, "ana", 2)
    (folder / "goals.json").write_text("{not json", encoding="utf-8")
    assert main(["migrate-files"]) == 1
    out = capsys.readouterr().out
    assert "goals.json cannot be read" in out and "4 of 4 messages" in out
    assert GoalStore(database, "ana").raw() is None


def test_one_user_can_be_imported_alone(database: Database, isolated_env: Path) -> None:
    legacy_folder(isolated_env, "ana", 2)
    legacy_folder(isolated_env, "ben", 2)
    assert main(["migrate-files", "--user", "ben"]) == 0
    assert list_profiles(database) == ["ben"]


def test_nothing_to_import_says_so(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-files"]) == 0
    assert "No users' folders" in capsys.readouterr().out


def test_a_line_a_crash_cut_short_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "s1.jsonl"
    kept = TranscriptRecord(role="mentee", text="Kept.", stage="x").model_dump_json()
    path.write_text(kept + '\n{"role": "coach", "text": "cut sh\n' + kept + "\n")
    assert [r.text for r in read_transcript(path)] == ["Kept.", "Kept."]
