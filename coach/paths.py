"""Where the project's data folders live.

In a checkout they sit at the repository root (``prompts/``, ``knowledge/``, ``evals/...``). A
built wheel carries a copy of each inside the package (``coach/_data``, written by ``setup.py``),
found through ``importlib.resources``; that copy wins wherever it exists.
"""

import os
from importlib.resources import files
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The data the package reads at run time, relative to the repository root; the wheel carries each.
BUNDLED_DATA = (
    "prompts",
    "knowledge",
    "evals/scenarios",
    "evals/thresholds.yaml",
    "evals/judge/labelled.yaml",
    "evals/rubric/labelled",
    "evals/mentor/questions.yaml",
)
BUNDLED_FOLDER = "_data"


def data_path(relative: str) -> Path:
    """A data folder or file: the wheel's copy when installed from one, else the checkout's."""
    bundled = Path(str(files("coach"))) / BUNDLED_FOLDER / relative
    return bundled if bundled.exists() else PROJECT_ROOT / relative


PROMPTS_DIR = data_path("prompts")
KNOWLEDGE_DIR = data_path("knowledge")
SCENARIOS_DIR = data_path("evals/scenarios")
THRESHOLDS_FILE = data_path("evals/thresholds.yaml")
JUDGE_CALIBRATION_FILE = data_path("evals/judge/labelled.yaml")
RUBRIC_LABELLED_DIR = data_path("evals/rubric/labelled")
MENTOR_QUESTIONS_FILE = data_path("evals/mentor/questions.yaml")


def cache_dir() -> Path:
    """Where files derived from installed models live: ``COACH_CACHE_DIR``, else the XDG cache."""
    configured = os.environ.get("COACH_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mentoring-coach"
