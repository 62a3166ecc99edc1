"""The baseline coach: the same model with a plain prompt, and no guard, memory or safety check."""

from __future__ import annotations

from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider, unconstrained
from coach.session.events import TurnResult
from coach.text import clean


class PlainCoach:
    """A model told only to be a helpful mentor, to show what each layer of the coach buys."""

    def __init__(self, provider: ChatProvider) -> None:
        self.provider = unconstrained(provider)  # a no-op on wrapped (recorded) providers
        self.messages = [ChatMessage(role="system", content=render("plain_coach"))]

    def opening(self) -> str:
        text = render("opening")
        self.messages.append(ChatMessage(role="assistant", content=text))
        return text

    def turn(self, text: str) -> TurnResult:
        self.messages.append(ChatMessage(role="user", content=clean(text)))
        reply = "".join(self.provider.stream(self.messages)).strip()
        self.messages.append(ChatMessage(role="assistant", content=reply))
        return TurnResult(outcome="model", stage="plain", reply=reply)
