"""A mentee's plan as Markdown, for the notes export: milestones, steps, reviews, check-ins."""

from __future__ import annotations

from coach.goals.models import GoalPlan


def plan_markdown(plan: GoalPlan) -> str:
    """The whole plan, or an empty string when there is none."""
    if not (plan.milestones or plan.reviews or plan.check_ins or plan.cadence):
        return ""
    parts = ["## Plan", ""]
    if plan.cadence:
        parts += [f"Sessions every {plan.cadence.every_days} days since {plan.cadence.since}.", ""]
    for milestone in plan.milestones:
        parts.append(f"### {milestone.title} ({milestone.status})")
        if milestone.why:
            parts.append(f"Why: {milestone.why}")
        for step in milestone.steps:
            due = f", due {step.due}" if step.due else ""
            tick = "x" if step.status == "done" else " "
            parts.append(f"- [{tick}] {step.text} ({step.status}{due})")
        parts.append("")
    for review in plan.reviews:
        parts.append(
            f"**Review {review.on}:** wins: {'; '.join(review.wins) or 'none named'}; "
            f"lessons: {'; '.join(review.lessons) or 'none named'}"
        )
    for check_in in plan.check_ins:
        parts.append(f"**Check-in {check_in.on}:** {check_in.answer}")
    return "\n".join(parts).rstrip() + "\n"
