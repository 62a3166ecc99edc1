"""The plan: limits, dates, empty words, and that a refused change loses nothing saved (on
both record engines); two writers at once lose neither change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from coach.goals import GoalProblem, GoalStore
from coach.goals.dates import parse_due
from coach.goals.models import GoalPlan
from coach.records import Database
from coach.records.schema import plans

TODAY = date(2026, 11, 22)


@pytest.fixture
def goals(database: Database) -> GoalStore:
    return GoalStore(database, "ann")


def test_a_milestone_keeps_the_mentees_words_steps_and_dates(goals: GoalStore) -> None:
    added = goals.add_milestone(
        "Lead a project end to end",
        "I want to be trusted with more",
        [("Ask Sam for the next project", "next Friday"), ("Write the plan", None)],
        TODAY,
    )
    [kept] = goals.load().milestones
    assert kept == added
    assert kept.why == "I want to be trusted with more"
    assert [(s.text, s.due) for s in kept.steps] == [
        ("Ask Sam for the next project", date(2026, 11, 27)),
        ("Write the plan", None),
    ]


def test_a_fourth_active_milestone_is_refused_with_an_offer_to_review(goals: GoalStore) -> None:
    for title in ["One", "Two", "Three"]:
        goals.add_milestone(title, today=TODAY)
    before = goals.raw()
    with pytest.raises(GoalProblem, match=r'3 active milestones: "One"; "Two"; "Three".*Review'):
        goals.add_milestone("Four", today=TODAY)
    assert goals.raw() == before
    [first, *_] = goals.load().milestones
    goals.update_milestone(first.id, status="achieved")
    goals.add_milestone("Four", today=TODAY)  # room again once one is reviewed
    assert [m.title for m in goals.load().active] == ["Two", "Three", "Four"]
    with pytest.raises(GoalProblem, match="active milestones"):
        goals.update_milestone(first.id, status="active")


@pytest.mark.parametrize(
    ("title", "step", "due", "message"),
    [
        ("   ", "A step", None, "The milestone is empty"),
        ("Speak up more", " ", None, "The step is empty"),
        ("Speak up more", "Ask a question in stand-up", "yesterday", "in the past"),
        ("Speak up more", "Ask a question in stand-up", "2026-11-21", "in the past"),
        ("Speak up more", "Ask a question in stand-up", "blorp", "not a date I can read"),
        ("Speak up more", "Ask a question in stand-up", "2026-02-30", "not a date I can read"),
    ],
)
def test_bad_words_and_dates_get_a_clear_message_and_nothing_saved_is_lost(
    goals: GoalStore, title: str, step: str, due: str | None, message: str
) -> None:
    goals.add_milestone("Already saved", today=TODAY)
    before = goals.raw()
    with pytest.raises(GoalProblem, match=message):
        goals.add_milestone(title, "", [(step, due)], TODAY)
    assert goals.raw() == before


def test_due_today_is_accepted_and_everyday_phrases_are_read() -> None:
    assert parse_due("2026-11-22", TODAY) == TODAY
    assert parse_due("tomorrow", TODAY) == date(2026, 11, 23)
    assert parse_due("in two weeks", TODAY) == date(2026, 12, 6)
    assert parse_due("", TODAY) is None


def test_steps_change_status_and_commitments_link_to_one_milestone(goals: GoalStore) -> None:
    first = goals.add_milestone("One", "", [("Step", None)], TODAY)
    second = goals.add_milestone("Two", today=TODAY)
    step = goals.set_step_status(first.id, first.steps[0].id, "done", TODAY)
    assert step.closed_on == TODAY
    goals.link_commitment(first.id, "c1")
    goals.link_commitment(second.id, "c1")  # moving it: a commitment counts once
    plan = goals.load()
    assert [m.commitments for m in plan.milestones] == [[], ["c1"]]
    with pytest.raises(GoalProblem, match="no milestone"):
        goals.link_commitment("nope", "c1")


def test_a_damaged_plan_gets_a_message_not_a_traceback(goals: GoalStore) -> None:
    goals.save(GoalPlan())
    with goals.records.write() as connection:
        connection.execute(update(plans).values(body="{not json"))
    with pytest.raises(GoalProblem, match="cannot be read"):
        goals.load()
    with pytest.raises(GoalProblem, match="cannot be read"):
        goals.add_milestone("Speak up more")
    assert goals.raw() == "{not json"  # a refused change leaves it for the mentee to export


def test_changes_from_two_app_servers_at_once_are_both_kept(goals: GoalStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    other = GoalStore(Database(goals.records.url), "ann")  # another server's connections
    goals.add_milestone("Speak up more", today=TODAY)
    [milestone] = goals.load().milestones

    def add(store: GoalStore, n: int) -> None:
        store.add_step(milestone.id, f"Step {n}", None, today=TODAY)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, [goals, other] * 5, range(10)))
    steps = {step.text for step in goals.load().milestones[0].steps}
    assert steps == {f"Step {n}" for n in range(10)}
