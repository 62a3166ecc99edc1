"""The one error of the goals package."""

from coach.errors import CoachError


class GoalProblem(CoachError):
    """A change to the plan that cannot be made as it is; nothing saved is touched."""
