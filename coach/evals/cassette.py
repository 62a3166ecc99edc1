"""Record every model response during a suite, and replay them later with no model at all.

A cassette is JSON Lines: a header, then one line per model call with the scenario, the
channel (``coach``, ``mentee`` or ``judge``), the call's number within that scenario and
channel, the reply (or the error), and how long the call took.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from coach.errors import ConfigError, ProviderError
from coach.providers import ChatMessage, ChatProvider
from coach.providers.base import Capabilities, Provider

Channel = Literal["coach", "mentee", "judge"]
FORMAT = 1


# What a replay may assume of a recorded model whose cassette does not say.
REPLAYED = Capabilities()


class Call(BaseModel):
    """One recorded model call."""

    scenario: str
    channel: Channel
    index: int
    reply: str | None = None
    error: str | None = None
    seconds: float = 0.0


class CassetteOutOfStep(ProviderError):
    """The replayed run asked for a call the cassette does not have."""


class Cassette:
    """Recorded calls, by scenario and channel, in call order."""

    def __init__(
        self,
        provider: str = "",
        calls: Sequence[Call] = (),
        capabilities: Capabilities = REPLAYED,
    ) -> None:
        self.provider = provider
        # What the recorded model could do, so that a replay guards its replies the same way.
        self.capabilities = capabilities
        self._calls: dict[tuple[str, str, int], Call] = {}
        self._lock = threading.Lock()
        for call in calls:
            self._calls[(call.scenario, call.channel, call.index)] = call

    @classmethod
    def load(cls, path: Path) -> Cassette:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else {}
            if header.get("cassette") != FORMAT:
                raise ConfigError(f"{path} is not a cassette written by coach eval --record.")
            calls = [Call.model_validate_json(line) for line in lines[1:] if line.strip()]
        except (OSError, ValueError, RecursionError, ValidationError) as exc:
            raise ConfigError(f"Could not read the cassette {path}: {exc}") from None
        return cls(
            str(header.get("provider", "")),
            calls,
            # Cassettes written before capabilities were saved whole kept two of them.
            Capabilities.from_json(header.get("capabilities", header), REPLAYED),
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "cassette": FORMAT,
            "provider": self.provider,
            "capabilities": self.capabilities.as_json(),
        }
        lines = [json.dumps(header)] + [call.model_dump_json() for call in self.calls()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def add(self, call: Call) -> None:
        with self._lock:
            self._calls[(call.scenario, call.channel, call.index)] = call

    def get(self, scenario: str, channel: Channel, index: int) -> Call | None:
        return self._calls.get((scenario, channel, index))

    def calls(self) -> list[Call]:
        return sorted(self._calls.values(), key=lambda c: (c.scenario, c.channel, c.index))

    def __len__(self) -> int:
        return len(self._calls)


class _Counted(Provider):
    """Numbers the calls of one scenario and channel, and totals their model time."""

    def __init__(self, scenario: str, channel: Channel) -> None:
        self.scenario = scenario
        self.channel = channel
        self.calls = 0
        self.model_seconds = 0.0


class RecordingProvider(_Counted):
    """Passes calls to a real provider and writes each reply into the cassette."""

    def __init__(
        self, inner: ChatProvider, cassette: Cassette, scenario: str, channel: Channel
    ) -> None:
        super().__init__(scenario, channel)
        self.inner = inner
        self.cassette = cassette
        self.name = inner.name
        # The recorded model is guarded and prompted as it would be unrecorded.
        self.capabilities = inner.capabilities

    def describe(self) -> str:
        return self.inner.describe()

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        index, self.calls = self.calls, self.calls + 1
        started = time.perf_counter()
        pieces: list[str] = []
        failed = False
        try:
            for piece in self.inner.stream(messages):
                pieces.append(piece)
                yield piece
        except ProviderError as exc:
            failed = True
            self._keep(index, started, error=str(exc))
            raise
        finally:
            # Also when the caller stopped reading early (the guard refused a sentence): the
            # replay must hand back the same words, or it falls out of step.
            if not failed:
                self._keep(index, started, reply="".join(pieces))

    def _keep(self, index: int, started: float, **outcome: str) -> None:
        seconds = time.perf_counter() - started
        self.model_seconds += seconds
        call = Call(
            scenario=self.scenario, channel=self.channel, index=index, seconds=seconds, **outcome
        )
        self.cassette.add(call)


class ReplayProvider(_Counted):
    """Answers each call with the recorded reply; it never runs a model."""

    name = "replay"

    def __init__(self, cassette: Cassette, scenario: str, channel: Channel) -> None:
        super().__init__(scenario, channel)
        self.cassette = cassette
        self.out_of_step: str | None = None

    @property
    def capabilities(self) -> Capabilities:  # type: ignore[override]
        return self.cassette.capabilities

    def describe(self) -> str:
        return f"replay of {self.cassette.provider or 'a recorded model'}"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        index, self.calls = self.calls, self.calls + 1
        call = self.cassette.get(self.scenario, self.channel, index)
        if call is None:
            self.out_of_step = (
                f"the cassette has no {self.channel} call {index + 1} for scenario "
                f"{self.scenario}; the prompts or the scenario changed since it was recorded. "
                "Record it again with --record."
            )
            raise CassetteOutOfStep(self.out_of_step)
        self.model_seconds += call.seconds
        if call.error is not None:
            raise ProviderError(call.error)
        yield call.reply or ""
