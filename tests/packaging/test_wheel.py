"""The built wheel runs on its own: installed into a fresh virtual environment, away from the
checkout, ``coach chat --provider scripted`` coaches with the prompts and knowledge it carries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from coach.paths import BUNDLED_DATA, BUNDLED_FOLDER, PROJECT_ROOT

pytestmark = pytest.mark.slow
BUILD_FILES = ("pyproject.toml", "setup.py", "README.md")


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout is left untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_FILES:
        shutil.copy2(PROJECT_ROOT / name, source / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", BUNDLED_FOLDER)
    shutil.copytree(PROJECT_ROOT / "coach", source / "coach", ignore=ignored)
    for relative in BUNDLED_DATA:
        origin, copy = PROJECT_ROOT / relative, source / relative
        if origin.is_dir():
            shutil.copytree(origin, copy, ignore=ignored)
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, copy)
    out = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), "."],
        cwd=source,
    )
    (built,) = out.glob("mentoring_coach-*.whl")
    return built


def test_the_wheel_carries_every_data_folder_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for relative in BUNDLED_DATA:
        origin = PROJECT_ROOT / relative
        expected = [p for p in origin.rglob("*") if p.is_file()] if origin.is_dir() else [origin]
        for path in expected:
            packed = f"coach/{BUNDLED_FOLDER}/{path.relative_to(PROJECT_ROOT).as_posix()}"
            assert packed in names, packed
    assert "coach/safety/model/safety.json" in names
    assert {"coach/acts/model/acts.json", "coach/acts/model/acts-heads.npz"} <= names
    assert "coach/memory/model/fusion.json" in names
    assert "coach/providers/adapter/adapter.json" in names


def test_coach_chat_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "fresh"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(python)]
    run([*pip, "install", "--no-deps", "--no-index", str(wheel)])
    # The wheel's dependencies come from this environment, after the fresh one's own packages;
    # the checkout itself is on no path.
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    (Path(site.stdout.strip()) / "zz_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    replies = tmp_path / "replies.jsonl"
    replies.write_text(json.dumps("What would make Friday's talk with her go well?") + "\n")
    env = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env |= {
        "COACH_DATA_DIR": str(tmp_path / "data"),
        "COACH_MEMORY": "false",
        "COACH_SAFETY_SCREEN": "floor",
        "COACH_SCRIPT_FILE": str(replies),
        "HF_HUB_OFFLINE": "1",
    }
    where = run(
        [
            str(python),
            "-c",
            "import coach.paths as p; print(p.PROMPTS_DIR); print(p.KNOWLEDGE_DIR)",
        ],
        cwd=tmp_path,
        env=env,
    )
    for folder in where.stdout.split():
        assert folder.startswith(str(venv)) and Path(folder).is_dir(), where.stdout
    chat = run(
        [str(venv / "bin" / "coach"), "chat", "--provider", "scripted", "--user", "ana"],
        input="My manager presents my work as hers in the Friday review.\n",
        cwd=tmp_path,
        env=env,
    )
    lines = chat.stdout.splitlines()
    assert lines[0].endswith("?")  # the opening question, from the packaged prompts
    assert lines[-1] == "What would make Friday's talk with her go well?"
    assert "Traceback" not in chat.stderr
    from coach.records import records_at
    from coach.transcripts import TranscriptStore

    # the installed wheel migrated the database with its packaged migrations, and kept the session
    assert TranscriptStore(records_at(tmp_path / "data"), "ana").sessions()
