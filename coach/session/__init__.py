"""A coaching conversation: turns, stages and transcripts."""

from coach.session.coach_session import CoachSession
from coach.session.events import Delta, Notice, Retract, TurnEvent, TurnResult
from coach.session.service import keep_plan, keep_review, open_session
from coach.transcripts import TranscriptRecord, TranscriptStore

__all__ = [
    "CoachSession",
    "Delta",
    "Notice",
    "Retract",
    "TranscriptRecord",
    "TranscriptStore",
    "TurnEvent",
    "TurnResult",
    "keep_plan",
    "keep_review",
    "open_session",
]
