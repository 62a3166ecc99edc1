"""A note the mentee edits before it is kept: plain lines in, a validated note out."""

from __future__ import annotations

from datetime import date

from coach.errors import CoachError
from coach.notes.due_dates import split_dated
from coach.notes.models import Commitment, SessionNote

SEPARATOR = " | due "


class NoteEditProblem(CoachError):
    """An edited note that cannot be kept as it is; the message says which line to fix."""


def commitment_lines(note: SessionNote) -> str:
    """One commitment per line, with its due date after " | due " when it has one."""
    return "\n".join(
        c.text + (f"{SEPARATOR}{c.due.isoformat()}" if c.due else "") for c in note.commitments
    )


def _commitment(line: str, session: str, kept: dict[str, Commitment]) -> Commitment:
    text, due_text = split_dated(line)
    due = None
    if due_text:
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            raise NoteEditProblem(
                f'The due date in "{line.strip()}" is not a date; write it as 2026-12-01.'
            ) from None
    earlier = kept.get(text.lower())
    if earlier is not None:
        return earlier.model_copy(update={"due": due})
    return Commitment(text=text, due=due, session=session)


def edited_note(
    note: SessionNote, dilemma: str, insights: str, commitments: str, open_questions: str
) -> SessionNote:
    """The note with the mentee's edits; each text area holds one item per line."""
    if not dilemma.strip():
        raise NoteEditProblem("The note needs the dilemma, in a sentence.")
    kept = {c.text.lower(): c for c in note.commitments}
    return note.model_copy(
        update={
            "dilemma": dilemma.strip(),
            "insights": _lines(insights),
            "commitments": [_commitment(line, note.session, kept) for line in _lines(commitments)],
            "open_questions": _lines(open_questions),
        }
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
