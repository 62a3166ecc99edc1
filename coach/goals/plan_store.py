"""A mentee's plan, kept as one JSON document in the records database.

Every change is validated first and written in one transaction that also read the plan it
changes, so a refused change (a fourth active milestone, a date in the past, an empty goal)
leaves what was saved exactly as it was, and two app servers never overwrite each other's change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from pydantic import ValidationError
from sqlalchemy import Connection, select

from coach.goals.dates import parse_due
from coach.goals.errors import GoalProblem
from coach.goals.models import (
    Cadence,
    CheckIn,
    GoalPlan,
    ItemStatus,
    Milestone,
    MilestoneStatus,
    Preferences,
    ProgressPoint,
    ReviewRecord,
    Step,
)
from coach.knowledge import goal_rules
from coach.records import Database
from coach.records.schema import plans
from coach.records.statements import ensure_profile, lock_profile, upsert
from coach.users import check_user


def words_of(text: str | None, what: str) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise GoalProblem(f"{what} is empty. Put it in a few words of your own.")
    return cleaned


class GoalStore:
    """Read and change one user's plan."""

    def __init__(self, records: Database, user: str) -> None:
        self.records = records
        self.user = check_user(user)

    def raw(self) -> str | None:
        """The plan as stored (for an export when it cannot be read), or None if there is none."""
        with self.records.read() as connection:
            return self._stored(connection)

    def load(self) -> GoalPlan:
        with self.records.read() as connection:
            return self._parsed(self._stored(connection))

    def save(self, plan: GoalPlan) -> None:
        """Replace the whole plan (a validated GoalPlan)."""
        with self.records.write() as connection:
            self._write(connection, plan)

    def _change(self, change: Callable[[GoalPlan], None]) -> GoalPlan:
        with self.records.write() as connection:
            lock_profile(connection, self.user)  # even before the plan's first row exists
            plan = self._parsed(self._stored(connection))
            change(plan)
            self._write(connection, plan)
        return plan

    def _stored(self, connection: Connection) -> str | None:
        query = select(plans.c.body).where(plans.c.user_id == self.user)
        found = connection.execute(query).scalar()
        return None if found is None else str(found)

    def _parsed(self, stored: str | None) -> GoalPlan:
        if stored is None:
            return GoalPlan()
        try:
            return GoalPlan.model_validate_json(stored)
        except ValidationError as exc:
            raise GoalProblem(
                f"{self.user}'s plan cannot be read: {str(exc).splitlines()[0]}"
            ) from None

    def _write(self, connection: Connection, plan: GoalPlan) -> None:
        ensure_profile(connection, self.user)
        values = {
            "user_id": self.user,
            "body": plan.model_dump_json(),
            "updated_at": datetime.now(UTC),
        }
        upsert(connection, plans, values, ["user_id"])

    # Milestones -------------------------------------------------------------------------------

    def add_milestone(
        self,
        title: str,
        why: str = "",
        steps: list[tuple[str, str | None]] | None = None,
        today: date | None = None,
    ) -> Milestone:
        """Add an active milestone with steps given as (text, due text) pairs."""
        today = today or date.today()
        limit = goal_rules().max_active_milestones
        if len(self.load().active) >= limit:  # said before the words are checked
            raise self._too_many(self.load(), limit)
        milestone = Milestone(
            title=words_of(title, "The milestone"),
            why=" ".join((why or "").split()),
            steps=[self._step(text, due, today) for text, due in steps or []],
            created=today,
        )

        def add(plan: GoalPlan) -> None:
            if len(plan.active) >= limit:  # another app server added one meanwhile
                raise self._too_many(plan, limit)
            plan.milestones.append(milestone)

        self._change(add)
        return milestone

    def add_milestones(
        self,
        drafted: list[tuple[str, str, list[tuple[str, str | None]]]],
        today: date,
        every_days: int | None = None,
    ) -> list[Milestone]:
        """Add several milestones (title, why, steps) and the rhythm in one change: all or
        none."""
        added = [
            Milestone(
                title=words_of(title, "A milestone"),
                why=" ".join((why or "").split()),
                steps=[self._step(text, due, today) for text, due in steps],
                created=today,
            )
            for title, why, steps in drafted
        ]
        limit = goal_rules().max_active_milestones

        def add(plan: GoalPlan) -> None:
            if len(plan.active) + len(added) > limit:
                raise GoalProblem(
                    f"That would make {len(plan.active) + len(added)} active milestones; the "
                    f"most is {limit}. Review the ones you have first, or keep fewer of these."
                )
            plan.milestones.extend(added)
            if every_days:
                plan.cadence = Cadence(every_days=every_days, since=today)

        self._change(add)
        return added

    @staticmethod
    def _too_many(plan: GoalPlan, limit: int) -> GoalProblem:
        names = "; ".join(f'"{m.title}"' for m in plan.active)
        return GoalProblem(
            f"You already have {limit} active milestones: {names}. A fourth would spread your "
            "attention thin. Review those first (a review session, or mark one achieved, "
            "paused or dropped), then add this one."
        )

    @staticmethod
    def _step(text: str, due: str | None, today: date) -> Step:
        return Step(text=words_of(text, "The step"), due=parse_due(due, today))

    def update_milestone(
        self,
        milestone_id: str,
        *,
        title: str | None = None,
        why: str | None = None,
        status: MilestoneStatus | None = None,
    ) -> Milestone:
        updates: dict[str, object] = {}
        if title is not None:
            updates["title"] = words_of(title, "The milestone")
        if why is not None:
            updates["why"] = " ".join(why.split())
        if status is not None:
            updates["status"] = status

        def change(plan: GoalPlan, milestone: Milestone) -> Milestone:
            if status == "active" and milestone.status != "active":
                limit = goal_rules().max_active_milestones
                if len(plan.active) >= limit:
                    raise GoalProblem(
                        f"You already have {limit} active milestones. Review them first, then "
                        "make this one active again."
                    )
            return milestone.model_copy(update=updates)

        return self._update(milestone_id, change)

    def add_step(
        self, milestone_id: str, text: str, due: str | None = None, today: date | None = None
    ) -> Step:
        step = self._step(text, due, today or date.today())
        self._update(milestone_id, lambda _, m: m.model_copy(update={"steps": [*m.steps, step]}))
        return step

    def set_step_status(
        self, milestone_id: str, step_id: str, status: ItemStatus, today: date | None = None
    ) -> Step:
        today = today or date.today()
        changed: list[Step] = []

        def change(_: GoalPlan, milestone: Milestone) -> Milestone:
            step = next((s for s in milestone.steps if s.id == step_id), None)
            if step is None:
                raise GoalProblem(f'"{milestone.title}" has no step {step_id}.')
            changed.append(
                step.model_copy(
                    update={"status": status, "closed_on": None if status == "open" else today}
                )
            )
            steps = [changed[0] if s.id == step_id else s for s in milestone.steps]
            return milestone.model_copy(update={"steps": steps})

        self._update(milestone_id, change)
        return changed[0]

    def link_commitment(self, milestone_id: str, commitment_id: str) -> Milestone:
        """Count a commitment from a session towards a milestone (and no other)."""

        def link(p: GoalPlan) -> None:
            self._find(p, milestone_id)
            for m in p.milestones:
                m.commitments = [c for c in m.commitments if c != commitment_id]
                if m.id == milestone_id:
                    m.commitments.append(commitment_id)

        return self._find(self._change(link), milestone_id)

    def _find(self, plan: GoalPlan, milestone_id: str) -> Milestone:
        milestone = plan.milestone(milestone_id)
        if milestone is None:
            raise GoalProblem(
                f"{self.user} has no milestone {milestone_id!r}; `coach goals list` shows them."
            )
        return milestone

    def _update(
        self, milestone_id: str, change: Callable[[GoalPlan, Milestone], Milestone]
    ) -> Milestone:
        """Change one milestone of the plan as it is now, in one transaction."""
        changed: list[Milestone] = []

        def apply(plan: GoalPlan) -> None:
            changed.append(change(plan, self._find(plan, milestone_id)))
            plan.milestones = [changed[0] if m.id == milestone_id else m for m in plan.milestones]

        self._change(apply)
        return changed[0]

    # Rhythm, reviews, check-ins ---------------------------------------------------------------

    def set_cadence(self, every_days: int, today: date | None = None) -> Cadence:
        today = today or date.today()
        if not 1 <= every_days <= 92:
            raise GoalProblem("A rhythm is between every day and every three months (92 days).")
        cadence = Cadence(every_days=every_days, since=today)

        def set_it(plan: GoalPlan) -> None:
            plan.cadence = cadence

        self._change(set_it)
        return cadence

    def set_preferences(self, preferences: Preferences) -> None:
        def set_them(plan: GoalPlan) -> None:
            plan.preferences = preferences

        self._change(set_them)

    def record_review(self, review: ReviewRecord) -> GoalPlan:
        """Keep the review and apply its decisions: dropped milestones are set aside."""

        def apply(plan: GoalPlan) -> None:
            for milestone in plan.milestones:
                if review.decisions.get(milestone.id) == "drop":
                    milestone.status = "dropped"
            plan.reviews.append(review)

        return self._change(apply)

    def record_check_in(self, check_in: CheckIn, preferences: Preferences) -> None:
        def record(plan: GoalPlan) -> None:
            plan.check_ins.append(check_in)
            plan.preferences = preferences

        self._change(record)

    def record_progress(self, progress: dict[str, float], today: date | None = None) -> None:
        """Keep today's progress of each active milestone (by id), once a day, for the chart."""
        today = today or date.today()
        kept = {(p.milestone, p.progress) for p in self.load().history if p.on == today}
        if set(progress.items()) <= kept:
            return  # already recorded today: pages that show the plan need not rewrite it

        def record(plan: GoalPlan) -> None:
            titles = {m.id: m.title for m in plan.milestones}
            plan.history = [
                p for p in plan.history if not (p.on == today and p.milestone in progress)
            ]
            plan.history += [
                ProgressPoint(on=today, milestone=mid, title=titles[mid], progress=share)
                for mid, share in progress.items()
                if mid in titles
            ]

        self._change(record)
