"""Real Chroma and the real packaged embedder, loaded once per test run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.memory import Embedder, NoteStore, get_embedder
from coach.settings import Settings, load_settings
from tests.servers import free_port, running


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder(load_settings())


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    return load_settings(provider="scripted")


@pytest.fixture
def store(settings: Settings, embedder: Embedder) -> NoteStore:
    return NoteStore.open(settings, embedder)


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
