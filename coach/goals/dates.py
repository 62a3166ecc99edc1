"""Due dates the mentee types: ISO dates or everyday phrases, never in the past."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from coach.goals.errors import GoalProblem
from coach.notes.due_dates import due_date


def parse_due(text: str | None, today: date) -> date | None:
    """The date ``text`` names; None when it is blank. Raises GoalProblem when it is unreadable
    or already past."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        found: date | None = date.fromisoformat(text)
    except ValueError:
        found = _any_date(text, today) or due_date(text, today)
    if found is None:
        example = (today + timedelta(days=14)).isoformat()
        raise GoalProblem(
            f'"{text}" is not a date I can read. Write it as {example}, or as "next Friday" or '
            '"in two weeks".'
        )
    if found < today:
        raise GoalProblem(
            f"{found.isoformat()} is in the past. Pick today ({today.isoformat()}) or later."
        )
    return found


def _any_date(text: str, today: date) -> date | None:
    """Whatever date a phrase names, past ones included ("yesterday"), so they can be refused."""
    import dateparser

    base = datetime.combine(today, datetime.min.time())
    parsed = dateparser.parse(
        text, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"}
    )
    return parsed.date() if parsed else None
