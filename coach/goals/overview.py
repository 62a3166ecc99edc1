"""One user's plan, notes and commitments together: status, guidance and saving a review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coach.goals.drafts import PlanDraft, ReviewDraft
from coach.goals.errors import GoalProblem
from coach.goals.models import GoalPlan, Milestone, ReviewRecord
from coach.goals.plan_store import GoalStore
from coach.goals.progress import Status, status
from coach.knowledge import SessionMode
from coach.memory.store import NoteStore
from coach.notes.models import SessionNote


@dataclass
class Overview:
    """What the coach knows of the longer arc, read once."""

    plan: GoalPlan
    notes: list[SessionNote]
    status: Status


def overview(goals: GoalStore, notes: NoteStore | None, today: date) -> Overview:
    """The plan and where it stands; without a note store, from the plan alone."""
    plan = goals.load()
    kept = notes.notes(goals.user) if notes is not None else []
    commitments = notes.commitments(goals.user) if notes is not None else []
    return Overview(plan, kept, status(plan, kept, commitments, today))


def record_today(goals: GoalStore, seen: Overview) -> None:
    """Keep today's progress of each active milestone, for the chart of progress over time."""
    active = {m.id for m in seen.plan.active}
    goals.record_progress(
        {p.id: p.progress for p in seen.status.milestones if p.id in active}, seen.status.today
    )


def save_plan(goals: GoalStore, draft: PlanDraft, today: date) -> list[Milestone]:
    """Add the drafted milestones and rhythm, all or none, in one change to the plan."""
    if draft.every_days and not 1 <= draft.every_days <= 92:
        raise GoalProblem("A rhythm is between every day and every three months (92 days).")
    drafted = [
        (m.title, m.why, [(s.text, s.due.isoformat() if s.due else None) for s in m.steps])
        for m in draft.milestones
    ]
    return goals.add_milestones(drafted, today, draft.every_days)


def review_note(
    user: str, session: str, today: date, plan: GoalPlan, review: ReviewDraft
) -> SessionNote:
    """The review as a note: wins, lessons, and the updated plan in the mentee's words."""
    decided = [f"{review.decisions.get(m.id, 'keep').capitalize()}: {m.title}" for m in plan.active]
    return SessionNote(
        user=user,
        session=session,
        date=today,
        dilemma="Review of my milestones",
        insights=[f"Win: {w}" for w in review.wins]
        + [f"Learned: {x}" for x in review.lessons]
        + [f"Plan: {line}" for line in decided],
        stage="recalibrate",
        flags=["review"],
    )


def save_review(
    goals: GoalStore, session: str, today: date, review: ReviewDraft, seen: Overview
) -> GoalPlan:
    progress = {p.title: p.progress for p in seen.status.milestones}
    record = ReviewRecord(
        on=today,
        session=session,
        decisions=review.decisions,
        wins=review.wins,
        lessons=review.lessons,
        progress=progress,
    )
    return goals.record_review(record)


MODES: dict[str, SessionMode] = {
    "coaching": "coaching",
    "goal-setting": "goal_setting",
    "review": "review",
}
