"""Goal-setting and review sessions with the scripted model: the guard on every turn, the plan
read back from the mentee's words, the review applied, and the check-in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.goals import GoalStore
from coach.goals.check_in import adjusted
from coach.goals.drafts import draft_plan, draft_review
from coach.goals.models import Preferences
from coach.goals.overview import overview, review_note, save_plan
from coach.goals.prompting import guidance
from coach.guard import GuardContext, check_reply
from coach.providers import ScriptedProvider
from coach.records import open_records, records_at
from coach.session import CoachSession, TurnResult, keep_review, open_session
from coach.settings import Settings

TODAY = date(2026, 11, 22)

GOAL_SETTING = [
    (
        "I want to grow into a tech lead role this year.",
        "Growing into a tech lead role. What would tell you that you had got there?",
    ),
    (
        "My goal is to lead a project end to end by March.",
        "Leading a project end to end. Why does that matter to you?",
    ),
    (
        "Because I want to be trusted with the hard problems.",
        "Being trusted with the hard problems matters. Which other milestone feels important?",
    ),
    (
        "I'd like to speak up in architecture reviews.",
        "Speaking up in reviews. What would be the first step towards leading a project?",
    ),
    (
        "I'll ask Sam for the next project by next Friday.",
        "You'll ask Sam by Friday. What is your first step for speaking up?",
    ),
    (
        "I will prepare one question for each review.",
        "One question for each review. How often would you like to come back to these?",
    ),
    ("Every two weeks feels right.", "Every two weeks. What would help you keep to that rhythm?"),
]

# Drafts a coach must never send: each proposes the mentee's goals or steps for them.
PROPOSALS = [
    "Your first milestone could be shipping the API. How does that sound?",
    "A good step would be to email Sam. When could you do it?",
]


def run_turns(
    session: CoachSession, scripted: ScriptedProvider, turns: list[tuple[str, str]]
) -> list[TurnResult]:
    results = []
    for said, reply in turns:
        scripted.enqueue(reply)
        result = list(session.stream_turn(said))[-1]
        assert isinstance(result, TurnResult)
        results.append(result)
    return results


def test_a_goal_setting_session_asks_and_the_plan_is_the_mentees_own(
    settings: Settings, isolated_env: Path
) -> None:
    scripted = ScriptedProvider()
    session = CoachSession(
        scripted,
        settings,
        user="ann",
        mode="goal_setting",
        guidance=guidance("goal_setting", *_empty(isolated_env)),
    )
    assert session.stage == "aspiration"
    assert "goal-setting session" in session.opening() or session.opening().endswith("?")
    results = run_turns(session, scripted, GOAL_SETTING)
    asked: list[str] = []
    for result in results:  # the guard on every turn, as the mentee saw it
        assert result.outcome == "model"
        assert check_reply(result.reply or "", GuardContext(earlier=asked)).passed, result.reply
        asked.append(result.reply or "")
    assert [r.stage for r in results][-1] == "rhythm"
    prompt = scripted.calls[0]
    assert any("Never propose a milestone" in m.content for m in prompt if m.role == "system")

    scripted.enqueue("not JSON")  # the model fails twice: the mentee's own words are the floor
    scripted.enqueue("still not JSON")
    draft = draft_plan(scripted, session.records, TODAY)
    assert [m.title for m in draft.milestones] == [
        "I want to grow into a tech lead role this year.",
        "My goal is to lead a project end to end by March.",
        "I'd like to speak up in architecture reviews.",
    ]
    assert draft.milestones[1].why == "Because I want to be trusted with the hard problems."
    assert [(s.text, s.due) for s in draft.milestones[2].steps] == [
        ("I'll ask Sam for the next project by next Friday.", date(2026, 11, 27)),
        ("I will prepare one question for each review.", None),
    ]
    assert draft.every_days == 14
    goals = GoalStore(open_records(settings), "ann")
    save_plan(goals, draft, TODAY)
    plan = goals.load()
    assert len(plan.active) == 3 and plan.cadence and plan.cadence.every_days == 14


@pytest.mark.parametrize("proposal", PROPOSALS)
def test_the_coach_never_proposes_a_milestone_or_a_step(settings: Settings, proposal: str) -> None:
    scripted = ScriptedProvider()
    session = CoachSession(scripted, settings, user="ann", mode="goal_setting")
    scripted.enqueue(proposal, proposal)  # the draft and its repair both propose
    result = list(session.stream_turn("I want to grow but I don't know what to aim for."))[-1]
    assert isinstance(result, TurnResult)
    assert result.outcome == "fallback"
    assert any("tells the mentee what to do" in reason for reason in result.rejected)
    assert proposal not in (result.reply or "") and check_reply(result.reply or "").passed


def _empty(data_dir: Path) -> tuple:  # type: ignore[type-arg]
    goals = GoalStore(records_at(data_dir), "ann")
    seen = overview(goals, None, TODAY)
    return seen.plan, seen.status


REVIEW = [
    (
        "I asked Sam and I'm leading the billing migration now!",
        "You're leading the billing migration. What did it take to ask Sam?",
    ),
    (
        "But I missed every architecture review this month.",
        "The reviews slipped. What got in the way?",
    ),
    (
        "Too many meetings, I think. I still want it but smaller.",
        "You still want it, smaller. For each milestone, which do you choose: keep, change, drop?",
    ),
    (
        "Keep the project. Change speaking up to one review a month. Drop the tech lead title.",
        "You have decided on each one. What is your next step on the project?",
    ),
]


def test_a_review_with_mixed_progress_goes_wins_setbacks_recalibrate_and_is_saved(
    settings: Settings,
) -> None:
    goals = GoalStore(open_records(settings), "ann")
    start = TODAY - timedelta(days=35)
    lead = goals.add_milestone("Grow into the tech lead title", today=start)
    project = goals.add_milestone("Lead a project end to end", "", [("Ask Sam", None)], start)
    speak = goals.add_milestone(
        "Speak up in architecture reviews", "", [("Prepare a question", "2026-11-01")], start
    )
    goals.set_step_status(project.id, project.steps[0].id, "done", TODAY)
    seen = overview(goals, None, TODAY)
    assert seen.status.review_due
    assert [i.text for i in seen.status.overdue] == ["Prepare a question"]
    text = guidance("review", seen.plan, seen.status) or ""
    assert "1 done, 0 open" in text and "Overdue step: Prepare a question" in text

    scripted = ScriptedProvider()
    session = open_session(scripted, settings, user="ann", mode="review", arc=seen)
    assert session.guidance == text
    results = run_turns(session, scripted, REVIEW)
    assert [r.stage for r in results] == ["wins", "setbacks", "recalibrate", "recalibrate"]
    assert all(r.outcome == "model" and check_reply(r.reply or "").passed for r in results)

    review = draft_review(session.records, seen.plan.active)
    assert review.decisions == {lead.id: "drop", project.id: "keep", speak.id: "change"}
    assert review.wins == ["I asked Sam and I'm leading the billing migration now!"]
    plan = keep_review(session, review, seen, TODAY)
    assert [m.title for m in plan.active] == [project.title, speak.title]
    assert plan.reviews[-1].progress[project.title] == 1.0
    note = review_note("ann", session.session_id, TODAY, seen.plan, review)
    assert "Plan: Drop: Grow into the tech lead title" in note.as_text()
    assert overview(goals, None, TODAY).status.review_due is False


def test_the_check_in_answer_moves_settings_the_mentee_can_see() -> None:
    prefs, changed = adjusted(
        Preferences(),
        "It helps, but push me harder and keep questions shorter. I feel rushed to a decision.",
    )
    assert prefs == Preferences(
        challenge="more", question_length="short", more_time_on_options=True
    )
    assert len(changed) == 3
    same, nothing = adjusted(prefs, "It's working well, thanks.")
    assert same == prefs and nothing == []
    gentler, _ = adjusted(prefs, "Honestly it feels too pushy sometimes.")
    assert gentler.challenge == "gentler"


def test_asking_for_more_time_on_options_keeps_the_coach_there_longer(
    settings: Settings,
) -> None:
    def stages_with(more: bool) -> list[str]:
        scripted = ScriptedProvider()
        floor_only = settings.model_copy(update={"safety_screen": "floor"})  # coaching under test
        session = CoachSession(
            scripted, floor_only, user=f"u{int(more)}", more_time_on_options=more
        )
        said = [
            "I can't decide whether to take the offer.",
            "My team would miss me.",
            "The money is better there.",
            "I could stay, or I could go.",
            "Or maybe negotiate.",
            "Or ask for a delay.",
            "Or take a sabbatical.",
            "That is all I can think of.",
            "I think staying matters most.",
            "I'll tell them on Friday.",
        ]
        turns = [
            (text, f"What else matters to you about option {n}?") for n, text in enumerate(said)
        ]
        return [r.stage for r in run_turns(session, scripted, turns)]

    plain, longer = stages_with(False), stages_with(True)
    assert plain.count("options") == 4
    assert longer.count("options") == plain.count("options") + 2
    assert longer[-1] == "commitment"
