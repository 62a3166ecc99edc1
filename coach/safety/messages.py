"""The crisis message and its resources."""

from __future__ import annotations

from pathlib import Path

from coach.prompts import render


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
