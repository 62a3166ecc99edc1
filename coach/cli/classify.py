"""``coach classify``: talk acts for JSON Lines on stdin, one output line per input line."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from coach.acts import classify
from coach.cli.jsonlines import read_item

USAGE = 'each line must be a JSON object like {"text": "...", "context": "..."}'


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "classify",
        help="label utterances as question, reflection, advice, information or other",
        description=(
            'Read JSON Lines on stdin, {"text": "...", "context": "the other person\'s previous '
            'words (optional)"}, and write one JSON line per input, in order: {"act", '
            '"question", "question_type", "reflection", "advice"}. A bad line gets '
            '{"error": "..."} and processing continues.'
        ),
    )
    parser.set_defaults(run=run)


def classify_line(line: str) -> dict[str, Any]:
    """The output object for one input line; never raises."""
    item = read_item(line, USAGE)
    if isinstance(item, str):
        return {"error": item}
    context = item.get("context")
    if context is not None and not isinstance(context, str):
        return {"error": '"context" must be a string or null'}
    act = classify(item["text"], context)
    return {
        "act": act.act,
        "question": act.question,
        "question_type": act.question_type,
        "reflection": act.reflection,
        "advice": act.advice,
    }


def run(args: argparse.Namespace) -> int:
    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = sys.stdout
    for line in stream:
        out.write(json.dumps(classify_line(line)) + "\n")
    out.flush()
    return 0
