"""The question critique: each flaw kind, rewrites the guard accepts, bad input, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.acts import classify
from coach.guard import check_reply
from coach.mentor import FLAW_KINDS, InputProblem, critique
from coach.mentor.accuracy import load_labelled, measure
from coach.mentor.critique import find_flaws
from coach.providers import ScriptedProvider

SITUATION = "My manager presented my churn analysis to the directors as his own."
HELD_OUT = Path(__file__).resolve().parents[2] / "evals" / "mentor" / "heldout.yaml"


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Did you talk to him about it?", ["closed"]),
        ("Don't you think he is taking advantage of you?", ["closed", "leading"]),
        ("Have you considered asking HR?", ["closed", "advice"]),
        ("What if you just left at five?", ["advice"]),
        ("Why didn't you say anything in the meeting?", ["why"]),
        ("What happened, and how did you feel?", ["stacked"]),
        ("What happened? Who knew?", ["stacked"]),
        (
            "When you think about everything that happened in that meeting with the directors "
            "and your manager last week, what is the part that stays with you most tonight?",
            ["long"],
        ),
        ("How does that make you feel?", ["vague"]),
        ("What is your favourite season?", ["vague"]),
        ("What would you want the directors to know about your analysis?", []),
        ("Would it help if I shared one idea some people try?", []),
    ],
)
def test_each_flaw_is_found(question: str, kinds: list[str]) -> None:
    assert find_flaws(question, SITUATION) == kinds


def test_every_finding_explains_why_it_matters() -> None:
    result = critique("Why don't you just tell the directors?", SITUATION)
    assert [f.kind for f in result.findings] == ["advice", "why"]
    assert all(len(f.explanation.split()) >= 12 for f in result.findings)


def test_a_good_question_gets_no_findings_and_still_alternatives() -> None:
    result = critique("What would you want the directors to know about your analysis?", SITUATION)
    assert result.good and result.findings == []
    assert len(result.rewrites) >= 2


@pytest.mark.parametrize("path", [None, HELD_OUT])
def test_every_rewrite_is_an_open_question_the_guard_passes(path: Path | None) -> None:
    items = load_labelled(path) if path else load_labelled()
    for item in items:
        result = critique(item.question, item.context)
        assert len(result.rewrites) >= 2, item.question
        for rewrite in result.rewrites:
            assert check_reply(rewrite).passed, rewrite
            assert classify(rewrite).question_type == "open", rewrite
            assert find_flaws(rewrite) == [], rewrite


def test_the_labelled_set_meets_the_precision_and_recall_floor() -> None:
    items = load_labelled()
    assert len(items) >= 120
    scores = {score.kind: score for score in measure(items).kinds}
    assert set(scores) == set(FLAW_KINDS)
    for kind, score in scores.items():
        assert score.labelled >= 10, kind
        assert (score.precision or 0) >= 0.85 and (score.recall or 0) >= 0.85, kind


def test_a_capable_model_adds_rewrites_and_the_guard_filters_them() -> None:
    model = ScriptedProvider(
        [
            json.dumps(
                {
                    "rewrites": [
                        "What would you want the directors to see in your analysis?",
                        "You should tell them. What do you think?",
                        "Did you tell them?",
                    ]
                }
            )
        ]
    )
    result = critique("Have you considered telling the directors?", SITUATION, model)
    assert result.rewrites[0] == "What would you want the directors to see in your analysis?"
    assert "You should tell them. What do you think?" not in result.rewrites
    assert "Did you tell them?" not in result.rewrites
    assert len(result.rewrites) >= 2


def test_a_failing_model_leaves_the_rule_rewrites() -> None:
    model = ScriptedProvider(["not json", "still not json"])
    result = critique("Did you tell them?", SITUATION, model)
    assert len(result.rewrites) >= 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "There is no question to critique"),
        ("   \n ", "There is no question to critique"),
        ("You should quit and start again.", "reads as advice, not a question"),
        ("what " * 2500 + "?", "should be at most 2,000"),
    ],
)
def test_bad_input_gets_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InputProblem, match=message):
        critique(text)


def coach(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "mentor", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cli_prints_the_published_json_shape() -> None:
    result = coach("critique", "Have you considered asking HR?", "--context", SITUATION, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"findings", "rewrites"}
    assert [f["kind"] for f in payload["findings"]] == ["closed", "advice"]
    assert all(set(f) == {"kind", "explanation"} for f in payload["findings"])
    assert len(payload["rewrites"]) >= 2


def test_the_cli_says_a_good_question_is_good() -> None:
    result = coach("critique", "What matters most to you in this?")
    assert result.returncode == 0 and result.stdout.startswith("This is a good question")


def test_the_cli_refuses_bad_input_without_a_traceback() -> None:
    result = coach("critique", "x" * 10_000)
    assert result.returncode == 2
    assert "at most 2,000" in result.stderr and "Traceback" not in result.stderr


def test_the_check_command_reports_every_flaw_kind() -> None:
    result = coach("check", "--json")
    assert result.returncode == 0, result.stderr
    kinds = {row["kind"]: row for row in json.loads(result.stdout)["kinds"]}
    assert set(kinds) == set(FLAW_KINDS)
    assert all(row["precision"] is not None for row in kinds.values())
