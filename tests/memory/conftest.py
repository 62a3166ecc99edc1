"""Real Chroma and the real packaged embedder, loaded once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.memory import Embedder, NoteStore, get_embedder
from coach.settings import Settings, load_settings


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder(load_settings())


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    return load_settings(provider="scripted")


@pytest.fixture
def store(settings: Settings, embedder: Embedder) -> NoteStore:
    return NoteStore.open(settings, embedder)
