"""A fake chat model whose replies tests enqueue, registered like a real provider."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from coach.errors import ProviderError
from coach.providers.base import ChatMessage, Provider


class ScriptedProvider(Provider):
    """Replies from a queue, in order. An enqueued exception is raised in place of a reply."""

    name = "scripted"

    def __init__(self, replies: Sequence[str | Exception] = ()) -> None:
        self._queue: deque[str | Exception] = deque(replies)
        self.calls: list[list[ChatMessage]] = []

    @classmethod
    def from_file(cls, path: Path) -> ScriptedProvider:
        """Replies from a file of JSON strings, one per line."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            return cls([json.loads(line) for line in lines if line.strip()])
        except (OSError, ValueError) as exc:
            raise ProviderError(f"Could not read scripted replies from {path}: {exc}") from None

    def enqueue(self, *replies: str | Exception) -> None:
        self._queue.extend(replies)

    def clear(self) -> None:
        self._queue.clear()
        self.calls.clear()

    @property
    def pending(self) -> int:
        return len(self._queue)

    def describe(self) -> str:
        return "scripted replies (for tests)"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        self.calls.append(list(messages))
        if not self._queue:
            raise ProviderError("the scripted provider has no reply queued.")
        reply = self._queue.popleft()
        if isinstance(reply, Exception):
            raise reply
        # Stream word by word, as a real model would.
        for index, word in enumerate(reply.split(" ")):
            yield word if index == 0 else " " + word
