"""The learning journal: free-text entries the mentee adds at any time, recalled like notes."""

from __future__ import annotations

import uuid
from datetime import date

from coach.errors import CoachError
from coach.notes.models import SessionNote

MAX_ENTRY_CHARS = 4000


def journal_entry(user: str, text: str, today: date) -> SessionNote:
    """An entry as a note flagged "journal", so it is embedded and recalled like one."""
    cleaned = text.strip()
    if not cleaned:
        raise CoachError("The journal entry is empty. Write a few words, then add it.")
    if len(cleaned) > MAX_ENTRY_CHARS:
        raise CoachError(
            f"The entry is {len(cleaned)} characters; the most is {MAX_ENTRY_CHARS}. Split it "
            "into two entries."
        )
    return SessionNote(
        user=user,
        session=f"journal{uuid.uuid4().hex[:12]}",
        date=today,
        dilemma=cleaned,
        flags=["journal"],
    )
