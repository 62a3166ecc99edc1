"""Due dates from everyday phrases ("on Friday", "next week", "by 3 March")."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Only spans that are clearly dates go to the parser ("I may ask" is not a date in May).
_DATE_SPAN = re.compile(
    rf"\b(today|tonight|tomorrow|(?:this|next) (?:week|weekend|month|{_DAYS})|(?:{_DAYS})"
    rf"|end of (?:the )?(?:day|week|month)|(?:this )?weekend"
    rf"|in (?:a|an|one|two|three|four|\d+) (?:days?|weeks?|months?)"
    rf"|(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS}))\b",
    re.IGNORECASE,
)
_FRIDAY, _SATURDAY = 4, 5


def _next_weekday(base: date, weekday: int) -> date:
    return base + timedelta(days=(weekday - base.weekday()) % 7 or 7)


def _relative(span: str, base: date) -> date | None:
    span = span.lower()
    if span in {"this week", "end of the week", "end of week"}:
        return base + timedelta(days=(_FRIDAY - base.weekday()) % 7)
    if span in {"weekend", "this weekend"}:
        return base + timedelta(days=(_SATURDAY - base.weekday()) % 7)
    if span in {"end of the month", "end of month", "this month"}:
        following = (base.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    if span in {"today", "tonight", "end of the day", "end of day"}:
        return base
    return None


def due_date(text: str, base: date) -> date | None:
    """The first date the text names, on or after ``base``, or None."""
    match = _DATE_SPAN.search(text)
    if not match:
        return None
    span = match.group(0)
    known = _relative(span, base)
    if known is not None:
        return known
    import dateparser

    parsed = dateparser.parse(
        span,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime.combine(base, datetime.min.time()),
        },
    )
    if parsed is None:
        return None
    found = parsed.date()
    if found == base and span.lower() in _DAYS.split("|"):
        found = _next_weekday(base, found.weekday())  # "on Friday" said on a Friday: next week
    return found


def split_dated(line: str) -> tuple[str, str]:
    """A "TEXT | DATE" line (or "TEXT | due DATE") as its text and its date words ("" when it
    names none). The one reader of that form, for steps and commitments alike."""
    text, _, when = line.partition("|")
    when = when.strip()
    if when.lower().startswith("due "):
        when = when[4:].strip()
    return text.strip(), when
