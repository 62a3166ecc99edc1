"""``coach mentor``: critique a planned question, and measure the critique on labelled drafts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from coach.cli.flags import add_model_flags, path_arg


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
    add_model_flags(critique, "a capable model adds its own rewrites (openai); default: rules")
    critique.set_defaults(run=run_critique)

    plan = tools.add_parser(
        "plan",
        help="a question plan by stage (dilemma, reality, options, commitment)",
        description=(
            "Two or three questions for each stage of the conversation, from the coaching "
            "knowledge bank, quoting the situation; a capable model (--provider openai) adapts "
            "them to it, and every question passes the coach's guard."
        ),
    )
    plan.add_argument("--situation", required=True, help="the mentee's situation, in their words")
    plan.add_argument("--json", action="store_true", help="print JSON")
    add_model_flags(plan, "a capable model adapts the plan (openai)")
    plan.set_defaults(run=run_plan)

    request = tools.add_parser(
        "request",
        help="check a mentee's request for advice before it is sent",
        description=(
            "Is the request specific, manageable and genuine? Says what to change, and "
            "suggests a tighter version."
        ),
    )
    request.add_argument("draft", help="the message, in quotes")
    request.add_argument("--json", action="store_true", help="print JSON")
    request.set_defaults(run=run_request)

    practice = tools.add_parser(
        "practice",
        help="practise asking instead of telling, with a simulated mentee",
        description=(
            "You play the mentor; a persona from the eval scenarios answers. Type one turn per "
            "line (or pipe them in); /end finishes. Then a scorecard of your turns: open "
            "questions, reflections per question, advice, stacked questions, the mentee's share "
            "of the talking, and your weakest turn with a better alternative."
        ),
    )
    practice.add_argument(
        "--scenario",
        default="credit-manager-presents-work",
        help="a scenario id from the eval suite",
    )
    practice.add_argument(
        "--scenarios", type=path_arg, help="a folder of scenarios (default: ours)"
    )
    add_model_flags(practice, "a model to play simulated personas")
    practice.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    practice.set_defaults(run=run_practice)

    check = tools.add_parser(
        "check",
        help="precision and recall of the critique on hand-labelled draft questions",
        description="Measures each flaw kind against evals/mentor/questions.yaml (or --labels).",
    )
    check.add_argument(
        "--labels", type=path_arg, help="a labelled YAML file (default: the project's)"
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(run=run_check)


def run_critique(args: argparse.Namespace) -> int:
    from coach.mentor import critique
    from coach.mentor.lexicon import mentor_lexicon

    result = critique(args.question, args.context, _optional_provider(args))
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


def _optional_provider(args: argparse.Namespace) -> Any:
    if not args.provider:
        return None
    from coach.providers import get_provider
    from coach.settings import load_settings

    settings = load_settings(provider=args.provider, model=args.model, base_url=args.base_url)
    return get_provider(settings)


def run_plan(args: argparse.Namespace) -> int:
    from coach.mentor.plan import question_plan

    plan = question_plan(args.situation, _optional_provider(args))
    if args.json:
        print(plan.model_dump_json(indent=2))
        return 0
    for stage in plan.stages:
        print(f"{stage.name}: {stage.purpose}")
        for question in stage.questions:
            print(f"  - {question}")
    return 0


def run_request(args: argparse.Namespace) -> int:
    from coach.mentor.request import critique_request

    result = critique_request(args.draft)
    if args.json:
        payload = {
            "ready": result.ready,
            "findings": [f.model_dump() for f in result.findings],
            "tighter": result.tighter,
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    for finding in result.findings:
        mark = "yes" if finding.met else "not yet"
        print(f"- {finding.quality}: {mark}" + ("" if finding.met else f". {finding.advice}"))
    print("\nA tighter version:\n  " + result.tighter)
    return 0


def run_practice(args: argparse.Namespace) -> int:
    from coach.cli.chat import _interactive_lines, _stdin_lines
    from coach.cli.evaluate import DEFAULT_SCENARIOS
    from coach.errors import ConfigError
    from coach.evals.scenario import load_scenarios
    from coach.mentor.practice import PracticeMentee, scorecard

    scenarios = {s.id: s for s in load_scenarios(args.scenarios or DEFAULT_SCENARIOS)}
    scenario = scenarios.get(args.scenario)
    if scenario is None:
        raise ConfigError(
            f"No scenario {args.scenario!r}. Choose one of: {', '.join(sorted(scenarios))}."
        )
    mentee = PracticeMentee(scenario, _optional_provider(args))
    interactive = sys.stdin.isatty()
    say = print if not args.json else (lambda *a, **k: print(*a, file=sys.stderr, **k))
    say(f"You are mentoring {scenario.persona}")
    say(f"mentee> {mentee.first_message}")
    for line in _interactive_lines() if interactive else _stdin_lines():
        if line.strip().lower() in {"/end", "/quit", "/exit"}:
            break
        if not line.strip():
            continue
        reply = mentee.reply(line)
        if reply is None:
            break
        say(f"mentee> {reply}")
    card = scorecard(scenario, mentee.exchanges)
    if args.json:
        print(card.model_dump_json(indent=2))
        return 0
    _print_scorecard(card)
    return 0


def _print_scorecard(card: Any) -> None:
    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    print("\nScorecard")
    print(f"  your turns: {card.turns}")
    print(f"  open questions, of questions: {share(card.open_question_share)}")
    ratio = "-" if card.reflection_to_question is None else f"{card.reflection_to_question:.2f}"
    print(f"  reflections per question: {ratio}")
    print(f"  turns with advice: {card.advice_turns}")
    print(f"  turns with stacked questions: {card.stacked_turns}")
    print(f"  the mentee's share of the talking: {share(card.mentee_talk_share)}")
    if card.worst:
        print(f"\nYour weakest turn: {card.worst.mentor!r} ({', '.join(card.worst.problems)})")
        print(f"  Better: {card.worst.better}")


def run_check(args: argparse.Namespace) -> int:
    from coach.mentor.accuracy import LABELLED_QUESTIONS, load_labelled, measure

    accuracy = measure(load_labelled(args.labels or LABELLED_QUESTIONS))
    if args.json:
        rows = [
            {**k.model_dump(), "precision": k.precision, "recall": k.recall} for k in accuracy.kinds
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
        parts = [
            f"missed {', '.join(mistake.missed)}" if mistake.missed else "",
            f"also found {', '.join(mistake.extra)}" if mistake.extra else "",
        ]
        print(f"  {mistake.question!r}: {'; '.join(p for p in parts if p)}", file=sys.stderr)
    return 0
