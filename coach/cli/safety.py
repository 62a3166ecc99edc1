"""``coach safety``: screen messages for risk, JSON Lines in and out, one line per input line."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from coach.cli.jsonlines import read_item
from coach.safety import SafetyClassifier, default_classifier

USAGE = 'each line must be a JSON object like {"text": "...", "context": ["earlier message"]}'


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "safety",
        help="screen messages for suicide, self-harm, harm to others and abuse",
        description=(
            'Read JSON Lines on stdin, {"text": "...", "context": ["earlier message", ...]} '
            "(context optional, oldest first), and write one JSON line per input, in order: "
            '{"level": "none"|"check_in"|"crisis", "category": "suicide"|"self_harm"|'
            '"harm_to_others"|"abuse"|null, "score": 0.0-1.0}. A bad line gets {"error": "..."} '
            "and processing continues. Runs offline."
        ),
    )
    parser.set_defaults(run=run)


def screen_line(classifier: SafetyClassifier, line: str) -> dict[str, Any]:
    """The output object for one input line; never raises."""
    item = read_item(line, USAGE)
    if isinstance(item, str):
        return {"error": item}
    context = item.get("context")
    if context is None:
        context = []
    if not isinstance(context, list) or not all(isinstance(m, str) for m in context):
        return {"error": '"context" must be a list of strings (earlier messages, oldest first)'}
    return classifier.screen(item["text"], context).as_json()


def run(args: argparse.Namespace) -> int:
    classifier = default_classifier()  # loaded once per process
    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = sys.stdout
    for line in stream:
        out.write(json.dumps(screen_line(classifier, line), ensure_ascii=False) + "\n")
        out.flush()  # a pipe reader sees each result as soon as it is ready
    return 0
