"""Crisis language: when someone may be at risk, the coach stops coaching."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

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


def crisis_message(message_file: Path | None = None) -> str:
    """The fixed, caring message with resources: ``prompts/crisis.md``, or the organisation's
    own (``COACH_CRISIS_MESSAGE_FILE``, plain text or Markdown, used as written)."""
    if message_file is not None:
        try:
            text = message_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        if text:
            return text
    return render("crisis")  # a missing or empty file must never silence the message
