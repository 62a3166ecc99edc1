"""Where the mentee stands: progress per milestone, what is overdue, when to meet next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel

from coach.goals.models import GoalPlan, Milestone
from coach.knowledge import goal_rules
from coach.notes.models import Commitment, SessionNote


class OverdueItem(BaseModel):
    kind: str  # "commitment" or "step"
    id: str
    text: str
    due: date
    days_overdue: int
    milestone: str | None = None


class MilestoneProgress(BaseModel):
    id: str
    title: str
    why: str
    status: str
    done: int
    open: int
    dropped: int
    overdue: int
    progress: float  # done over everything not dropped; 0 when nothing is planned yet


class Status(BaseModel):
    """What `coach status` and the app's first screen show."""

    today: date
    every_days: int | None
    last_session: date | None
    next_session_due: date | None
    session_due_in_days: int | None  # negative when the session is late
    review_due: bool
    next_review_due: date | None
    check_in_due: bool
    milestones: list[MilestoneProgress]
    overdue: list[OverdueItem]


def _overdue(due: date | None, status: str, today: date) -> bool:
    return status == "open" and due is not None and due < today


def milestone_progress(
    milestone: Milestone, commitments: Sequence[Commitment], today: date
) -> MilestoneProgress:
    """Steps and linked commitments done, open, dropped and overdue."""
    linked = [c for c in commitments if c.id in milestone.commitments]
    items = [(s.status, s.due) for s in milestone.steps] + [(c.status, c.due) for c in linked]
    done = sum(1 for status, _ in items if status == "done")
    dropped = sum(1 for status, _ in items if status == "dropped")
    counted = len(items) - dropped
    return MilestoneProgress(
        id=milestone.id,
        title=milestone.title,
        why=milestone.why,
        status=milestone.status,
        done=done,
        open=counted - done,
        dropped=dropped,
        overdue=sum(1 for status, due in items if _overdue(due, status, today)),
        progress=round(done / counted, 3) if counted else 0.0,
    )


def overdue_items(
    plan: GoalPlan, commitments: Sequence[Commitment], today: date
) -> list[OverdueItem]:
    """Open steps and commitments whose due date has passed (due today is not overdue)."""
    found: list[OverdueItem] = []
    owner = {cid: m.title for m in plan.milestones for cid in m.commitments}
    for commitment in commitments:
        if commitment.due is not None and _overdue(commitment.due, commitment.status, today):
            found.append(
                OverdueItem(
                    kind="commitment",
                    id=commitment.id,
                    text=commitment.text,
                    due=commitment.due,
                    days_overdue=(today - commitment.due).days,
                    milestone=owner.get(commitment.id),
                )
            )
    for milestone in plan.active:
        for step in milestone.steps:
            if step.due is not None and _overdue(step.due, step.status, today):
                found.append(
                    OverdueItem(
                        kind="step",
                        id=step.id,
                        text=step.text,
                        due=step.due,
                        days_overdue=(today - step.due).days,
                        milestone=milestone.title,
                    )
                )
    return sorted(found, key=lambda item: item.due)


def sessions_held(notes: Sequence[SessionNote]) -> list[date]:
    """The dates of coaching sessions (journal entries are not sessions)."""
    return sorted(n.date for n in notes if "journal" not in n.flags)


def status(
    plan: GoalPlan,
    notes: Sequence[SessionNote],
    commitments: Sequence[Commitment],
    today: date,
) -> Status:
    rules = goal_rules()
    held = sessions_held(notes)
    last = held[-1] if held else None
    every = plan.cadence.every_days if plan.cadence else None
    next_due = None
    if plan.cadence is not None:
        next_due = (last + timedelta(days=every or 7)) if last else plan.cadence.since
    started = (
        plan.reviews[-1].on
        if plan.reviews
        else min((m.created for m in plan.milestones), default=None)
    )
    next_review = None
    if started is not None and plan.active:
        next_review = started + timedelta(days=(every or 7) * rules.review_every_sessions)
    return Status(
        today=today,
        every_days=every,
        last_session=last,
        next_session_due=next_due,
        session_due_in_days=(next_due - today).days if next_due else None,
        review_due=next_review is not None and next_review <= today,
        next_review_due=next_review,
        check_in_due=check_in_due(plan, held),
        milestones=[
            milestone_progress(m, commitments, today)
            for m in plan.milestones
            if m.status in ("active", "achieved")
        ],
        overdue=overdue_items(plan, commitments, today),
    )


def check_in_due(plan: GoalPlan, held: Sequence[date]) -> bool:
    """Whether enough sessions have passed since the last check-in (or the first session)."""
    every = goal_rules().check_in_every_sessions
    last = plan.check_ins[-1].on if plan.check_ins else None
    since = [d for d in held if last is None or d > last]
    return len(since) >= every
