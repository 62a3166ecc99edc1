"""The tables. Every row belongs to one profile (``user_id``); deleting the profile deletes its
rows. Records are kept as the JSON of their pydantic models beside the columns queries use."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMES = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMES)
USER = 64  # longest profile name (coach.users)


def _owner(primary_key: bool = False) -> Column[str]:
    """The profile a row belongs to: deleting the profile deletes the row."""
    return Column(
        "user_id",
        String(USER),
        ForeignKey("profiles.user_id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


profiles = Table(
    "profiles",
    metadata,
    Column("user_id", String(USER), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("model_choice", Text, nullable=True),  # JSON of coach.profiles.store.ModelChoice
    Column("password_hash", Text, nullable=True),  # argon2id
    Column("password_failures", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=False, default=0.0),  # seconds since the epoch
)

transcript_records = Table(
    "transcript_records",
    metadata,
    # The order records were written in (SQLite needs INTEGER for its row id).
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    _owner(),
    Column("session_id", String(64), nullable=False),
    Column("record_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("at", String(40), nullable=False),
    Column("body", Text, nullable=False),  # JSON of coach.transcripts.TranscriptRecord
    Index("ix_transcript_records_session", "user_id", "session_id", "position"),
    # A message is kept once, however often an import or a retry writes it.
    UniqueConstraint("user_id", "session_id", "record_id", name="uq_transcript_records_message"),
)

plans = Table(
    "plans",
    metadata,
    _owner(primary_key=True),
    Column("body", Text, nullable=False),  # JSON of coach.goals.models.GoalPlan
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

pending_notes = Table(
    "pending_notes",
    metadata,
    _owner(primary_key=True),
    Column("session_id", String(64), primary_key=True),
    Column("body", Text, nullable=False),  # JSON of coach.notes.models.SessionNote
    Column("kept_at", DateTime(timezone=True), nullable=False),
)
