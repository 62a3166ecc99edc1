"""Transcripts: every message of every session, one row each in the records database."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Connection, func, select

from coach.errors import ConfigError
from coach.records import Database
from coach.records.schema import transcript_records
from coach.records.statements import ensure_profile
from coach.users import check_user

Source = Literal[
    "model",
    "repaired",
    "fallback",
    "crisis",
    "follow_up",
    "safety_check",
    "safety_clear",
    "safety_resume",
    "safety_pause",
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


SafetyMark = Literal["crisis", "check_in", "safety_answer"]


class FollowUp(BaseModel):
    """The open commitment a session's opening question follows up."""

    commitment_id: str
    commitment: str
    """The commitment's words, as the question quotes them."""


class TranscriptRecord(BaseModel):
    """One message in a session, as saved."""

    id: str = Field(default_factory=new_id)
    role: Literal["mentee", "coach"]
    text: str
    stage: str
    at: str = Field(default_factory=_now)
    reply_to: str | None = None
    source: Source | None = None
    rejected: list[str] = Field(default_factory=list, description="Why drafts were rejected.")
    follow_up: FollowUp | None = None
    """A coach's opening that asks about an earlier commitment."""
    reflected: bool = False
    """A coach reply that opens with a simple reflection of the mentee's words."""
    safety: SafetyMark | None = None
    """A mentee message's part in a safety exchange: its level, or an answer to the question."""
    risk: str | None = None
    """The kind of risk a safety exchange is about (one of ``coach.safety.CATEGORIES``)."""
    asked_again: bool = False
    """A coach's safety question asked a second time."""
    confirmed: bool = False
    """A coach's resources given after the mentee confirmed the risk."""

    @model_validator(mode="before")
    @classmethod
    def _from_flags(cls, data: Any) -> Any:
        """Read records saved with string flags ("follow_up:<id>", "risk:<kind>", ...)."""
        if isinstance(data, dict) and "flags" in data:
            data = dict(data)
            data.update(_legacy_fields(data.pop("flags") or [], str(data.get("text", ""))))
        return data


def _legacy_fields(flags: list[str], text: str) -> dict[str, Any]:
    """The typed fields that a record's old string flags stood for."""
    fields: dict[str, Any] = {}
    for flag in flags:
        kind, _, value = str(flag).partition(":")
        if kind == "follow_up" and value:
            quoted = text.split('"')[1] if text.count('"') >= 2 else "that"
            fields["follow_up"] = {"commitment_id": value, "commitment": quoted}
        elif kind == "risk" and value:
            fields["risk"] = value
        elif flag == "reflection":
            fields["reflected"] = True
        elif flag in ("asked_again", "confirmed"):
            fields[flag] = True
        elif flag in ("crisis", "check_in", "safety_answer"):
            fields["safety"] = flag
    return fields


# The safety exchange: coach replies with these sources, and mentee messages with a safety mark.
# They stay out of coaching prompts, notes and recall; a note keeps only a flag.
SAFETY_SOURCES = frozenset(
    {"crisis", "safety_check", "safety_clear", "safety_resume", "safety_pause"}
)


def is_safety_record(record: TranscriptRecord) -> bool:
    """A record of the safety exchange (a marked message, or the coach's safety reply)."""
    if record.role == "coach":
        return record.source in SAFETY_SOURCES
    return record.safety is not None


def safety_flags(records: list[TranscriptRecord]) -> list[str]:
    """A note's flag: ``crisis`` if any message was, else ``check_in`` if the coach checked."""
    marks = {record.safety for record in records if record.role == "mentee"}
    if "crisis" in marks:
        return ["crisis"]
    return ["check_in"] if "check_in" in marks else []


_SESSION_ID = re.compile(r"[A-Za-z0-9]{1,64}")


def check_session_id(session_id: str) -> str:
    """The session id, or ConfigError saying what one looks like."""
    if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
        raise ConfigError(
            f"{str(session_id)[:80]!r} is not a session id. Use one printed when a session was "
            "saved, or listed by `coach history` (letters and digits)."
        )
    return session_id


def insert_record(
    connection: Connection, user: str, session_id: str, record: TranscriptRecord
) -> None:
    """One message's row, in the caller's transaction."""
    connection.execute(
        transcript_records.insert().values(
            user_id=user,
            session_id=session_id,
            record_id=record.id,
            role=record.role,
            at=record.at,
            body=record.model_dump_json(),
        )
    )


class TranscriptStore:
    """The transcripts of one user, in the records database. Every query is scoped to that
    user."""

    def __init__(self, records: Database, user: str) -> None:
        self.records = records
        self.user = check_user(user)

    def append(self, session_id: str, record: TranscriptRecord) -> None:
        """Add a record; it is committed (on disk, or on the server) before this returns."""
        check_session_id(session_id)
        with self.records.write() as connection:
            ensure_profile(connection, self.user)
            insert_record(connection, self.user, session_id, record)

    def load(self, session_id: str) -> list[TranscriptRecord]:
        """Every record of a session, in the order written."""
        check_session_id(session_id)
        with self.records.read() as connection:
            bodies = connection.execute(
                select(transcript_records.c.body)
                .where(
                    transcript_records.c.user_id == self.user,
                    transcript_records.c.session_id == session_id,
                )
                .order_by(transcript_records.c.position)
            ).scalars()
            return [TranscriptRecord.model_validate_json(body) for body in bodies]

    def sessions(self) -> list[str]:
        """Session ids, the one whose last message is oldest first (by the time each message
        was written, so sessions imported from files keep their place)."""
        last = (func.max(transcript_records.c.at), func.max(transcript_records.c.position))
        with self.records.read() as connection:
            rows = connection.execute(
                select(transcript_records.c.session_id)
                .where(transcript_records.c.user_id == self.user)
                .group_by(transcript_records.c.session_id)
                .order_by(*last)
            ).scalars()
            return list(rows)
