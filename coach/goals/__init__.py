"""The longer arc: milestones with steps, a session rhythm, reviews and check-ins."""

from coach.goals.errors import GoalProblem
from coach.goals.models import Cadence, GoalPlan, Milestone, Preferences, ReviewRecord, Step
from coach.goals.plan_store import GoalStore

__all__ = [
    "Cadence",
    "GoalPlan",
    "GoalProblem",
    "GoalStore",
    "Milestone",
    "Preferences",
    "ReviewRecord",
    "Step",
]
