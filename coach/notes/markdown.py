"""Notes as Markdown, for people to read and keep. The mentee's words are shown literally."""

from __future__ import annotations

from collections.abc import Sequence

from coach.notes.models import Commitment, SessionNote
from coach.text import markdown_literal


def _commitment_line(commitment: Commitment) -> str:
    due = f" (due {commitment.due.isoformat()})" if commitment.due else ""
    return f"- [{commitment.status}] {markdown_literal(commitment.text)}{due}"


def note_markdown(note: SessionNote) -> str:
    lines = [
        f"## {note.date.isoformat()} · session {note.session}",
        "",
        f"**Dilemma:** {markdown_literal(note.dilemma)}",
        "",
        f"**Stage reached:** {note.stage}",
    ]
    if "crisis" in note.flags:
        lines += ["", "**Flag:** this session was paused for safety."]
    elif "check_in" in note.flags:
        lines += ["", "**Flag:** the coach checked on the mentee's safety in this session."]
    for title, items in [("Insights", note.insights), ("Open questions", note.open_questions)]:
        if items:
            lines += ["", f"**{title}:**", *[f"- {markdown_literal(item)}" for item in items]]
    if note.commitments:
        lines += ["", "**Commitments:**", *[_commitment_line(c) for c in note.commitments]]
    return "\n".join(lines) + "\n"


def notes_markdown(user: str, notes: Sequence[SessionNote], open_ones: Sequence[Commitment]) -> str:
    parts = [f"# Coaching notes for {user}", ""]
    if open_ones:
        parts += ["**Open commitments:**", *[_commitment_line(c) for c in open_ones], ""]
    parts += [note_markdown(note) for note in notes] or ["No notes yet.\n"]
    return "\n".join(parts)
