"""What the coach is told about the plan, the kind of session, and the mentee's wishes."""

from __future__ import annotations

import json

from coach.goals.models import GoalPlan, Preferences
from coach.goals.progress import Status
from coach.knowledge import SessionMode, goal_rules
from coach.prompts import render


def wishes(preferences: Preferences) -> list[str]:
    """The mentee's wishes in words, as the coach is told them and the mentee sees them."""
    chosen = preferences.model_dump()
    return [w.text for w in goal_rules().wishes if chosen.get(w.preference) == w.value]


def plan_summary(plan: GoalPlan, status: Status) -> str:
    """The plan as quoted lines: each milestone with its progress, then overdue items."""
    lines = []
    for progress in status.milestones:
        lines.append(
            json.dumps(
                f"Milestone: {progress.title} (why: {progress.why or 'not said yet'}); "
                f"{progress.done} done, {progress.open} open, {progress.dropped} dropped, "
                f"{progress.overdue} overdue",
                ensure_ascii=False,
            )
        )
    for item in status.overdue:
        overdue = f"Overdue {item.kind}: {item.text} (due {item.due.isoformat()})"
        lines.append(json.dumps(overdue, ensure_ascii=False))
    return "\n".join(lines) if lines else json.dumps("No milestones yet.")


def guidance(mode: SessionMode, plan: GoalPlan, status: Status) -> str | None:
    """The system text for this kind of session, or None for a plain coaching session with
    no wishes."""
    parts = []
    if mode == "goal_setting":
        existing = plan_summary(plan, status) if plan.active else ""
        parts.append(render("goal_setting", plan=existing))
    elif mode == "review":
        parts.append(render("review", plan=plan_summary(plan, status)))
    if said := wishes(plan.preferences):
        parts.append(render("preferences", wishes="; ".join(said) + "."))
    return "\n\n".join(part.strip() for part in parts) or None
