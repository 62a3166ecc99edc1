"""A note the mentee edits before it is kept."""

from __future__ import annotations

from datetime import date

import pytest

from coach.notes import Commitment, SessionNote
from coach.notes.editing import NoteEditProblem, commitment_lines, edited_note

NOTE = SessionNote(
    user="erin",
    session="s1",
    date=date(2026, 11, 20),
    dilemma="Whether to ask for a raise.",
    insights=["I have never asked."],
    commitments=[Commitment(id="c1", text="Ask my lead", due=date(2026, 11, 23), session="s1")],
)


def test_commitments_round_trip_through_lines() -> None:
    lines = commitment_lines(NOTE)
    assert lines == "Ask my lead | due 2026-11-23"
    assert edited_note(NOTE, NOTE.dilemma, "", lines, "").commitments == NOTE.commitments


def test_edits_replace_each_part_and_keep_the_commitment_id() -> None:
    note = edited_note(
        NOTE,
        "Whether to ask for a raise this month.",
        "I have never asked.\nMy lead respects directness.",
        "Ask my lead | due 2026-11-30\nWrite down my three wins",
        "What if she says no?",
    )
    assert note.dilemma == "Whether to ask for a raise this month."
    assert note.insights == ["I have never asked.", "My lead respects directness."]
    first, second = note.commitments
    assert first.id == "c1" and first.due == date(2026, 11, 30)
    assert second.text == "Write down my three wins" and second.due is None
    assert second.session == "s1"
    assert note.open_questions == ["What if she says no?"]


@pytest.mark.parametrize(
    ("dilemma", "commitments", "message"),
    [
        ("", "", "needs the dilemma"),
        ("A dilemma.", "Ask my lead | due next week", "write it as 2026-12-01"),
    ],
)
def test_a_bad_edit_says_what_to_fix(dilemma: str, commitments: str, message: str) -> None:
    with pytest.raises(NoteEditProblem, match=message):
        edited_note(NOTE, dilemma, "", commitments, "")
