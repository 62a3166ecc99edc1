"""Memory from the command line: follow-up across two piped chats, notes, history, delete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_chat import script

pytestmark = pytest.mark.slow  # each test runs the coach command in a subprocess


def coach(args: list[str], stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=stdin,
        capture_output=True,
        timeout=180,
        # Notes, not screening, are under test here.
        env={**os.environ, "COACH_SAFETY_SCREEN": "floor", **env},
    )


@pytest.fixture(scope="module")
def two_sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two piped chats for one user: the second should follow up on the first."""
    data = tmp_path_factory.mktemp("data")
    replies = script(data, "What makes it hard?", "What will you say to Dana?")
    env = {"COACH_DATA_DIR": str(data), "COACH_SCRIPT_FILE": replies}
    first = coach(
        ["chat", "--provider", "scripted", "--user", "cleo"],
        b"My manager presents my ideas as his own.\nI'll ask Dana for feedback on Friday.\n",
        **env,
    )
    assert first.returncode == 0, first.stderr
    assert b"with its note" in first.stderr
    second = coach(
        ["chat", "--provider", "scripted", "--user", "cleo"],
        b"I did it and she agreed to back me.\n",
        **env,
    )
    assert second.returncode == 0, second.stderr
    (data / "second.out").write_bytes(second.stdout)
    (data / "second.err").write_bytes(second.stderr)
    return data


def test_the_second_chat_follows_up(two_sessions: Path) -> None:
    opening = (two_sessions / "second.out").read_text().splitlines()[0]
    assert "I'll ask Dana for feedback on Friday" in opening and "What happened?" in opening
    assert "as done" in (two_sessions / "second.err").read_text()


def test_notes_list_show_and_export(two_sessions: Path) -> None:
    env = {"COACH_DATA_DIR": str(two_sessions)}
    listed = json.loads(coach(["notes", "list", "--user", "cleo", "--json"], **env).stdout)
    assert len(listed) == 2
    assert listed[0]["commitments"][0]["status"] == "done"
    shown = coach(["notes", "show", listed[0]["session"], "--user", "cleo"], **env)
    assert b"My manager presents my ideas" in shown.stdout
    exported_md = coach(["notes", "export", "--user", "cleo", "--format", "md"], **env)
    assert exported_md.returncode == 0, exported_md.stderr
    assert b"# Coaching notes for cleo" in exported_md.stdout and b"[done]" in exported_md.stdout
    exported = json.loads(coach(["notes", "export", "--user", "cleo"], **env).stdout)
    assert len(exported["notes"]) == 2 and len(exported["sessions"]) == 2


def test_history_lists_sessions_with_their_turns(two_sessions: Path) -> None:
    env = {"COACH_DATA_DIR": str(two_sessions)}
    history = json.loads(coach(["history", "--user", "cleo", "--json"], **env).stdout)
    assert len(history) == 2
    assert [t["role"] for t in history[1]["turns"]][:2] == ["coach", "mentee"]
    assert coach(["history", "--user", "nobody", "--json"], **env).stdout.strip() == b"[]"


def test_delete_needs_confirmation_and_then_removes_everything(tmp_path: Path) -> None:
    env = {"COACH_DATA_DIR": str(tmp_path), "COACH_SCRIPT_FILE": script(tmp_path, "What else?")}
    coach(["chat", "--provider", "scripted", "--user", "dee"], b"I'll call my sister.\n", **env)
    refused = coach(["notes", "delete", "--user", "dee"], **env)
    assert refused.returncode == 2 and b"--yes" in refused.stderr
    assert coach(["notes", "delete", "--user", "dee", "--yes"], **env).returncode == 0
    assert json.loads(coach(["notes", "list", "--user", "dee", "--json"], **env).stdout) == []
    assert json.loads(coach(["history", "--user", "dee", "--json"], **env).stdout) == []


def test_chat_without_a_working_store_still_answers(tmp_path: Path) -> None:
    (tmp_path / "chroma").write_text("not a folder")
    env = {"COACH_DATA_DIR": str(tmp_path), "COACH_SCRIPT_FILE": script(tmp_path, "What next?")}
    result = coach(["chat", "--provider", "scripted", "--user", "eve"], b"A dilemma.\n", **env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"Memory is off" in result.stderr
    assert result.stdout.decode().splitlines()[-1] == "What next?"


def test_a_protected_profile_needs_its_password_on_the_command_line(isolated_env: Path) -> None:
    from coach.profiles import set_password
    from coach.records import records_at

    set_password(records_at(isolated_env), "maya", "correct horse battery")
    closed = coach(["notes", "list", "--user", "maya"])
    assert closed.returncode == 2 and b"COACH_PASSWORD" in closed.stderr
    wrong = coach(["notes", "list", "--user", "maya"], COACH_PASSWORD="wrong guess")
    assert wrong.returncode == 2 and b"Wrong password" in wrong.stderr
    assert b"Traceback" not in closed.stderr + wrong.stderr
    right = coach(["notes", "list", "--user", "maya"], COACH_PASSWORD="correct horse battery")
    assert right.returncode == 0, right.stderr
