"""One database of records per URL, opened (and migrated) once per process."""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from coach.errors import CoachError, ConfigError
from coach.records.url import parse_database_url, sqlite_url
from coach.settings import Settings
from coach.users import private_dir

logger = logging.getLogger(__name__)
BUSY_TIMEOUT_S = 30  # how long a SQLite writer waits for another to finish
CONNECT_TIMEOUT_S = 10
OPEN_DATABASES = 32  # engines kept open per process (tests open one per data folder)


class RecordsUnavailable(CoachError):
    """The records database cannot be reached, read or written."""


class Database:
    """A SQLite file or a PostgreSQL server holding the records.

    ``write()`` and ``read()`` each give one transaction. A SQLite write takes the file's write
    lock when it begins (``BEGIN IMMEDIATE``), so two processes never interleave a
    read-then-write; PostgreSQL writes lock the rows they change.
    """

    def __init__(self, url: URL) -> None:
        self.url = url
        self.where = url.render_as_string(hide_password=True)
        try:
            self.engine = _engine(url)
        except ImportError as exc:  # the driver is an extra: `pip install -e '.[postgres]'`
            raise ConfigError(
                f"The records database at {self.where} needs {exc.name or 'its driver'}, which "
                "is not installed. Install it with `pip install -e '.[postgres]'`."
            ) from None
        self._writer = self.engine.execution_options(coach_write=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that may write: committed when the block ends, rolled back if it
        raises. A database error becomes RecordsUnavailable."""
        with self.translated_errors(), self._writer.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction that only reads."""
        with self.translated_errors(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Database errors raised inside the block become RecordsUnavailable."""
        try:
            yield
        except DBAPIError as exc:
            raise RecordsUnavailable(problem(self.where, exc)) from exc
        except SQLAlchemyError as exc:
            raise RecordsUnavailable(f"The records at {self.where} failed: {exc}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def problem(where: str, exc: DBAPIError) -> str:
    """A message for a database error: what went wrong, in the driver's first line."""
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if "readonly" in detail.replace(" ", "").lower() or "read-only" in detail.lower():
        return (
            f"The records database at {where} is read-only ({detail}). Make it writable, or "
            "point COACH_DATABASE_URL at one that is."
        )
    return (
        f"The records database at {where} cannot be used ({detail}). Check that it is "
        "running and reachable, and COACH_DATABASE_URL."
    )


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        # Pooled connections keep the WAL open: a connection per transaction would checkpoint
        # and delete it at every commit (about 4 ms a turn, measured).
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never wait for the writer), every commit on disk before it returns, and
    transactions begun by the coach rather than by the driver (so DDL is transactional too)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception as exc:  # a read-only file: reading still works
            logger.debug("journal_mode unchanged: %s", exc)
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    writes = connection.get_execution_options().get("coach_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


_open: OrderedDict[str, Database] = OrderedDict()
_opening: dict[str, threading.Lock] = {}
_open_lock = threading.Lock()


def open_records(settings: Settings) -> Database:
    """The records database the settings name, migrated to this version on first open."""
    if settings.database_url:
        return _opened(parse_database_url(settings.database_url))
    return records_at(settings.data_dir)


def records_at(data_dir: Path) -> Database:
    """The embedded default: SQLite in ``data_dir``, readable by its owner only."""
    private_dir(data_dir)
    url = sqlite_url(data_dir)
    path = Path(str(url.database))
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise RecordsUnavailable(
                f"The records database {path} cannot be created ({exc.strerror}). Set "
                "COACH_DATA_DIR to a folder you can write to."
            ) from None
    return _opened(url)


def _opened(url: URL) -> Database:
    from coach.records.migrate import upgrade

    key = url.render_as_string(hide_password=False)
    with _open_lock:
        found = _open.get(key)
        if found is not None:
            _open.move_to_end(key)
            return found
        opening = _opening.setdefault(key, threading.Lock())
    with opening:  # one thread opens (and migrates) each database; others wait for it
        with _open_lock:
            found = _open.get(key)
        if found is not None:
            return found
        database = Database(url)
        try:
            upgrade(database)
        except BaseException:
            database.dispose()
            raise
        with _open_lock:
            _open[key] = database
            while len(_open) > OPEN_DATABASES:
                _open.popitem(last=False)[1].dispose()
        return database


def forget_open_databases() -> None:
    """Close every open database (tests; a process that changes its settings)."""
    with _open_lock:
        while _open:
            _open.popitem()[1].dispose()
