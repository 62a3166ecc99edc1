"""Write a session's note: from a capable model when there is one, else from the extractor.

The model's JSON is validated by pydantic; a failure is fed back for one more try. Whatever goes
wrong, the extractor's note is the floor, so a note is never lost because the model failed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from coach.errors import ProviderError
from coach.notes.extract import extract_note
from coach.notes.models import Commitment, NoteDraft, SessionNote
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.structured import ask_for
from coach.transcripts import TranscriptRecord, is_safety_record


def _transcript(records: Sequence[TranscriptRecord]) -> str:
    said = [r.text for r in records if r.role == "mentee" and not is_safety_record(r)]
    return "\n".join(json.dumps(text, ensure_ascii=False) for text in said)


def draft_from_model(
    provider: ChatProvider, records: Sequence[TranscriptRecord], today: date
) -> NoteDraft:
    """Ask the model for the note, with one corrective retry. Raises ValueError if both fail."""
    messages = [
        ChatMessage(
            role="user",
            content=render("note_writer", today=today.isoformat(), transcript=_transcript(records)),
        )
    ]
    return ask_for(provider, messages, NoteDraft, "note_fix")


def summarise(
    provider: ChatProvider | None,
    records: Sequence[TranscriptRecord],
    *,
    user: str,
    session: str,
    on: date,
) -> SessionNote:
    """The session's note. Uses the model only if it writes notes; never raises for the model."""
    note = extract_note(user, session, records, on)
    if provider is None or not provider.capabilities.structured_output or "crisis" in note.flags:
        return note
    try:
        draft = draft_from_model(provider, records, on)
    except (ProviderError, ValueError):
        return note
    commitments = [
        Commitment(text=c.text, due=c.due, session=session) for c in draft.commitments
    ] or note.commitments
    return note.model_copy(
        update={
            "dilemma": draft.dilemma,
            "insights": draft.insights or note.insights,
            "commitments": commitments,
            "open_questions": draft.open_questions or note.open_questions,
        }
    )
