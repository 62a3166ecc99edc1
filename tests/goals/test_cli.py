"""`coach goals`, `coach status --json` and `coach journal` end to end, in process."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from coach.cli.main import main
from coach.memory import NoteStore, get_embedder
from coach.settings import load_settings


def coach(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_goals_add_update_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    add = [
        "goals",
        "add",
        "--user",
        "ann",
        "Lead a project end to end",
        "--why",
        "I want to be trusted",
        "--step",
        "Ask Sam | tomorrow",
    ]
    code, out, _ = coach(capsys, *add)
    assert code == 0 and out.startswith("Added ")
    milestone = out.split()[1].rstrip(":")
    code, out, _ = coach(capsys, "goals", "list", "--user", "ann", "--json")
    [saved] = json.loads(out)["milestones"]
    step = saved["steps"][0]
    assert step["due"] == (date.today() + timedelta(days=1)).isoformat()
    assert coach(capsys, "goals", "update", "--user", "ann", "--every", "every two weeks")[0] == 0
    code, out, _ = coach(
        capsys,
        "goals",
        "update",
        "--user",
        "ann",
        milestone,
        "--step",
        step["id"],
        "--step-status",
        "done",
    )
    assert code == 0 and "is done" in out
    code, out, _ = coach(capsys, "status", "--user", "ann", "--json")
    state = json.loads(out)
    assert state["every_days"] == 14 and state["next_session_due"] == date.today().isoformat()
    assert state["milestones"][0]["progress"] == 1.0 and state["overdue"] == []
    code, out, _ = coach(capsys, "status", "--user", "ann")
    assert "Next session due" in out and "100%  Lead a project end to end" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["goals", "add", "--user", "ann", "  "], "The milestone is empty"),
        (["goals", "add", "--user", "ann", "Speak up", "--step", "Ask | last week"], "in the past"),
        (["goals", "add", "--user", "ann", "Speak up", "--step", "Ask | soonish"], "not a date"),
        (["goals", "update", "--user", "ann", "--every", "sometimes"], "not a rhythm"),
        (["goals", "update", "--user", "ann", "nope", "--title", "x"], "no milestone"),
        (["journal", "--user", "ann", "   "], "journal entry is empty"),
    ],
)
def test_bad_input_gets_a_message_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = coach(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_fourth_milestone_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for title in ["One", "Two", "Three"]:
        assert coach(capsys, "goals", "add", "--user", "ann", title)[0] == 0
    code, _, err = coach(capsys, "goals", "add", "--user", "ann", "Four")
    assert code == 2 and "already have 3 active milestones" in err and "Review" in err
    _, out, _ = coach(capsys, "goals", "list", "--user", "ann")
    assert "Four" not in out and out.count("[active]") == 3


def test_journal_entries_are_recalled_like_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        coach(
            capsys,
            "journal",
            "--user",
            "ann",
            "Speaking first in the design review made me feel braver than I expected.",
        )[0]
        == 0
    )
    assert coach(capsys, "journal", "--user", "ann", "Bought new running shoes.")[0] == 0
    settings = load_settings(user="ann")
    store = NoteStore.open(settings, get_embedder(settings))
    hits = store.search("ann", "I was nervous about talking in the architecture meeting", k=1)
    assert [h.note.dilemma for h in hits] == [
        "Speaking first in the design review made me feel braver than I expected."
    ]
    assert hits[0].note.as_text().startswith("Journal entry: ")
