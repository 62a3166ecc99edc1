"""Opening a records database: migrated on first open, once even when replicas start together,
and clear messages for a URL that cannot be used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from coach.errors import ConfigError
from coach.records import Database, RecordsUnavailable, records_at
from coach.records.migrate import current, head
from coach.records.url import parse_database_url
from coach.settings import load_settings

TABLES = {"profiles", "transcript_records", "plans", "pending_notes", "alembic_version"}


def test_a_database_is_migrated_to_this_version_when_it_opens(database: Database) -> None:
    assert current(database) == head()
    assert set(inspect(database.engine).get_table_names()) >= TABLES


def test_the_migrations_build_exactly_the_schema_the_code_uses(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from coach.records.schema import metadata

    with database.read() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_the_embedded_database_is_one_private_file_in_the_data_folder(isolated_env: Path) -> None:
    records_at(isolated_env)
    assert (os.stat(isolated_env / "coach.db").st_mode & 0o777) == 0o600
    with records_at(isolated_env).read() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_failed_write_leaves_the_database_as_it_was(database: Database) -> None:
    from coach.records.schema import profiles

    with pytest.raises(RuntimeError), database.write() as connection:
        connection.execute(
            profiles.insert().values(user_id="ana", created_at=text("CURRENT_TIMESTAMP"))
        )
        raise RuntimeError("the turn failed half-way")
    with database.read() as connection:
        assert connection.execute(profiles.select()).all() == []


def test_replicas_starting_together_migrate_once(
    engine_name: str, isolated_env: Path, request: pytest.FixtureRequest
) -> None:
    """Four processes open the same fresh, empty database at once; all succeed, and the schema
    is whole."""
    if engine_name == "sqlite":
        isolated_env.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{isolated_env / 'fresh.db'}"
    else:
        url = request.getfixturevalue("postgres_url")  # a new, empty database
    opener = (
        "from coach.records.database import _opened;"
        "from sqlalchemy.engine import make_url;"
        f"_opened(make_url({url!r}))"
    )
    replicas = [
        subprocess.Popen([sys.executable, "-c", opener], stderr=subprocess.PIPE) for _ in range(4)
    ]
    for replica in replicas:
        _, errors = replica.communicate(timeout=120)
        assert replica.returncode == 0, errors.decode()[-2000:]
    from sqlalchemy.engine import make_url

    fresh = Database(make_url(url))
    assert current(fresh) == head()
    assert set(inspect(fresh.engine).get_table_names()) >= TABLES
    fresh.dispose()


@pytest.mark.parametrize(
    "given",
    ["postgres:/nohost", "mysql://u@h/db", "not a url", "sqlite://", "postgresql://u@h:5432/"],
)
def test_a_database_url_that_cannot_be_used_says_what_a_valid_one_looks_like(given: str) -> None:
    with pytest.raises(ConfigError, match=r"postgresql\+psycopg://|Name the database"):
        parse_database_url(given)


def test_a_password_in_the_url_never_appears_in_a_message() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_database_url("mysql://coach:hunter2@db/coach")
    assert "hunter2" not in str(caught.value)


def test_an_unreachable_server_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.servers import free_port

    url = f"postgresql+psycopg://coach@127.0.0.1:{free_port()}/coach"
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    from coach.records import open_records

    with pytest.raises(RecordsUnavailable, match=r"cannot be used .*reachable"):
        open_records(load_settings())


def test_a_read_only_database_says_so(engine_name: str, database: Database) -> None:
    from coach.records.database import forget_open_databases

    if engine_name == "postgresql":  # as a read replica would be
        with database.write() as connection:
            name = connection.exec_driver_sql("SELECT current_database()").scalar()
            connection.exec_driver_sql(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'
            )
        database.dispose()
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes to read-only files")
        forget_open_databases()
        folder = Path(str(database.url.database)).parent
        for path in folder.glob("coach.db*"):
            path.chmod(0o400)
        folder.chmod(0o500)
    try:
        with (
            pytest.raises(RecordsUnavailable, match="read-only"),
            Database(database.url).write() as connection,
        ):
            connection.exec_driver_sql("DELETE FROM profiles")
    finally:
        if engine_name == "sqlite":
            Path(str(database.url.database)).parent.chmod(0o700)


BROKEN = """
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("profiles", sa.Column("nickname", sa.Text))
    raise RuntimeError("this migration fails half-way")
"""


def test_a_migration_that_fails_leaves_the_database_as_it_was(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from coach.records import migrate

    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, migrations)
    (migrations / "versions" / "0002_broken.py").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", migrations)
    with pytest.raises(RecordsUnavailable, match=r"half-way.*left as it was"):
        migrate.upgrade(database)
    assert current(database) == "0001"
    inspector = inspect(database.engine)
    assert "half_done" not in inspector.get_table_names()
    assert "nickname" not in {c["name"] for c in inspector.get_columns("profiles")}


REBUILDS_PROFILES = """
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"  # rebuilt there, altered on PostgreSQL
    with op.batch_alter_table("profiles", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("nickname", sa.Text))
"""


def test_a_migration_that_rebuilds_a_table_keeps_the_rows_that_refer_to_it(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from coach.records import migrate
    from coach.transcripts import TranscriptRecord, TranscriptStore

    TranscriptStore(database, "ana").append(
        "s1", TranscriptRecord(role="mentee", text="Kept through the migration.", stage="x")
    )
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, migrations)
    (migrations / "versions" / "0002_rebuild.py").write_text(REBUILDS_PROFILES, "utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", migrations)
    migrate.upgrade(database)
    assert current(database) == "0002"
    texts = [r.text for r in TranscriptStore(database, "ana").load("s1")]
    assert texts == ["Kept through the migration."]
