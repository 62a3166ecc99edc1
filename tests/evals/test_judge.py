"""The LLM judge: parsing with one corrective retry, agreement with the hand labels, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.acts.trust import agreement_of
from coach.evals.judge import (
    CRITERIA,
    JudgeVerdict,
    agreement,
    calibrate,
    judge_turn,
    load_calibration_set,
)
from coach.evals.report.write import write_reports
from coach.evals.suite import EvalPlan, run_eval
from coach.evals.thresholds import load_thresholds
from coach.memory import get_embedder
from coach.providers import ScriptedProvider
from coach.settings import load_settings
from tests.evals.conftest import scenario


def verdict_json(**fails: bool) -> str:
    return json.dumps({name: not fails.get(name, False) for name in CRITERIA} | {"reason": "ok"})


def test_the_calibration_set_is_large_and_balanced() -> None:
    items = load_calibration_set()
    assert len(items) >= 60
    good = [item for item in items if not item.fails]
    assert 0.3 <= len(good) / len(items) <= 0.7
    for criterion in CRITERIA:
        assert any(criterion in item.fails for item in items), criterion


def test_an_invalid_judgement_gets_one_corrective_retry() -> None:
    judge = ScriptedProvider(["I think it is fine.", verdict_json(no_advice=True)])
    verdict = judge_turn(judge, "He took credit.", "You should tell him.")
    assert verdict is not None and not verdict.no_advice and not verdict.passed
    assert "not a valid judgement" in judge.calls[1][-1].content
    assert '"You should tell him."' in judge.calls[0][0].content  # quoted as data


def test_a_judge_that_never_answers_properly_counts_as_unparsed() -> None:
    items = load_calibration_set()[:2]
    judge = ScriptedProvider(["no", "still no", verdict_json(), verdict_json()])
    result = calibrate(judge, items)
    assert result.turns == 2 and result.unparsed == 1


def test_agreement_is_measured_per_marker_and_overall() -> None:
    items = load_calibration_set()
    perfect = [JudgeVerdict(**{name: item.label(name) for name in CRITERIA}) for item in items]
    result = agreement(items, perfect)
    assert result.accuracy["overall"] == 1.0 and result.kappa["overall"] == 1.0
    always_pass = [JudgeVerdict(**dict.fromkeys(CRITERIA, True)) for _ in items]
    lenient = agreement(items, always_pass)
    good_share = sum(not item.fails for item in items) / len(items)
    assert lenient.accuracy["overall"] == round(good_share, 3)
    assert lenient.kappa["overall"] == 0.0


def test_judge_verdicts_and_agreement_appear_in_the_report(tmp_path: Path) -> None:
    credit = scenario(id="credit", turns=["My manager presented my analysis as his own."])
    calibration = load_calibration_set()
    judge_replies = [verdict_json()] + [
        verdict_json(**{name: name in item.fails for name in CRITERIA}) for item in calibration
    ]
    settings = load_settings(provider="scripted")
    report = run_eval(
        EvalPlan(
            scenarios=[credit],
            thresholds=load_thresholds(),
            settings=settings,
            embedder=get_embedder(settings),
            providers=[ScriptedProvider(["What went through your mind then?"])],
            judge=ScriptedProvider(judge_replies),
            labels={"judge": "scripted judge"},
        )
    )
    assert report.judge is not None and report.judge.calibration.accuracy["overall"] == 1.0
    turn = report.coach.scenarios[0].turns[1]
    assert turn.judge is not None and turn.judge.passed
    assert report.coach.judge_pass_rate == 1.0
    write_reports(report, tmp_path)
    assert "Agreement with 66 hand-labelled turns" in (tmp_path / "report.md").read_text()
    assert "scripted judge" in (tmp_path / "report.html").read_text()


@pytest.mark.parametrize(
    ("choice", "readable", "said"),
    [
        ("", True, "the rules"),
        ("learned", True, "the learned heads"),
        ("learned", False, "the rules"),  # heads that cannot be read: the rules judged
    ],
)
def test_the_report_names_the_talk_act_classifier_that_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, choice: str, readable: bool, said: str
) -> None:
    from coach.acts import classifier

    monkeypatch.setenv("COACH_ACTS", choice)
    if not readable:
        monkeypatch.setattr(classifier, "learned_model", lambda: None)
    settings = load_settings(provider="scripted")
    report = run_eval(
        EvalPlan(
            scenarios=[scenario(id="credit", turns=["My manager took credit for my work."])],
            thresholds=load_thresholds(),
            settings=settings,
            embedder=get_embedder(settings),
            providers=[ScriptedProvider(["What went through your mind then?"])],
        )
    )
    write_reports(report, tmp_path)
    judged_by = "learned" if said == "the learned heads" else "rules"
    assert report.acts_agreement is not None
    assert report.acts_agreement.classifier == judged_by  # the judge's own figures, not the other's
    found = agreement_of(judged_by)
    assert found is not None and found.expert_coded is not None
    test_row = (
        f"| the project's test split | {found.corpus_test.utterances} "
        f"| {found.corpus_test.kappa_main:.2f} | {found.corpus_test.kappa_question:.2f} "
        f"| {found.corpus_test.kappa_open_closed:.2f} |"
    )
    expert_row = (
        f"<td>{found.expert_coded_set}</td><td>{found.expert_coded.utterances}</td>"
        f"<td>{found.expert_coded.kappa_main:.2f}</td>"
    )
    markdown, html = ((tmp_path / page).read_text() for page in ("report.md", "report.html"))
    for text in (markdown, html):
        assert f"Talk acts judged by {said}" in text
        assert "How far the talk-act judge can be trusted" in text
        assert f"{100 * found.expert_coded.advice_recall:.0f}% of the advice experts code" in text
    assert test_row in markdown
    assert expert_row in html
