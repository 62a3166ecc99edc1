"""Test connection: ask the chosen model for a few words and report what happened."""

from __future__ import annotations

from time import perf_counter

from pydantic import BaseModel

from coach.errors import CoachError
from coach.providers import ChatMessage, get_provider
from coach.settings import Settings

PROBE = [ChatMessage(role="user", content="Reply with one short question about my week.")]
MAX_PIECES = 12


class ConnectionCheck(BaseModel):
    """The result of one test call."""

    ok: bool
    model: str
    message: str
    seconds: float


def check_connection(settings: Settings) -> ConnectionCheck:
    """Build the provider and stream the start of one reply. Never raises for a bad setup."""
    started = perf_counter()
    model = settings.model or settings.provider
    try:
        provider = get_provider(settings)
        model = provider.describe()
        pieces = []
        stream = provider.stream(PROBE)
        for piece in stream:
            pieces.append(piece)
            if len(pieces) >= MAX_PIECES:
                break
        close = getattr(stream, "close", None)
        if callable(close):
            close()
    except CoachError as exc:
        return ConnectionCheck(
            ok=False, model=model, message=str(exc), seconds=perf_counter() - started
        )
    seconds = perf_counter() - started
    if not "".join(pieces).strip():
        return ConnectionCheck(
            ok=False, model=model, message="The model answered with nothing.", seconds=seconds
        )
    return ConnectionCheck(
        ok=True, model=model, message=f"The model answered in {seconds:.1f} s.", seconds=seconds
    )
