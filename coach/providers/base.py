"""The one small interface every chat model sits behind."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

from pydantic import BaseModel

Role = Literal["system", "user", "assistant"]


class ChatMessage(BaseModel):
    """One message in a chat prompt."""

    role: Role
    content: str


class ChatProvider(Protocol):
    """A chat model that streams a reply to a list of messages."""

    name: str
    writes_notes: bool
    """Whether the model can be asked for a session note as JSON."""

    @property
    def follows_feedback(self) -> bool:
        """Whether a retry should tell the model why its draft failed (else it draws again)."""
        ...

    @property
    def reflects(self) -> bool:
        """Whether the model can reflect the mentee's words itself; if not, the session leads
        some of its questions with a simple reflection built from those words."""
        ...

    @property
    def stays_on_topic(self) -> bool:
        """Whether the model keeps its questions to the conversation; if not, the guard also
        fails a question that strays from the mentee's words or speaks of the coach."""
        ...

    def describe(self) -> str:
        """A short, human description: which model, and where it runs."""
        ...

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Yield the reply in pieces. Raise ProviderError when the model cannot answer."""
        ...
