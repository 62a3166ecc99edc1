"""``coach doctor``: on a healthy installation everything is ok; with each part broken in turn,
it names that part, says how to fix it and exits 1 (a missing browser is only a warning)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.doctor import checks
from coach.records import Database
from coach.records.migrate import head
from coach.settings import load_settings
from tests.cli.test_chat import coach
from tests.providers.crash import crashing_env
from tests.servers import free_port

pytestmark = pytest.mark.slow


def doctor(**env: str) -> tuple[int, dict[str, dict[str, str]]]:
    """Run ``coach doctor --json``; its exit code and each check by name."""
    done = coach(["doctor", "--json"], COACH_MEMORY="true", **env)
    assert b"Traceback" not in done.stderr, done.stderr
    found = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return done.returncode, {check["name"]: check for check in found}


def test_a_healthy_installation_passes_every_check() -> None:
    code, found = doctor()
    assert code == 0, found
    assert set(found) == {
        "data folder",
        "llama.cpp build",
        "chat model",
        "embedder",
        "safety screen",
        "records database",
        "note store",
        "browser tests",
    }
    assert all(c["status"] == "ok" for c in found.values()), found
    assert "answered" in found["chat model"]["detail"]
    assert "portable build" in found["llama.cpp build"]["detail"]


def test_the_human_report_ends_with_a_summary() -> None:
    done = coach(["doctor"], COACH_MEMORY="false")
    assert done.returncode == 0, done.stdout
    assert b"ok    chat model:" in done.stdout
    assert b"everything the coach needs works" in done.stderr


def test_a_model_that_crashes_fails_the_model_and_the_build(tmp_path: Path) -> None:
    code, found = doctor(**crashing_env("SIGILL"))
    assert code == 1
    assert found["chat model"]["status"] == "fail"
    assert "illegal instruction" in found["chat model"]["detail"]
    assert found["llama.cpp build"]["status"] == "fail"
    assert "AMX_INT8" in found["llama.cpp build"]["detail"]
    assert "make rebuild-llama" in found["llama.cpp build"]["fix"]
    assert found["embedder"]["status"] == "ok"  # the rest is still checked, and works


def test_a_model_file_that_is_not_a_model_fails(tmp_path: Path) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")
    code, found = doctor(COACH_MODEL_PATH=str(bogus))
    assert code == 1
    assert found["chat model"]["status"] == "fail"
    assert str(bogus) in found["chat model"]["detail"]


def test_an_unwritable_data_folder_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    result = checks.data_folder(load_settings(data_dir=blocker / "data"))
    assert result.status == "fail" and "COACH_DATA_DIR" in result.fix


def test_a_chroma_server_that_is_not_there_fails() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = checks.memory_store(load_settings(chroma_url=url))
    assert result.status == "fail" and url in result.detail
    assert "chroma run" in result.fix


def test_a_database_server_that_is_not_there_fails() -> None:
    url = f"postgresql+psycopg://coach@127.0.0.1:{free_port()}/coach"
    result = checks.records_database(load_settings(database_url=url))
    assert result.status == "fail" and "cannot be used" in result.detail
    assert "COACH_DATABASE_URL" in result.fix


def test_the_records_database_check_names_its_schema(database: Database) -> None:
    result = checks.records_database(load_settings())
    assert result.status == "ok" and f"schema {head()} of {head()}" in result.detail


def test_an_embeddings_endpoint_that_is_not_there_fails() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = checks.embedder(load_settings(embedder="openai", base_url=url))
    assert result.status == "fail" and "embeddings endpoint" in result.detail


def test_a_missing_browser_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    result = checks.browser(tmp_path / "chromium")
    assert result.status == "warn" and "apt-get install chromium" in result.fix
