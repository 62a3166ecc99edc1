"""The one small interface every chat model sits behind."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, Protocol

from pydantic import BaseModel

Role = Literal["system", "user", "assistant"]


class ChatMessage(BaseModel):
    """One message in a chat prompt."""

    role: Role
    content: str


@dataclass(frozen=True)
class Capabilities:
    """What a chat model can be trusted with; the session adapts where it cannot."""

    structured_output: bool = True
    """It answers a request for JSON (session notes, goal plans, rewrites) usably."""
    follows_feedback: bool = True
    """A retry may tell it why its draft failed; if not, the retry is a fresh draw."""
    reflects: bool = True
    """It reflects the mentee's words itself; if not, the session leads some questions with a
    simple reflection built from those words."""
    stays_on_topic: bool = True
    """It keeps its questions to the conversation; if not, the guard also fails a question
    that strays from the mentee's words or speaks of the coach."""
    trained_prompt: bool = False
    """It reads the short prompt the embedded model's coaching adapter was trained on."""

    def as_json(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any], default: Capabilities | None = None) -> Capabilities:
        """Capabilities from a saved object; a key it lacks keeps ``default``'s value."""
        base = default or cls()
        return cls(**{f.name: bool(data.get(f.name, getattr(base, f.name))) for f in fields(cls)})


class ChatProvider(Protocol):
    """A chat model that streams a reply to a list of messages."""

    name: str

    @property
    def capabilities(self) -> Capabilities: ...

    def describe(self) -> str:
        """A short, human description: which model, and where it runs."""
        ...

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Yield the reply in pieces. Raise ProviderError when the model cannot answer."""
        ...

    def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Read a prompt ahead of the turn, where the model keeps a cache."""
        ...

    def unconstrained(self) -> ChatProvider:
        """The same model free to write anything (simulated mentees, judges, baselines)."""
        ...

    def close(self) -> None:
        """Release what the model holds (a worker process); it starts again on next use."""
        ...


class Provider:
    """A base for providers: the optional hooks do nothing unless a provider needs them."""

    name = "provider"
    capabilities = Capabilities()

    def describe(self) -> str:
        return self.name

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        raise NotImplementedError

    def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Nothing to read ahead: the model keeps no cache this process can warm."""

    def unconstrained(self) -> ChatProvider:
        """This provider does not constrain its replies, so it is its own free form."""
        return self

    def close(self) -> None:
        """Nothing to release."""
