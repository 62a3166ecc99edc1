"""``coach doctor``: what works in this installation, and how to fix what does not."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from coach.cli.flags import add_model_flags
from coach.doctor import Check, all_checks
from coach.settings import load_settings

MARK = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor",
        help="check the installation and say what to fix",
        description=(
            "Check each part the coach needs: a writable data folder, the llama.cpp build "
            "against this CPU, the chat model loading and answering, the embedder, the note "
            "store (Chroma) and, for the browser tests, Chromium. Exits 1 when a part the "
            "configured coach needs is broken; a warning alone exits 0."
        ),
    )
    add_model_flags(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per check")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(provider=args.provider, model=args.model, base_url=args.base_url)
    results: list[Check] = []
    for check in all_checks(settings):
        result = check()
        results.append(result)
        if args.json:
            print(json.dumps(asdict(result)), flush=True)
        else:
            print(f"{MARK[result.status]}  {result.name}: {result.detail}", flush=True)
            if result.fix and result.status != "ok":
                print(f"      fix: {result.fix}", flush=True)
    failed = [r.name for r in results if r.status == "fail"]
    if not args.json:
        summary = "broken: " + ", ".join(failed) if failed else "everything the coach needs works"
        print(summary + ".", file=sys.stderr)
    return 1 if failed else 0
