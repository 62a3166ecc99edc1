"""What a turn's events come to: its notices gathered into the result, a records failure turned
into an error that hands back unsaved words, and the result itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from coach.prompts import render
from coach.records import RecordsUnavailable
from coach.session.events import Notice, TurnEvent, TurnResult
from coach.text import clean

if TYPE_CHECKING:
    from coach.session.coach_session import CoachSession


def with_notices(events: Iterator[TurnEvent]) -> Iterator[TurnEvent]:
    """Pass the events on; the TurnResult at the end lists the turn's notices."""
    notices: list[str] = []
    for event in events:
        if isinstance(event, Notice):
            notices.append(event.text)
        elif isinstance(event, TurnResult) and notices:
            event = replace(event, notices=notices)
        yield event


def with_records_kept(
    session: CoachSession, events: Iterator[TurnEvent], text: str
) -> Iterator[TurnEvent]:
    """Pass the events on; if the records database fails, end with an error that says whether
    the mentee's message was saved, and hands it back when it was not."""
    try:
        yield from events
    except RecordsUnavailable as exc:
        said = session.pending
        saved = said is not None and said.text == clean(text)
        problem = as_sentence(str(exc))
        yield TurnResult(
            outcome="error",
            stage=session.stage,
            error=render("records_reply_unsaved" if saved else "records_unsaved", problem=problem),
            unsaved=None if saved else text,
        )


def last_result(events: Iterator[TurnEvent]) -> TurnResult:
    result = None
    for event in events:
        if isinstance(event, TurnResult):
            result = event
    if result is None:  # pragma: no cover - every path ends with a TurnResult
        raise RuntimeError("turn ended without a result")
    return result


def as_sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
