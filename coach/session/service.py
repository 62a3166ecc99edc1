"""Opening a session and keeping what it ends with, the same way for the app, the CLI and the
eval suite. Pages and commands only read input and show output around these calls."""

from __future__ import annotations

from datetime import date

from coach.goals import GoalStore
from coach.goals.drafts import PlanDraft, ReviewDraft
from coach.goals.models import GoalPlan, Milestone
from coach.goals.overview import Overview, review_note, save_plan, save_review
from coach.goals.prompting import guidance
from coach.knowledge import SessionMode
from coach.memory.recall import SessionMemory
from coach.providers import ChatProvider
from coach.records import open_records
from coach.session.coach_session import CoachSession
from coach.settings import Settings


def open_session(
    provider: ChatProvider,
    settings: Settings,
    *,
    user: str | None = None,
    mode: SessionMode = "coaching",
    memory: SessionMemory | None = None,
    arc: Overview | None = None,
    session_id: str | None = None,
) -> CoachSession:
    """A session for ``user`` (the settings' user by default), resumed when ``session_id`` has
    a transcript; the mentee's plan (``arc``) becomes the coach's guidance and preferences."""
    return CoachSession(
        provider,
        settings,
        user=user or settings.user,
        session_id=session_id,
        memory=memory,
        mode=mode,
        guidance=guidance(mode, arc.plan, arc.status) if arc else None,
        more_time_on_options=bool(arc and arc.plan.preferences.more_time_on_options),
    )


def keep_plan(session: CoachSession, draft: PlanDraft, today: date) -> list[Milestone]:
    """End a goal-setting session: the (edited) plan's milestones, all added or none."""
    return save_plan(GoalStore(open_records(session.settings), session.user), draft, today)


def keep_review(session: CoachSession, review: ReviewDraft, arc: Overview, today: date) -> GoalPlan:
    """End a review session: the decisions on the plan, and the review kept as a note."""
    goals = GoalStore(open_records(session.settings), session.user)
    plan = save_review(goals, session.session_id, today, review, arc)
    session.keep_note(review_note(session.user, session.session_id, today, arc.plan, review))
    return plan
