"""Transcripts: one append-only JSON Lines file per session, flushed to disk on every write."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from coach.errors import ConfigError
from coach.users import private_dir, user_dir

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


class TranscriptStore:
    """The transcripts of one user. Every method is scoped to that user."""

    def __init__(self, data_dir: Path, user: str) -> None:
        self.user = user
        self.folder = private_dir(user_dir(data_dir, user) / "sessions")

    def _path(self, session_id: str) -> Path:
        if not _SESSION_ID.fullmatch(session_id):
            raise ConfigError(
                f"{session_id[:80]!r} is not a session id. Use one printed when a session was "
                "saved, or listed by `coach history` (letters and digits)."
            )
        return self.folder / f"{session_id}.jsonl"

    def append(self, session_id: str, record: TranscriptRecord) -> None:
        """Add a record and force it to disk before returning."""
        path = self._path(session_id)
        line = record.model_dump_json() + "\n"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = "\n" + line  # a crash cut the last line short: start a fresh one
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def load(self, session_id: str) -> list[TranscriptRecord]:
        """Every record of a session that was completely written, in order."""
        path = self._path(session_id)
        if not path.exists():
            return []
        records = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(TranscriptRecord.model_validate(json.loads(line)))
            except (ValueError, ValidationError):
                continue  # a line cut short by a crash
        return records

    def sessions(self) -> list[str]:
        """Session ids, oldest first."""
        paths = sorted(self.folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
        return [path.stem for path in paths]
