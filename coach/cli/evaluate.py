"""``coach eval``: run the scenario suite against a model and check it against thresholds."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from coach.cli.flags import add_model_flags, path_arg
from coach.errors import ConfigError
from coach.paths import SCENARIOS_DIR
from coach.providers import ChatProvider
from coach.settings import Settings

DEFAULT_SCENARIOS = SCENARIOS_DIR
EXIT_PASSED, EXIT_FAILED = 0, 1


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "eval",
        help="prove question-over-answer behaviour on the scenario suite",
        description=(
            "Run every scenario against the coach, score each coach turn with the talk-act "
            "classifier, and check the figures against the thresholds. Writes report.json, "
            "report.md and report.html to --out. Exit status: 0 when every threshold holds, "
            "1 when one fails, 2 on a usage error."
        ),
    )
    add_model_flags(parser)
    parser.add_argument(
        "--scenarios",
        type=path_arg,
        default=DEFAULT_SCENARIOS,
        help="a scenario YAML file or a folder of them (default: the project's suite)",
    )
    parser.add_argument("--out", type=path_arg, required=True, help="folder for the reports")
    parser.add_argument("--junit", type=path_arg, help="also write JUnit XML here, for CI")
    parser.add_argument(
        "--thresholds", type=path_arg, help="thresholds YAML (default: the project's)"
    )
    tape = parser.add_mutually_exclusive_group()
    tape.add_argument("--record", type=path_arg, help="record every model response to this file")
    tape.add_argument(
        "--replay", type=path_arg, help="re-score responses recorded with --record; runs no model"
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also run a plain-prompt coach with no guard and no memory, for comparison",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help=(
            "scenarios run at once, each with its own model instance (default: 1). More helps "
            "with a remote model; the embedded one already uses every core."
        ),
    )
    parser.add_argument(
        "--judge",
        metavar="PROVIDER",
        help="also grade turns with an LLM judge on ICF markers (a capable provider)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.evals.cassette import Cassette
    from coach.evals.report.write import write_junit, write_reports
    from coach.evals.runner import RunMode
    from coach.evals.scenario import load_scenarios
    from coach.evals.suite import EvalPlan, run_eval
    from coach.evals.thresholds import DEFAULT_THRESHOLDS, load_thresholds
    from coach.memory import get_embedder
    from coach.providers import build_provider, get_provider
    from coach.settings import load_settings

    thresholds_path = args.thresholds or DEFAULT_THRESHOLDS
    thresholds = load_thresholds(thresholds_path)
    scenarios = load_scenarios(args.scenarios)
    settings = load_settings(provider=args.provider, model=args.model, base_url=args.base_url)
    cassette = Cassette.load(args.replay) if args.replay else None
    mode: RunMode = "replay" if args.replay else "record" if args.record else "live"
    providers = [] if args.replay else _providers(settings, args.jobs, build_provider)
    if args.record:
        recorded = providers[0]
        cassette = Cassette(recorded.describe(), capabilities=recorded.capabilities)
    judge = None
    if args.judge and not args.replay:
        judge = get_provider(settings.model_copy(update={"provider": args.judge}))
    print(f"Running {len(scenarios)} scenarios ({mode}).", file=sys.stderr, flush=True)
    plan = EvalPlan(
        scenarios=scenarios,
        thresholds=thresholds,
        settings=settings,
        embedder=get_embedder(settings),
        mode=mode,
        providers=providers,
        cassette=cassette,
        baseline=args.baseline,
        judge=judge,
        judge_replay=bool(args.judge and args.replay),
        labels={
            "scenarios": str(args.scenarios),
            "thresholds": str(thresholds_path),
            "judge": args.judge or "",
        },
    )
    report = run_eval(plan)
    if args.record and cassette is not None:
        cassette.save(args.record)
        print(f"Recorded {len(cassette)} model calls to {args.record}.", file=sys.stderr)
    paths = write_reports(report, args.out)
    if args.junit:
        paths.append(write_junit(report, args.junit))
    _print_summary(report)
    print("Reports: " + ", ".join(str(path) for path in paths))
    return EXIT_PASSED if report.passed else EXIT_FAILED


def _providers(
    settings: Settings, jobs: int, build: Callable[[Settings], ChatProvider]
) -> list[ChatProvider]:
    """One model per worker. Local models share the CPU threads; a script cannot be split."""
    if jobs < 1:
        raise ConfigError("--jobs must be at least 1.")
    if settings.provider == "scripted":
        jobs = 1
    worker = settings.model_copy(update={"threads": max(1, settings.threads // jobs)})
    return [build(worker) for _ in range(jobs)]


def _print_summary(report: Any) -> None:
    from coach.evals.report.write import LABELS, figure

    suite = report.coach
    verdict = "passed" if report.passed else "FAILED"
    print(f"Coach eval {verdict}: {suite.model}, {len(suite.scenarios)} scenarios.")
    for check in suite.checks:
        mark = "ok  " if check.passed else "FAIL"
        value = figure(check.value, check.metric)
        base = ""
        if report.baseline is not None:
            base = f" (baseline {figure(report.baseline.metrics[check.metric], check.metric)})"
        print(f"  {mark} {LABELS.get(check.metric, check.metric)}: {value}{base}, {check.limit}")
