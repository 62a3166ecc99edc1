"""The coaching adapter: a LoRA trained on the project's coaching corpus (``make train-model``),
loaded by llama.cpp on top of the embedded SmolLM2 model.

The adapter is found beside this module (``adapter/coach.lora.gguf``) with ``adapter.json``,
which names the base model it was trained for. It is opt-in: graded blind on the eval suite's
scenarios, its replies fit more often than the base model's but were wrong more often too
(README, "The coaching adapter"). ``COACH_ADAPTER=on`` loads it;
``COACH_ADAPTER=/path/to/file.gguf`` loads another adapter for the same base.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADAPTER_DIR = Path(__file__).parent / "adapter"
ADAPTER_FILE = "coach.lora.gguf"
GGUF_MAGIC = b"GGUF"


def adapter_meta_path() -> Path:
    return ADAPTER_DIR / "adapter.json"


def base_identity(model_file: Path) -> dict[str, Any]:
    """What an adapter must match: the base model's name (without version or quantization)."""
    return {"name": model_name(model_file)}


def model_name(model_file: Path) -> str:
    """ "smollm2-135m-instruct" for the shipped file, its Q8_0 copy and the usual spellings of
    the same model ("SmolLM2-135M-Instruct-Q8_0.gguf")."""
    stem = model_file.name.lower().removesuffix(".gguf")
    stem = re.sub(r"[-._](q\d\w*|f16|f32|bf16)$", "", stem)
    return re.sub(r"-\d+(\.\d+)*$", "", stem)  # the package version of the stored copy


@dataclass(frozen=True)
class AdapterChoice:
    """The adapter to load (None: the base model alone) and, if one was wanted but cannot be
    used, why, in words for the mentee's screen and the log."""

    path: Path | None
    problem: str | None = None


def choose_adapter(model_file: Path) -> AdapterChoice:
    """The coaching adapter for ``model_file``, if it is there, readable and made for it.

    None unless ``COACH_ADAPTER`` asks for one; an adapter that cannot be used says why.
    """
    wanted = os.environ.get("COACH_ADAPTER", "").strip()
    if wanted.lower() in {"", "off", "none", "0", "false"}:
        return AdapterChoice(None)
    shipped = wanted.lower() in {"on", "1", "true", "yes"}
    path = ADAPTER_DIR / ADAPTER_FILE if shipped else Path(wanted)
    fallback = "the coach runs on the base model, with every reply still checked"
    if not path.is_file():
        return AdapterChoice(None, f"The coaching adapter {path} is missing; {fallback}.")
    try:
        content = path.read_bytes()
        if content[:4] != GGUF_MAGIC or _recorded_digest(path) not in (None, digest(content)):
            return AdapterChoice(None, f"The coaching adapter {path} is damaged; {fallback}.")
    except OSError as exc:
        problem = f"The coaching adapter {path} cannot be read ({exc}); {fallback}."
        return AdapterChoice(None, problem)
    base = _trained_for(path)
    if base and base.lower() != model_name(model_file):
        problem = f"The coaching adapter was trained for {base}, not {model_file.name}; {fallback}."
        return AdapterChoice(None, problem)
    return AdapterChoice(path)


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _recorded_digest(path: Path) -> str | None:
    """The adapter's SHA-256 as ``adapter.json`` records it (None if it has none)."""
    meta = path.parent / "adapter.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return str(data["sha256"]) if data.get("file") == path.name else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _trained_for(path: Path) -> str | None:
    """The base model named in the adapter's ``adapter.json`` (None if it has none)."""
    meta = path.parent / "adapter.json"
    try:
        return str(json.loads(meta.read_text(encoding="utf-8"))["base"]["name"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
