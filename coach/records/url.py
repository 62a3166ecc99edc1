"""Which database holds the records: a URL from the settings, or SQLite in the data folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from coach.errors import ConfigError

SQLITE_FILE = "coach.db"
EXAMPLES = (
    "postgresql+psycopg://coach:secret@db.example.org:5432/coach, or "
    "sqlite:////var/lib/coach/coach.db"
)


def sqlite_url(data_dir: Path) -> URL:
    """The embedded default: one SQLite file in the data folder."""
    return URL.create("sqlite", database=str(data_dir / SQLITE_FILE))


def parse_database_url(text: str) -> URL:
    """A PostgreSQL or SQLite URL (``postgresql://`` uses psycopg 3), or ConfigError saying what
    a valid one looks like."""
    problem = f"COACH_DATABASE_URL {shown(text)!r} is not a database URL this coach can use."
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise ConfigError(f"{problem} A valid one looks like {EXAMPLES}.") from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        if not url.database:
            raise ConfigError(f"{problem} Name the database at the end, as in {EXAMPLES}.")
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite") and url.database not in (None, ""):
        if url.database == ":memory:":
            raise ConfigError(f"{problem} An in-memory database would lose every record.")
        return url.set(drivername="sqlite")
    raise ConfigError(f"{problem} A valid one looks like {EXAMPLES}.")


def shown(text: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(text.strip()).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return text[:80] if "@" not in text else "<hidden>"
