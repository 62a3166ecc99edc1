"""Schema migrations (Alembic, ``coach/records/migrations``), applied when a database opens.

All pending migrations run in one transaction, holding a lock, so replicas starting together
migrate once and a migration that fails leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from coach.records.database import Database, RecordsUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_KEY = 7_236_828_393_551_720_550  # pg_advisory_xact_lock key for migrating


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The schema version this code expects."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def current(database: Database) -> str | None:
    """The schema version the database is at (None before the first migration)."""
    with database.read() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def migrating(database: Database) -> Iterator[Connection]:
    """One write transaction for all pending migrations.

    On SQLite, foreign keys are off while it runs and checked before it commits: a migration
    that rebuilds a table (Alembic's batch mode drops and recreates it) would otherwise cascade
    the drop to every row that refers to it. The setting cannot change inside a transaction,
    so it is set on the connection before the transaction begins."""
    with database.translated_errors(), database.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.execution_options(coach_write=True).begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"rows that refer to nothing: {broken[:3]}")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")


def upgrade(database: Database) -> None:
    """Bring the database to ``head()``; nothing changes if it fails (RecordsUnavailable)."""
    config = alembic_config()
    try:
        with migrating(database) as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except RecordsUnavailable:
        raise
    except Exception as exc:
        raise RecordsUnavailable(
            f"The records database at {database.where} could not be brought to schema "
            f"{head()} ({type(exc).__name__}: {exc}); it was left as it was."
        ) from exc
