"""``coach chat`` and ``coach --help`` as a user runs them: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the coach command in a subprocess

COACH = [sys.executable, "-m", "coach"]


def coach(args: list[str], stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    """Run the coach; memory is off unless a test turns it on (tests/cli/test_notes.py does).
    The chat mechanics are tested with the floor of expressions as the screen; the learned
    screen is asked for by the tests of the safety flow."""
    env = {"COACH_MEMORY": "false", "COACH_SAFETY_SCREEN": "floor", **env}
    return subprocess.run(
        COACH + args, input=stdin, capture_output=True, timeout=120, env={**os.environ, **env}
    )


def coach_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    """The coach's replies: every printed line after the opening question."""
    lines = result.stdout.decode().splitlines()
    assert lines and lines[0].endswith("?"), lines
    return lines[1:]


def script(tmp_path: Path, *replies: str) -> str:
    path = tmp_path / "replies.jsonl"
    path.write_text("".join(json.dumps(reply) + "\n" for reply in replies))
    return str(path)


def test_help_documents_every_subcommand() -> None:
    result = coach(["--help"])
    assert result.returncode == 0
    assert b"chat" in result.stdout
    chat_help = coach(["chat", "--help"]).stdout.decode()
    for flag in ["--provider", "--user", "--session"]:
        assert flag in chat_help


def test_piped_chat_prints_one_reply_per_message(tmp_path: Path) -> None:
    replies = script(
        tmp_path, "You should quit. What do you think?", "Do you agree?", "What happened then?"
    )
    stdin = b"My manager takes credit for my work.\nShe did it again on Friday.\n"
    result = coach(
        ["chat", "--provider", "scripted", "--user", "dana"], stdin, COACH_SCRIPT_FILE=replies
    )
    assert result.returncode == 0, result.stderr
    lines = coach_lines(result)
    assert len(lines) == 2
    assert "should" not in lines[0] and lines[0].endswith("?")  # advice replaced twice: fallback
    assert lines[1] == "What happened then?"
    assert b"saved" in result.stderr and b"Traceback" not in result.stderr
    from coach.records import records_at
    from coach.transcripts import TranscriptStore

    sessions = TranscriptStore(records_at(Path(os.environ["COACH_DATA_DIR"])), "dana").sessions()
    assert len(sessions) == 1


def test_invalid_utf8_and_blank_lines_do_not_crash(tmp_path: Path) -> None:
    replies = script(tmp_path, "What matters most here?")
    stdin = b"\n\xff\xfe my boss \xc3 again\n"
    result = coach(["chat", "--provider", "scripted"], stdin, COACH_SCRIPT_FILE=replies)
    assert result.returncode == 0, result.stderr
    lines = coach_lines(result)
    assert len(lines) == 2
    assert "tell me a little more" in lines[0]
    assert lines[1] == "What matters most here?"


def test_a_bad_setting_is_a_message_not_a_traceback() -> None:
    result = coach(["chat"], b"hello\n", COACH_PROVIDER="gpt5")
    assert result.returncode == 2
    assert b"COACH_PROVIDER" in result.stderr and b"Traceback" not in result.stderr


def test_a_bad_profile_name_is_a_message_not_a_traceback() -> None:
    result = coach(["chat", "--provider", "scripted", "--user", "../etc"], b"hi\n")
    assert result.returncode == 2
    assert b"profile name" in result.stderr and b"Traceback" not in result.stderr


def test_an_unreachable_server_keeps_going_with_a_clear_message() -> None:
    result = coach(
        ["chat", "--provider", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"],
        b"First thing.\nSecond thing.\n",
        COACH_TIMEOUT_S="2",
    )
    assert result.returncode == 1  # it kept going, but a message was left without a reply
    lines = coach_lines(result)
    assert len(lines) == 2 and all("could not reach" in line.lower() for line in lines)
    assert b"Your message is saved: resume with `coach chat --session" in result.stderr


def test_a_piped_goal_setting_session_saves_the_mentees_own_plan(tmp_path: Path) -> None:
    replies = script(
        tmp_path,
        "Leading a project. Why does that matter to you?",
        "Being trusted. What is your first step, and when?",
        "Asking Sam. How often would you like to come back to this?",
        "not a plan",  # the model's plan is not JSON, twice: the mentee's words are kept
        "still not a plan",
    )
    stdin = (
        b"My goal is to lead a project end to end by March.\n"
        b"Because I want to be trusted with the hard problems.\n"
        b"I'll ask Sam for the next project by next Friday. Every two weeks.\n"
    )
    result = coach(
        ["chat", "--provider", "scripted", "--user", "gia", "--mode", "goal-setting"],
        stdin,
        COACH_SCRIPT_FILE=replies,
    )
    assert result.returncode == 0, result.stderr
    assert coach_lines(result)[-1] == "Asking Sam. How often would you like to come back to this?"
    assert b"Milestone " in result.stderr and b"Traceback" not in result.stderr
    status = coach(["status", "--user", "gia", "--json"])
    state = json.loads(status.stdout)
    assert state["every_days"] == 14
    assert [m["title"] for m in state["milestones"]] == [
        "My goal is to lead a project end to end by March."
    ]


def test_an_indirect_signal_is_checked_and_a_plain_no_carries_on(tmp_path: Path) -> None:
    replies = script(tmp_path, "What would pushing back look like for you?")
    stdin = (
        b"My manager keeps moving my deadlines and I don't know whether to push back.\n"
        b"Lately I've been giving my things away. My bike went to my nephew and I've sorted out "
        b"who gets the rest.\n"
        b"No, nothing like that.\n"
        b"Yes, let's carry on.\n"
    )
    result = coach(
        ["chat", "--provider", "scripted", "--user", "kai"],
        stdin,
        COACH_SCRIPT_FILE=replies,
        COACH_DATA_DIR=str(tmp_path),
        COACH_SAFETY_SCREEN="learned",
    )
    assert result.returncode == 0, result.stderr
    lines = coach_lines(result)
    assert lines[0] == "What would pushing back look like for you?"
    assert "ending your life" in lines[1]
    assert "pick up where we left off" in lines[2]
    assert lines[3].endswith("What would pushing back look like for you?")
