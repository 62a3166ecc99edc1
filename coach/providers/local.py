"""The embedded default: SmolLM2-135M, run by llama.cpp in its own process, offline.

SmolLM2 as shipped ignores "ask one question": its replies are constrained by a grammar that
admits exactly one open question, and the prompt carries few-shot examples. With the coaching
adapter (``coaching_adapter``, trained on the project's corpus) it reflects the mentee's words
and then asks one question, on a short prompt in the form it was trained on; the grammar then
admits one reflection before the question. Either way the guard checks every reply. llama.cpp
runs in a worker process (``model_process``), so a native crash costs one reply, never the app.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from coach.errors import ConfigError, ProviderError
from coach.prompts import load_grammar
from coach.providers.base import Capabilities, ChatMessage, ChatProvider, Provider
from coach.providers.coaching_adapter import choose_adapter
from coach.providers.embedded_model import (
    LOCAL_EXTRA_HINT,
    embedded_model_path,
    is_demo_model,
    shipped_model_path,
)
from coach.providers.model_process import ModelProcess

__all__ = ["LocalProvider", "shipped_model_path"]

logger = logging.getLogger(__name__)
MAX_REPLY_TOKENS = 48
MAX_REFLECTING_TOKENS = 100  # a reflection, then the question
MAX_FREE_TOKENS = 60
SAMPLING = {"temperature": 0.7, "top_p": 0.9, "repeat_penalty": 1.15}
# The adapter was trained to give the mentee's own words back; a penalty on repeating recent
# tokens (the mentee's message among them) would push its reflections away from them. Drawn at
# 0.7, its replies on the corpus's dev split often garbled or invented what the mentee said;
# near-greedy (0.1) they keep to the mentee's words.
ADAPTER_SAMPLING = {**SAMPLING, "temperature": 0.1, "repeat_penalty": 1.0}


class LocalProvider(Provider):
    """A GGUF chat model in a worker process, loaded once and reused for every turn.

    ``worker_env`` adds to the environment of that process (None removes a variable): the
    benchmarks use it to compare builds of llama.cpp and thread settings side by side.
    """

    name = "local"

    def __init__(
        self,
        model_path: Path | None = None,
        threads: int = 2,
        *,
        timeout_s: float = 60.0,
        worker_env: Mapping[str, str | None] | None = None,
    ) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("llama-cpp-python is not installed. " + LOCAL_EXTRA_HINT)
        self.model_path = Path(model_path) if model_path else embedded_model_path()
        if not self.model_path.is_file():
            raise ConfigError(
                f"COACH_MODEL_PATH={self.model_path} is not a file. Point it at a GGUF model, "
                "or unset it to use the embedded SmolLM2-135M."
            )
        self.threads = threads
        choice = choose_adapter(self.model_path) if self.is_demo_model else None
        self.adapter = choice.path if choice else None
        # Why a coaching adapter that should have loaded did not (None when all is well).
        self.adapter_problem = choice.problem if choice else None
        self.process = self._start(timeout_s, worker_env)
        if self.adapter_problem:
            logger.warning("%s", self.adapter_problem)
        self._grammar = load_grammar("reflect_question" if self.adapter else "one_question")
        self._lock = threading.Lock()
        self._free: _FreeText | None = None

    def _start(self, timeout_s: float, worker_env: Mapping[str, str | None] | None) -> ModelProcess:
        """The model's process, with the adapter if it loads; else without it, and why."""
        process = ModelProcess(
            self.model_path,
            self.threads,
            reply_timeout_s=timeout_s,
            env=worker_env,
            lora=self.adapter,
        )
        try:
            process.start()
            return process
        except ProviderError as exc:
            if self.adapter is None:
                raise ConfigError(f"Could not load the model {self.model_path}: {exc}") from None
            logger.warning("The coaching adapter %s did not load: %s", self.adapter, exc)
            self.adapter_problem = (
                f"The coaching adapter {self.adapter} could not be loaded by llama.cpp; the "
                "coach runs on the base model, with every reply still checked."
            )
            self.adapter = None
        return self._start(timeout_s, worker_env)

    @property
    def capabilities(self) -> Capabilities:  # type: ignore[override]
        """A small local model writes no usable JSON (notes are built from the mentee's own
        words instead). SmolLM2-135M rarely acts on feedback (3 of 21 repairs passed in the live
        suite), so its retry is a fresh draw, and it drafts well-formed questions about nothing
        the mentee said ("What is most of the universe?"), so its questions must keep to the
        mentee's words. With the coaching adapter it writes its own reflection before the
        question, from the short prompt it was trained on; the base model's one-question
        grammar leaves no room for one."""
        demo = self.is_demo_model
        adapted = self.adapter is not None
        return Capabilities(
            structured_output=False,
            follows_feedback=not demo,
            reflects=adapted,
            stays_on_topic=not demo,
            trained_prompt=adapted,
        )

    @property
    def is_demo_model(self) -> bool:
        return is_demo_model(self.model_path)

    def describe(self) -> str:
        if self.adapter is not None:
            return f"{self.model_path.name} (embedded model, coaching adapter)"
        label = " (embedded demo model)" if self.is_demo_model else " (local GGUF)"
        return self.model_path.name + label

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        tokens = MAX_REFLECTING_TOKENS if self.adapter else MAX_REPLY_TOKENS
        return self.stream_with("coach", messages, self._grammar, tokens)

    def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Read a prompt into the model's cache now, so a reply to a longer prompt that starts
        the same way (the rules and examples) begins without re-reading it."""
        # Only a head start: a failure here is left for the turn itself to report.
        with contextlib.suppress(ProviderError):
            self.process.call({"op": "prefill", "messages": _plain(messages)})

    @property
    def cached_tokens(self) -> int:
        """How many prompt tokens the model holds in its cache."""
        return int(self.process.call({"op": "state"})["cached_tokens"])

    def count_tokens(self, text: str) -> int:
        """How many tokens the model reads ``text`` as."""
        return int(self.process.call({"op": "tokens", "text": text})["tokens"])

    def close(self) -> None:
        """Stop the model's process (it is started again on the next request)."""
        self.process.close()

    def unconstrained(self) -> ChatProvider:
        """The same model, free to write anything: for simulated mentees and the baseline.

        It is a second instance in the same process, so its prompts never evict the coach's
        from the cache.
        """
        with self._lock:
            if self._free is None:
                self._free = _FreeText(self)
            return self._free

    def stream_with(
        self, instance: str, messages: Sequence[ChatMessage], grammar: str | None, max_tokens: int
    ) -> Iterator[str]:
        """Stream from one model instance; the seed moves on deterministically each call."""
        adapted = self.adapter is not None and instance == "coach"
        sampling = ADAPTER_SAMPLING if adapted else SAMPLING
        request: dict[str, Any] = {
            "op": "complete",
            "instance": instance,
            "messages": _plain(messages),
            "grammar": grammar,
            "max_tokens": max_tokens,
            **sampling,
        }
        with contextlib.closing(self.process.request(request)) as replies:
            for reply in replies:
                if "piece" in reply:
                    yield str(reply["piece"])


def _plain(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [m.model_dump() for m in messages]


class _FreeText(Provider):
    """The embedded model without the one-question grammar, in its own instance."""

    capabilities = Capabilities(
        structured_output=False, follows_feedback=False, reflects=True, stays_on_topic=False
    )

    def __init__(self, model: LocalProvider) -> None:
        self._model = model
        self.name = model.name

    def describe(self) -> str:
        return self._model.describe() + ", unconstrained"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        return self._model.stream_with("free", messages, None, MAX_FREE_TOKENS)
