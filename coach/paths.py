"""Where the project's data folders live."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SCENARIOS_DIR = PROJECT_ROOT / "evals" / "scenarios"
