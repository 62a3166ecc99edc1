"""How a note is stored for search: one entry for the whole note and, for a long note, one entry
per piece of a few sentences.

An embedding reads only a note's first 256 tokens and blurs its several topics into one vector,
so a detail deep in a long journal entry or summary is found by its piece. Every entry of a note
carries the note's session; hits on pieces are mapped back to their note (``note_id``).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.notes.models import SessionNote
from coach.text import sentence_groups

# A note of up to this many words is one entry; a longer one also gets pieces of whole
# sentences of up to PIECE_WORDS words (chosen on the memory benchmark's dev sets).
WHOLE_WORDS = 120
PIECE_WORDS = 80
PIECE_MARK = "~piece-"


def note_id(session: str) -> str:
    return f"note-{session}"


def piece_id(note: str, number: int) -> str:
    return f"{note}{PIECE_MARK}{number}"


def entry_note(entry: str) -> str:
    """The note id an entry (the note's own or one of its pieces) belongs to."""
    return entry.partition(PIECE_MARK)[0]


@dataclass(frozen=True)
class Chunking:
    """A note over ``whole_words`` words also gets pieces of up to ``piece_words`` words
    (``whole_words`` None: never)."""

    whole_words: int | None = WHOLE_WORDS
    piece_words: int = PIECE_WORDS

    def pieces(self, text: str) -> list[str]:
        if self.whole_words is None or len(text.split()) <= self.whole_words:
            return []
        return sentence_groups(text, self.piece_words)


def note_entries(note: SessionNote, chunking: Chunking) -> list[tuple[str, str]]:
    """(entry id, text): the whole note first, then its pieces."""
    text = note.as_text()
    head = note_id(note.session)
    return [(head, text)] + [
        (piece_id(head, number), piece) for number, piece in enumerate(chunking.pieces(text), 1)
    ]
