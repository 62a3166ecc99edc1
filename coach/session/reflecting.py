"""Whether this turn's question is led by a simple reflection of the mentee's words."""

from __future__ import annotations

from collections.abc import Sequence

from coach.providers import ChatProvider
from coach.reflections import simple_reflection
from coach.transcripts import TranscriptRecord


def lead_reflection(
    provider: ChatProvider, records: Sequence[TranscriptRecord], message: str
) -> str | None:
    """A reflection to show before the question, for a model that cannot reflect by itself.

    Never two turns running: told back every time, the mentee's words start to sound like an
    echo rather than being heard.
    """
    if provider.capabilities.reflects:
        return None
    last_reply = next((r for r in reversed(records) if r.role == "coach"), None)
    if last_reply is not None and last_reply.reflected:
        return None
    return simple_reflection(message)
