"""Progress, overdue items and the session rhythm, at date boundaries with a fixed clock."""

from __future__ import annotations

from datetime import date, timedelta

from coach.goals.models import Cadence, CheckIn, GoalPlan, Milestone, Step
from coach.goals.progress import milestone_progress, status
from coach.notes.models import Commitment, SessionNote

TODAY = date(2026, 11, 22)


def plan_with(*steps: Step, commitments: list[str] | None = None) -> GoalPlan:
    milestone = Milestone(
        id="m1",
        title="Lead a project",
        steps=list(steps),
        created=TODAY - timedelta(days=30),
        commitments=commitments or [],
    )
    return GoalPlan(milestones=[milestone], cadence=Cadence(every_days=7, since=TODAY))


def session_on(day: date, flags: list[str] | None = None) -> SessionNote:
    return SessionNote(user="ann", session=f"s{day:%j}", date=day, dilemma="d", flags=flags or [])


def test_due_today_is_not_overdue_and_due_yesterday_is() -> None:
    plan = plan_with(
        Step(id="a", text="due today", due=TODAY),
        Step(id="b", text="due yesterday", due=TODAY - timedelta(days=1)),
        Step(id="c", text="done late", due=TODAY - timedelta(days=5), status="done"),
    )
    state = status(plan, [], [], TODAY)
    assert [(i.id, i.days_overdue) for i in state.overdue] == [("b", 1)]
    tomorrow = status(plan, [], [], TODAY + timedelta(days=1))
    assert {i.id for i in tomorrow.overdue} == {"a", "b"}


def test_progress_counts_steps_and_linked_commitments_and_leaves_dropped_out() -> None:
    plan = plan_with(
        Step(text="done", status="done"),
        Step(text="dropped", status="dropped"),
        Step(text="open"),
        commitments=["c1", "c2"],
    )
    commitments = [
        Commitment(id="c1", text="kept", status="done"),
        Commitment(id="c2", text="late", due=TODAY - timedelta(days=2)),
        Commitment(id="c3", text="not linked", status="done"),
    ]
    progress = milestone_progress(plan.milestones[0], commitments, TODAY)
    assert (progress.done, progress.open, progress.dropped, progress.overdue) == (2, 2, 1, 1)
    assert progress.progress == 0.5
    state = status(plan, [], commitments, TODAY)
    assert [(i.kind, i.text, i.milestone) for i in state.overdue] == [
        ("commitment", "late", "Lead a project")
    ]


def test_the_next_session_is_due_one_rhythm_after_the_last_session() -> None:
    plan = plan_with()
    last = TODAY - timedelta(days=7)
    notes = [session_on(last), session_on(TODAY - timedelta(days=1), ["journal"])]
    state = status(plan, notes, [], TODAY)
    assert state.last_session == last  # a journal entry is not a session
    assert (state.next_session_due, state.session_due_in_days) == (TODAY, 0)
    late = status(plan, notes, [], TODAY + timedelta(days=3))
    assert late.session_due_in_days == -3
    assert status(plan, [], [], TODAY).next_session_due == TODAY  # no session yet: due now


def test_a_review_is_due_after_four_rhythms_and_a_check_in_after_three_sessions() -> None:
    plan = plan_with()  # created 30 days ago, weekly: review due after 28 days
    assert status(plan, [], [], TODAY).review_due
    assert not status(plan, [], [], TODAY - timedelta(days=3)).review_due
    sessions = [session_on(TODAY - timedelta(days=d)) for d in (14, 7, 0)]
    assert status(plan, sessions, [], TODAY).check_in_due
    plan.check_ins.append(CheckIn(on=TODAY - timedelta(days=7), answer="fine"))
    assert not status(plan, sessions, [], TODAY).check_in_due
