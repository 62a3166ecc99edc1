"""The embedded default: SmolLM2-135M, run in process by llama.cpp, offline.

A model this small ignores "ask one question", so every reply is constrained by a grammar that
admits exactly one open question, and the prompt carries few-shot examples.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from coach.errors import ConfigError, ProviderError
from coach.prompts import load_grammar
from coach.providers.base import ChatMessage, ChatProvider
from coach.providers.embedded_model import (
    LOCAL_EXTRA_HINT,
    embedded_model_path,
    shipped_model_path,
)

__all__ = ["LocalProvider", "shipped_model_path"]

MAX_REPLY_TOKENS = 48
MAX_FREE_TOKENS = 60
CONTEXT_TOKENS = 2048
SEED = 7


class LocalProvider:
    """A GGUF chat model in this process. Load it once; it is reused for every turn."""

    name = "local"
    # Whether it can write a session note as JSON (a 135M model cannot).
    writes_notes = False

    def __init__(self, model_path: Path | None = None, threads: int = 2) -> None:
        try:
            from llama_cpp import LlamaGrammar

            from coach.providers.checked_grammar import CheckedGrammarLlama
        except ImportError:
            raise ConfigError("llama-cpp-python is not installed. " + LOCAL_EXTRA_HINT) from None
        self.model_path = Path(model_path) if model_path else embedded_model_path()
        if not self.model_path.is_file():
            raise ConfigError(
                f"COACH_MODEL_PATH={self.model_path} is not a file. Point it at a GGUF model, "
                "or unset it to use the embedded SmolLM2-135M."
            )
        self.threads = threads
        self._llm = _load(CheckedGrammarLlama, self.model_path, threads)
        self._grammar = LlamaGrammar.from_string(load_grammar("one_question"), verbose=False)
        self._lock = threading.Lock()
        self._free: _FreeText | None = None

    @property
    def follows_feedback(self) -> bool:
        """Whether a retry should say why the draft failed. SmolLM2-135M rarely acts on it (3 of
        21 repairs passed in the live suite), so its retry is a fresh draw instead."""
        return not self.is_demo_model

    # The one-question grammar leaves no room for a reflection before the question.
    reflects = False

    @property
    def stays_on_topic(self) -> bool:
        """SmolLM2-135M drafts well-formed questions about nothing the mentee said ("What is
        most of the universe?"); its questions must keep to the mentee's words."""
        return not self.is_demo_model

    @property
    def is_demo_model(self) -> bool:
        return "smollm2" in self.model_path.name.lower()

    def describe(self) -> str:
        label = " (embedded demo model)" if self.is_demo_model else " (local GGUF)"
        return self.model_path.name + label

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        return self.stream_with(self._llm, messages, self._grammar, MAX_REPLY_TOKENS)

    def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Read a prompt into the model's cache now, so a reply to a longer prompt that starts
        the same way (the rules and examples) begins without re-reading it."""
        # Only a head start: a failure here is left for the turn itself to report.
        with self._lock, contextlib.suppress(ValueError, RuntimeError):
            self._llm.create_chat_completion(
                messages=[m.model_dump() for m in messages], max_tokens=1, temperature=0.0
            )

    @property
    def cached_tokens(self) -> int:
        """How many prompt tokens the model holds in its cache."""
        return int(self._llm.n_tokens)

    def unconstrained(self) -> ChatProvider:
        """The same model, free to write anything: for simulated mentees and the baseline.

        It is a second instance, so its prompts never evict the coach's from the cache.
        """
        with self._lock:
            if self._free is None:
                self._free = _FreeText(self)
            return self._free

    def stream_with(
        self, llm: Any, messages: Sequence[ChatMessage], grammar: Any, max_tokens: int
    ) -> Iterator[str]:
        """Stream from one loaded instance; the seed moves on deterministically each call."""
        with self._lock:
            try:
                chunks = llm.create_chat_completion(
                    messages=[m.model_dump() for m in messages],
                    grammar=grammar,
                    max_tokens=max_tokens,
                    temperature=0.7,
                    top_p=0.9,
                    repeat_penalty=1.15,
                    stream=True,
                )
                for chunk in chunks:
                    piece = chunk["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
            except (ValueError, RuntimeError) as exc:
                raise ProviderError(f"the embedded model failed ({exc}).") from None


def _load(llama: Any, path: Path, threads: int) -> Any:
    try:
        return llama(
            model_path=str(path), n_ctx=CONTEXT_TOKENS, n_threads=threads, seed=SEED, verbose=False
        )
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(f"Could not load the model {path}: {exc}") from None


class _FreeText:
    """The embedded model without the one-question grammar, in its own instance."""

    writes_notes = False
    follows_feedback = False
    reflects = True
    stays_on_topic = False

    def __init__(self, model: LocalProvider) -> None:
        from llama_cpp import Llama

        self._model = model
        self._llm = _load(Llama, model.model_path, model.threads)
        self.name = model.name

    def describe(self) -> str:
        return self._model.describe() + ", unconstrained"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        return self._model.stream_with(self._llm, messages, None, MAX_FREE_TOKENS)
