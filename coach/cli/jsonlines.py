"""Reading one JSON Lines input line for the commands that screen or label text."""

from __future__ import annotations

import json
from typing import Any


def read_item(line: str, usage: str) -> dict[str, Any] | str:
    """The line's object with a "text" string, or the error message to print for it."""
    if not line.strip():
        return f"empty line; {usage}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg}); {usage}"
    except ValueError as exc:  # e.g. an integer too long to convert
        return f"not readable JSON ({exc}); {usage}"
    except RecursionError:
        return f"JSON nested too deeply to read; {usage}"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return f'missing a "text" string; {usage}'
    return item
