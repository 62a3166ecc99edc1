"""A session note from the mentee's own words, with no model: always works, always the same."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from itertools import pairwise

from coach.knowledge import Knowledge, PatternEntry, any_of, load
from coach.notes.due_dates import due_date
from coach.notes.models import Commitment, CommitmentStatus, SessionNote
from coach.text import split_sentences
from coach.transcripts import TranscriptRecord, is_safety_record, safety_flags

MAX_DILEMMA_WORDS = 30
MAX_ITEMS = 5


class NoteCues(Knowledge):
    """``knowledge/notes.yaml``: what marks a commitment, an insight, an open question, and a
    commitment done or dropped."""

    commitment_patterns: list[PatternEntry]
    not_commitment_patterns: list[PatternEntry]
    insight_patterns: list[PatternEntry]
    open_question_patterns: list[PatternEntry]
    done_patterns: list[PatternEntry]
    dropped_patterns: list[PatternEntry]


@cache
def note_cues() -> NoteCues:
    return load("notes.yaml", NoteCues)


@cache
def _cue(name: str) -> re.Pattern[str]:
    return any_of(getattr(note_cues(), name))


def matches(name: str, text: str) -> bool:
    """Whether ``text`` has a cue from the named list in ``knowledge/notes.yaml``."""
    return bool(_cue(name).search(text.replace("’", "'")))


def _shorten(sentence: str, limit: int = MAX_DILEMMA_WORDS) -> str:
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + "…"


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept


def commitments_in(text: str, base: date, session: str = "") -> list[Commitment]:
    """Commitments the mentee states in ``text``, each with a due date if one is named."""
    found = []
    for sentence in split_sentences(text):
        if matches("commitment_patterns", sentence) and not matches(
            "not_commitment_patterns", sentence
        ):
            found.append(Commitment(text=sentence, due=due_date(sentence, base), session=session))
    return found


def extract_note(
    user: str, session: str, records: Sequence[TranscriptRecord], on: date
) -> SessionNote:
    """The note for a session, from its transcript. The safety exchange leaves only a flag."""
    flags = safety_flags(list(records))
    records = [record for record in records if not is_safety_record(record)]
    said = [r.text for r in records if r.role == "mentee"]
    reports = {  # answers to a follow-up are about the last session, not this one's dilemma
        after.id
        for before, after in pairwise(records)
        if before.source == "follow_up" and after.role == "mentee"
    }
    fresh = [r.text for r in records if r.role == "mentee" and r.id not in reports]
    opening = [s for text in fresh or said for s in split_sentences(text)]
    sentences = [s for text in said for s in split_sentences(text)]
    dilemma = next((s for s in opening if len(s.split()) >= 4), opening[0] if opening else "")
    commitments = [c for text in said for c in commitments_in(text, on, session)]
    insights = [s for s in sentences if matches("insight_patterns", s)]
    questions = [s for s in sentences[1:] if matches("open_question_patterns", s)]
    return SessionNote(
        user=user,
        session=session,
        date=on,
        dilemma=_shorten(dilemma) or "(no dilemma named)",
        insights=_unique(insights)[:MAX_ITEMS],
        commitments=commitments[:MAX_ITEMS],
        open_questions=_unique(questions)[-MAX_ITEMS:],
        stage=records[-1].stage if records else "dilemma",
        flags=flags,
    )


def reported_status(text: str) -> CommitmentStatus | None:
    """Whether the mentee's answer says a commitment was done or dropped, or None if unclear."""
    if matches("dropped_patterns", text):
        return "dropped"
    if matches("done_patterns", text):
        return "done"
    return None
