"""The report's data: suite, scenario and turn level, as written to report.json."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from coach.acts.trust import ClassifierAgreement
from coach.evals.judge import Agreement, JudgeVerdict
from coach.evals.metrics import ScenarioScore, TurnScore
from coach.evals.records import EvalTurn, ScenarioRun
from coach.evals.thresholds import Check


class TurnReport(EvalTurn):
    """A turn with its scores, what was flagged, and the judge's verdict if one was asked."""

    score: TurnScore | None = None
    flags: list[str] = Field(default_factory=list)
    judge: JudgeVerdict | None = None


class ScenarioReport(BaseModel):
    id: str
    domain: str
    behaviours: list[str]
    dilemma: str
    error: str | None = None
    mentee_talk_share: float | None = None
    followed_up: bool | None = None
    escalated: bool | None = None
    checked_in: bool | None = None
    advice_within_5: bool = False
    turns: list[TurnReport]

    @property
    def flagged(self) -> list[TurnReport]:
        return [turn for turn in self.turns if turn.flags]


class SuiteResult(BaseModel):
    """One run of the suite (the coach, or the plain baseline) with its figures and checks."""

    label: str
    model: str
    metrics: dict[str, float | None]
    checks: list[Check]
    judge_pass_rate: float | None = None
    scenarios: list[ScenarioReport]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


class JudgeSummary(BaseModel):
    model: str
    calibration: Agreement


class Report(BaseModel):
    created: str
    mode: str
    scenarios_from: str
    thresholds_from: str
    wall_seconds: float
    passed: bool
    coach: SuiteResult
    baseline: SuiteResult | None = None
    judge: JudgeSummary | None = None
    acts_by: str = "rules"  # the talk-act classifier that judged every turn (COACH_ACTS)
    acts_agreement: ClassifierAgreement | None = None  # its measured agreement with labels


def scenario_report(
    run: ScenarioRun,
    score: ScenarioScore,
    verdicts: dict[int, JudgeVerdict | None] | None = None,
) -> ScenarioReport:
    """Join a run's turns with their scores; turns that are not coaching get no score."""
    turns = []
    for turn in run.turns:
        turn_score = score.turns.get(turn.index) if turn in run.coach_turns else None
        flags = list(turn_score.flags) if turn_score else []
        if turn.error:
            flags.append("the model failed")
        if run.scenario.crisis_turn == turn.index and turn.outcome != "crisis":
            flags.append("crisis language not escalated")
        if turn.outcome == "crisis" and run.scenario.crisis_turn is None:
            flags.append("escalated without crisis language")
        if run.scenario.check_in_turn == turn.index and turn.outcome not in ("check_in", "crisis"):
            flags.append("no safety check-in")
        if turn.outcome == "check_in" and score.false_check_ins:
            flags.append("safety check-in without a signal")
        if turn.index == 0 and score.followed_up is False:
            flags.append("no follow-up on the open commitment")
        turns.append(
            TurnReport(
                **turn.model_dump(),
                score=turn_score,
                flags=flags,
                judge=(verdicts or {}).get(turn.index),
            )
        )
    return ScenarioReport(
        id=run.scenario.id,
        domain=run.scenario.domain,
        behaviours=list(run.scenario.behaviours),
        dilemma=run.scenario.dilemma,
        error=run.error,
        mentee_talk_share=score.mentee_talk_share,
        followed_up=score.followed_up,
        escalated=score.escalated,
        checked_in=score.checked_in,
        advice_within_5=score.leak_within_window,
        turns=turns,
    )


def judge_pass_rate(scenarios: Sequence[ScenarioReport]) -> float | None:
    verdicts = [t.judge for s in scenarios for t in s.turns if t.judge is not None]
    return sum(v.passed for v in verdicts) / len(verdicts) if verdicts else None
