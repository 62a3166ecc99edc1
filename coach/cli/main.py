"""Entry point: subcommands, settings from flags, and errors as plain messages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach.cli import (
    agree,
    chat,
    classify,
    doctor,
    evaluate,
    goals,
    mentor,
    migrate,
    notes,
    safety,
)
from coach.errors import CoachError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A mentoring coach that asks one open, reflective question at a time.",
        epilog="Settings come from defaults, then .env, then COACH_* variables, then flags.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chat.add_parser(commands)
    classify.add_parser(commands)
    doctor.add_parser(commands)
    agree.add_parser(commands)
    evaluate.add_parser(commands)
    mentor.add_parser(commands)
    notes.add_parsers(commands)
    goals.add_parsers(commands)
    safety.add_parser(commands)
    migrate.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CoachError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
