"""Session notes and commitments, and how they are written."""

from coach.notes.extract import commitments_in, extract_note
from coach.notes.models import Commitment, CommitmentStatus, SessionNote
from coach.notes.summarise import summarise

__all__ = [
    "Commitment",
    "CommitmentStatus",
    "SessionNote",
    "commitments_in",
    "extract_note",
    "summarise",
]
