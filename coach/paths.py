"""Where the project's data folders live."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SCENARIOS_DIR = PROJECT_ROOT / "evals" / "scenarios"


def cache_dir() -> Path:
    """Where files derived from installed models live: ``COACH_CACHE_DIR``, else the XDG cache."""
    configured = os.environ.get("COACH_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mentoring-coach"
