"""Shared fixtures: an isolated data folder and environment, the scripted model, and the
records database on each engine (SQLite in the data folder, and a real PostgreSQL server started
once on loopback, with a fresh database per test)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coach.providers import ScriptedProvider, forget_providers
from coach.records import Database, records_at
from coach.records.database import forget_open_databases, open_records
from coach.session import CoachSession
from coach.settings import Settings, load_settings
from tests.servers import free_port, postgres_bin, postgres_server, running


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No COACH_* or OpenAI settings leak in from the machine; data goes to a temp folder."""
    import os

    for name in list(os.environ):
        if name.startswith("COACH_") or name in {"OPENAI_API_KEY", "OPENAI_BASE_URL"}:
            monkeypatch.delenv(name)
    data_dir = tmp_path / "coach-data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # so no stray .env is read
    forget_providers()
    yield data_dir
    forget_providers()
    forget_open_databases()


@pytest.fixture
def settings() -> Settings:
    return load_settings(provider="scripted")


@pytest.fixture
def scripted() -> ScriptedProvider:
    return ScriptedProvider()


@pytest.fixture
def session(scripted: ScriptedProvider, settings: Settings) -> CoachSession:
    """A session for tests of the coaching turn. It screens with the floor of expressions only:
    the learned screen still flags some everyday sentences (README, "Safety"), and its own
    behaviour is tested in tests/safety and the eval suite."""
    floor_only = settings.model_copy(update={"safety_screen": "floor"})
    return CoachSession(scripted, floor_only, user="alice")


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    if postgres_bin() is None:
        if os.environ.get("COACH_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is needed for the record tests (make test installs it)")
        pytest.skip("PostgreSQL is not installed")
    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    name = f"coach_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_admin_url).set(database=name).render_as_string(False)
    finally:
        forget_open_databases()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database(
    engine_name: str,
    isolated_env: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Database]:
    """The records database of the test's settings, on each engine in turn."""
    if engine_name == "sqlite":
        yield records_at(isolated_env)
    else:
        url = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("COACH_DATABASE_URL", url)
        yield open_records(load_settings())
    forget_open_databases()


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port, stopped afterwards."""
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).parent / "chroma"
    command = [
        str(chroma),
        "run",
        "--path",
        str(folder / "data"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    url = f"http://127.0.0.1:{port}"
    no_telemetry = {"ANONYMIZED_TELEMETRY": "False"}
    with running(command, url + "/api/v2/heartbeat", folder / "server.log", 60, no_telemetry):
        yield url
