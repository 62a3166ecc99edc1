"""Draft a reply with the model, releasing only text the guard has passed.

Text is released a sentence at a time, once each complete sentence passes the advice check, so
advice never reaches the mentee even while streaming. The whole reply is judged at the end; a
failed draft gets one corrective retry, then the fallback question.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from coach.errors import ProviderError
from coach.guard import GuardContext, Verdict, check_fragment, check_reply
from coach.providers import ChatMessage, ChatProvider
from coach.session.events import Delta, Retract, TurnEvent
from coach.text import sentence_ends

T = TypeVar("T")


@dataclass
class Draft:
    """One attempt: the full text, what was shown, and the guard's verdict."""

    text: str
    shown: bool
    verdict: Verdict


DraftOutcome = Literal["model", "repaired", "fallback"]


@dataclass(frozen=True)
class Drafted:
    """How drafting ended: the reply that passed the guard (None when no draft did, and the
    fallback question is asked), and why drafts were rejected."""

    reply: str | None
    outcome: DraftOutcome
    rejected: list[str]


RepairBuilder = Callable[[Sequence[ChatMessage], Draft], list[ChatMessage]]


def _last_boundary(text: str) -> int:
    ends = sentence_ends(text)
    return ends[-1] if ends else 0


def stream_draft(
    provider: ChatProvider, messages: Sequence[ChatMessage], context: GuardContext
) -> Generator[TurnEvent, None, Draft]:
    """Stream one draft, yielding each guarded sentence; return the judged draft.

    Stops reading early once a sentence gives advice. Raises ProviderError from the provider.
    """
    text, released = "", 0
    stream = provider.stream(messages)
    try:
        for piece in stream:
            text += piece
            boundary = _last_boundary(text[released:])
            if boundary:
                sentences = text[released : released + boundary]
                if not check_fragment(sentences, context).passed:
                    break
                yield Delta(sentences)
                released += boundary
    except ProviderError:
        if released:
            yield Retract()
        raise
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    verdict = check_reply(text, context)
    if verdict.passed and released < len(text):
        yield Delta(text[released:])
        released = len(text)
    return Draft(text=text.strip(), shown=released > 0, verdict=verdict)


def led_by(lead: str, drafting: Generator[TurnEvent, None, T]) -> Generator[TurnEvent, None, T]:
    """Show ``lead`` before the drafted reply, and again after a withdrawn draft."""
    yield Delta(lead)
    try:
        event = next(drafting)
        while True:
            yield event
            if isinstance(event, Retract):
                yield Delta(lead)
            event = next(drafting)
    except StopIteration as finished:
        return finished.value


def draft_with_repair(
    provider: ChatProvider,
    messages: Sequence[ChatMessage],
    build_repair: RepairBuilder,
    context: GuardContext,
) -> Generator[TurnEvent, None, Drafted]:
    """Run the first draft and, if it fails, one corrective retry.

    A ProviderError on the first draft propagates; on the retry, it counts as a failed draft.
    """
    rejected: list[str] = []
    first = yield from stream_draft(provider, messages, context)
    if first.verdict.passed:
        return Drafted(first.text, "model", rejected)
    rejected.append(first.verdict.explain())
    if first.shown:
        yield Retract()
    try:
        second = yield from stream_draft(provider, build_repair(messages, first), context)
    except ProviderError as exc:
        rejected.append(f"the retry failed: {exc}")
        return Drafted(None, "fallback", rejected)
    if second.verdict.passed:
        return Drafted(second.text, "repaired", rejected)
    rejected.append(second.verdict.explain())
    if second.shown:
        yield Retract()
    return Drafted(None, "fallback", rejected)
