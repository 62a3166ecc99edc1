"""Question plans, advice-request checks and practice scorecards."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coach.errors import ConfigError
from coach.evals.scenario import load_scenarios
from coach.guard import check_reply
from coach.mentor import InputProblem
from coach.mentor.plan import question_plan
from coach.mentor.practice import PracticeMentee, scorecard
from coach.mentor.request import critique_request
from coach.paths import PROJECT_ROOT
from coach.providers import ScriptedProvider

SCENARIOS = {s.id: s for s in load_scenarios(PROJECT_ROOT / "evals" / "scenarios")}


def test_a_plan_has_two_or_three_guarded_questions_per_stage() -> None:
    plan = question_plan("I was passed over for a team lead role and I'm thinking of leaving.")
    assert [s.stage for s in plan.stages] == ["dilemma", "reality", "options", "commitment"]
    for stage in plan.stages:
        assert 2 <= len(stage.questions) <= 3
        assert all(check_reply(q).passed for q in stage.questions)
    assert "passed over for a team lead" in plan.stages[0].questions[0]


def test_a_capable_model_adapts_the_plan_and_the_guard_filters_it() -> None:
    model = ScriptedProvider(
        [
            json.dumps(
                {
                    "stages": {
                        "options": [
                            "What would staying another year give you?",
                            "You should leave. Why not?",
                        ],
                    }
                }
            )
        ]
    )
    plan = question_plan("I was passed over for a team lead role.", model)
    options = next(s for s in plan.stages if s.stage == "options").questions
    assert options[0] == "What would staying another year give you?"
    assert "You should leave. Why not?" not in options


def test_a_plan_needs_a_situation() -> None:
    with pytest.raises(InputProblem, match="Describe the mentee's situation"):
        question_plan("  ")


def test_a_vague_open_ended_request_is_not_ready() -> None:
    result = critique_request("Hi! Could I pick your brain sometime? Would you be my mentor?")
    assert not result.ready
    assert {f.quality for f in result.findings if not f.met} == {
        "specific",
        "manageable",
        "genuine",
    }
    assert "20-minute call" in result.tighter


def test_a_specific_bounded_genuine_request_is_ready() -> None:
    draft = (
        "I lead a team of four and we are three weeks behind on our first migration project. "
        "Could I ask you one question in a 20-minute call: how did you decide when to tell "
        "your director about a slip?"
    )
    result = critique_request(draft)
    assert result.ready
    assert result.tighter.startswith("I lead a team of four")
    assert result.tighter.endswith("how did you decide when to tell your director about a slip?")


def test_a_request_for_validation_is_not_genuine() -> None:
    result = critique_request(
        "I have decided to quit my job and open a bakery next spring. "
        "I just need you to confirm I'm right; don't you agree it is the best move?"
    )
    genuine = next(f for f in result.findings if f.quality == "genuine")
    assert not genuine.met and "agreement" in genuine.advice


def test_practice_replies_in_persona_and_scores_the_mentor() -> None:
    scenario = SCENARIOS["credit-manager-presents-work"]
    mentee = PracticeMentee(scenario)
    assert mentee.first_message == scenario.turns[0]
    assert mentee.reply("What happened?") == scenario.turns[1]
    mentee.reply("You should tell the directors yourself. Have you considered that?")
    mentee.reply("You felt invisible. What do you want the directors to know?")
    card = scorecard(scenario, mentee.exchanges)
    assert card.turns == 3 and card.advice_turns == 1 and card.stacked_turns == 0
    assert card.open_question_share == pytest.approx(2 / 3)
    assert card.reflection_to_question == pytest.approx(1 / 3)
    assert card.mentee_talk_share is not None and card.mentee_talk_share > 0.6
    assert card.worst is not None and card.worst.mentor.startswith("You should tell")
    assert check_reply(card.worst.better).passed


def test_practice_with_a_simulated_persona_needs_a_model() -> None:
    with pytest.raises(ConfigError, match="needs a model"):
        PracticeMentee(SCENARIOS["mentor-ask-simulated"])
    model = ScriptedProvider(["I worry she will think I'm pushy."])
    mentee = PracticeMentee(SCENARIOS["mentor-ask-simulated"], model)
    assert mentee.reply("What makes you hesitate?") == "I worry she will think I'm pushy."
    assert "What makes you hesitate?" in model.calls[0][-1].content


def test_practice_over_a_pipe_prints_a_scorecard() -> None:
    turns = "What happened?\nDid you say anything?\n/end\n"
    result = subprocess.run(
        [sys.executable, "-m", "coach", "mentor", "practice", "--json"],
        input=turns,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["turns"] == 2 and card["open_question_share"] == 0.5
    assert "mentee> " in result.stderr


def test_practice_with_an_unknown_scenario_lists_the_choices() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coach", "mentor", "practice", "--scenario", "nope"],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "credit-manager-presents-work" in result.stderr
