"""Statements both engines run the same way: insert-if-absent and upsert."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from coach.records.schema import profiles


def _insert(connection: Connection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def upsert(
    connection: Connection,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
) -> None:
    """Insert the row, or update the row with the same ``keys``."""
    statement = _insert(connection, table).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def ensure_profile(connection: Connection, user: str) -> None:
    """The profile row every record hangs from (made on the user's first write)."""
    statement = _insert(connection, profiles).values(
        user_id=user, created_at=datetime.now(UTC), password_failures=0, locked_until=0.0
    )
    connection.execute(statement.on_conflict_do_nothing(index_elements=["user_id"]))


def lock_profile(connection: Connection, user: str) -> None:
    """Make sure the profile row exists and hold it until the transaction ends, so changes to
    one user's records made elsewhere wait (SQLite's write lock already serialises writers).
    Inserts of the user's transcript rows are not held up (``FOR NO KEY UPDATE``)."""
    ensure_profile(connection, user)
    if connection.dialect.name == "postgresql":
        query = select(profiles.c.user_id).where(profiles.c.user_id == user)
        connection.execute(query.with_for_update(key_share=True))
