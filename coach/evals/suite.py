"""A whole eval: run the scenarios, score them, check the thresholds, judge if asked."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.acts.classifier import in_effect as acts_in_effect
from coach.acts.trust import agreement_of
from coach.evals.cassette import Cassette, RecordingProvider, ReplayProvider
from coach.evals.judge import JudgeVerdict, calibrate, judge_turn, load_calibration_set
from coach.evals.metrics import Embed, score_scenario, suite_metrics
from coach.evals.records import ScenarioRun
from coach.evals.report.model import (
    JudgeSummary,
    Report,
    SuiteResult,
    judge_pass_rate,
    scenario_report,
)
from coach.evals.rubric import rubric_figures
from coach.evals.runner import RunMode, SuiteRun, run_suite
from coach.evals.scenario import Scenario
from coach.evals.thresholds import Thresholds, check_thresholds
from coach.memory import Embedder
from coach.providers import ChatProvider, unconstrained
from coach.settings import Settings


@dataclass
class EvalPlan:
    """Everything ``coach eval`` was asked to do."""

    scenarios: Sequence[Scenario]
    thresholds: Thresholds
    settings: Settings
    embedder: Embedder
    mode: RunMode = "live"
    providers: Sequence[ChatProvider] = ()
    """One coach model per parallel worker; none when replaying."""
    cassette: Cassette | None = None
    baseline: bool = False
    judge: ChatProvider | None = None
    judge_replay: bool = False
    labels: dict[str, str] = field(default_factory=dict)


def _judge_channel(plan: EvalPlan, scenario: str) -> ChatProvider | None:
    if plan.judge_replay:
        assert plan.cassette is not None
        return ReplayProvider(plan.cassette, scenario, "judge")
    if plan.judge is None:
        return None
    judge = unconstrained(plan.judge)
    if plan.mode == "record" and plan.cassette is not None:
        return RecordingProvider(judge, plan.cassette, scenario, "judge")
    return judge


def _judge_runs(
    plan: EvalPlan, runs: Sequence[ScenarioRun], label: str
) -> list[dict[int, JudgeVerdict | None]]:
    verdicts = []
    for run in runs:
        judge = _judge_channel(plan, f"judge/{label}{run.scenario.id}")
        by_turn: dict[int, JudgeVerdict | None] = {}
        if judge is not None:
            for turn in run.coach_turns:
                by_turn[turn.index] = judge_turn(judge, turn.mentee or "", turn.coach or "")
        verdicts.append(by_turn)
    return verdicts


def _suite_result(
    plan: EvalPlan, runs: Sequence[ScenarioRun], label: str, model: str, embed: Embed
) -> SuiteResult:
    scores = [score_scenario(run, embed, plan.thresholds.repeat_similarity) for run in runs]
    metrics = {**suite_metrics(runs, scores), **rubric_figures(runs)}
    prefix = "baseline/" if label == "baseline" else ""
    verdicts = _judge_runs(plan, runs, prefix)
    scenarios = [
        scenario_report(run, score, verdict)
        for run, score, verdict in zip(runs, scores, verdicts, strict=True)
    ]
    return SuiteResult(
        label=label,
        model=model,
        metrics=metrics,
        checks=check_thresholds(metrics, plan.thresholds),
        judge_pass_rate=judge_pass_rate(scenarios),
        scenarios=scenarios,
    )


def run_eval(plan: EvalPlan) -> Report:
    """Run the suite (and the baseline and judge, if asked) and build the report."""
    started = time.perf_counter()
    embed = plan.embedder.embed
    if plan.providers:
        model = plan.providers[0].describe()
    else:
        model = plan.cassette.provider if plan.cassette else "unknown"
    with tempfile.TemporaryDirectory(prefix="coach-eval-") as scratch:
        suite_run = SuiteRun(
            settings=plan.settings,
            work_dir=Path(scratch),
            providers=plan.providers,
            cassette=plan.cassette,
            mode=plan.mode,
            embedder=plan.embedder,
        )
        coach_runs = run_suite(suite_run, plan.scenarios)
        baseline_runs = None
        if plan.baseline:
            suite_run.baseline = True
            baseline_runs = run_suite(suite_run, plan.scenarios)
    coach = _suite_result(plan, coach_runs, "coach", model, embed)
    baseline = (
        _suite_result(plan, baseline_runs, "baseline", model + ", plain prompt", embed)
        if baseline_runs is not None
        else None
    )
    judge = None
    calibration_judge = _judge_channel(plan, "calibration")
    if calibration_judge is not None:
        agreement = calibrate(calibration_judge, load_calibration_set())
        judge_model = plan.labels.get("judge") or calibration_judge.describe()
        judge = JudgeSummary(model=judge_model, calibration=agreement)
    acts_by = acts_in_effect()
    return Report(
        created=datetime.now().isoformat(timespec="seconds"),
        mode=plan.mode,
        scenarios_from=plan.labels.get("scenarios", ""),
        thresholds_from=plan.labels.get("thresholds", ""),
        wall_seconds=round(time.perf_counter() - started, 2),
        passed=coach.passed,
        coach=coach,
        baseline=baseline,
        judge=judge,
        acts_by=acts_by,
        acts_agreement=agreement_of(acts_by),
    )
