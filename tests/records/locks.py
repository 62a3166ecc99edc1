"""Making a real SQLite records database unavailable for a while: another connection holds its
write lock, as a stuck writer on the same file would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held_lock(database_file: Path) -> Iterator[None]:
    holder = sqlite3.connect(database_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
