"""Crisis language: when someone may be at risk, the coach stops coaching."""

from __future__ import annotations

import re
from functools import cache

import yaml

from coach.paths import KNOWLEDGE_DIR
from coach.prompts import render


@cache
def _crisis_regex() -> re.Pattern[str]:
    data = yaml.safe_load((KNOWLEDGE_DIR / "crisis.yaml").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.IGNORECASE)


def is_crisis(text: str) -> bool:
    """True when the text contains language that suggests risk of harm."""
    return _crisis_regex().search(text.replace("’", "'")) is not None


def crisis_message() -> str:
    """The fixed, caring message with resources, from ``prompts/crisis.md``."""
    return render("crisis")
