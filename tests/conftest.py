"""Shared fixtures: an isolated data folder and environment, and the scripted model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.providers import ScriptedProvider, forget_providers
from coach.session import CoachSession
from coach.settings import Settings, load_settings


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
