"""``coach agree``: how closely the classifier agrees with expert MI coders."""

from __future__ import annotations

import argparse
from typing import Any

from coach.acts.agreement import agreement, load_annomi, render_markdown
from coach.cli.flags import path_arg


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "agree",
        help="measure the classifier against expert-coded counselling talk (AnnoMI)",
        description=(
            "Classify every therapist utterance in an AnnoMI CSV, with the previous client "
            "utterance as context, and report agreement with the experts: Cohen's kappa on the "
            "main behaviour, on question or not, and on open or closed; advice recall and "
            "precision; reflection-to-question ratio and advice share per MI quality; and a "
            "confusion matrix."
        ),
    )
    parser.add_argument("--annomi", type=path_arg, required=True, help="path to AnnoMI's CSV")
    parser.add_argument("--json", type=path_arg, help="also write the report as JSON here")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = agreement(load_annomi(args.annomi))
    print(render_markdown(report), end="")
    if args.json:
        args.json.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return 0
