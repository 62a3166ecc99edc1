"""``coach mentor``: critique a planned question, and measure the critique on labelled drafts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "mentor",
        help="the mentor's workbench: critique and improve the questions you plan to ask",
        description="Tools for mentors preparing a conversation.",
    )
    tools = parser.add_subparsers(dest="tool", metavar="TOOL", required=True)

    critique = tools.add_parser(
        "critique",
        help="what weakens a question you plan to ask, why, and better versions",
        description=(
            "Checks a planned question for closed, leading, advice-in-disguise, 'why', stacked, "
            "long and vague phrasing, explains why each matters for the mentee's thinking, and "
            "offers at least two open rewrites that the coach's own guard accepts."
        ),
    )
    critique.add_argument("question", help="the question, in quotes")
    critique.add_argument("--context", help="the mentee's situation, in a sentence or two")
    critique.add_argument("--json", action="store_true", help="print JSON for other tools")
    critique.add_argument(
        "--provider", help="a capable model adds its own rewrites (openai); default: rules only"
    )
    critique.add_argument("--model", help="model name for the openai provider")
    critique.add_argument("--base-url", help="OpenAI-compatible server URL")
    critique.set_defaults(run=run_critique)

    check = tools.add_parser(
        "check",
        help="precision and recall of the critique on hand-labelled draft questions",
        description="Measures each flaw kind against evals/mentor/questions.yaml (or --labels).",
    )
    check.add_argument("--labels", type=Path, help="a labelled YAML file (default: the project's)")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(run=run_check)


def run_critique(args: argparse.Namespace) -> int:
    from coach.mentor import critique
    from coach.mentor.lexicon import mentor_lexicon
    from coach.providers import ChatProvider, get_provider
    from coach.settings import load_settings

    provider: ChatProvider | None = None
    if args.provider:
        settings = load_settings(provider=args.provider, model=args.model, base_url=args.base_url)
        provider = get_provider(settings)
    result = critique(args.question, args.context, provider)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        return 0
    if result.good:
        print(mentor_lexicon().good)
    for finding in result.findings:
        print(f"- {finding.kind}: {finding.explanation}")
    print("\nTry instead:" if result.findings else "\nOther ways to ask it:")
    for rewrite in result.rewrites:
        print(f"  {rewrite}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from coach.mentor.accuracy import LABELLED_QUESTIONS, load_labelled, measure

    accuracy = measure(load_labelled(args.labels or LABELLED_QUESTIONS))
    if args.json:
        rows = [
            {**k.model_dump(), "precision": k.precision, "recall": k.recall}
            for k in accuracy.kinds
        ]
        payload = {**accuracy.model_dump(), "kinds": rows}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    good = accuracy.good_questions
    print(f"{accuracy.questions} labelled questions ({good} with no flaw).")
    print(f"{'flaw':<9} {'labelled':>8} {'found':>6} {'precision':>9} {'recall':>7}")
    for kind in accuracy.kinds:
        precision = f"{kind.precision:.2f}" if kind.precision is not None else "-"
        recall = f"{kind.recall:.2f}" if kind.recall is not None else "-"
        print(f"{kind.kind:<9} {kind.labelled:>8} {kind.found:>6} {precision:>9} {recall:>7}")
    for mistake in accuracy.mistakes:
        parts = [f"missed {', '.join(mistake.missed)}" if mistake.missed else "",
                 f"also found {', '.join(mistake.extra)}" if mistake.extra else ""]  # fmt: skip
        print(f"  {mistake.question!r}: {'; '.join(p for p in parts if p)}", file=sys.stderr)
    return 0
