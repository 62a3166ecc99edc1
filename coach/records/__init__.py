"""Records in SQL: transcripts, plans, profiles and notes waiting for the store.

SQLite under ``COACH_DATA_DIR`` by default; PostgreSQL when ``COACH_DATABASE_URL`` names one.
The schema is migrated with Alembic when a database is first opened.
"""

from coach.records.database import Database, RecordsUnavailable, open_records, records_at

__all__ = ["Database", "RecordsUnavailable", "open_records", "records_at"]
