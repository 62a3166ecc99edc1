"""The fine-tuned safety encoder on ONNX Runtime: exported once per machine, like the embedder.

The export (``python -m coach.safety.encoder``, run by ``make``) joins the packaged
all-MiniLM-L6-v2 with the trained weights in ``model/encoder-delta.safetensors``, fuses and
int8-quantizes the graph, and writes it to the cache folder under a name that carries the hash
of those weights, so a retrained model is never read from a stale file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from coach.paths import cache_dir

MAX_TOKENS = 256
CONTEXT_WORDS = 50  # the context kept before a message: its last words
BATCH = 32
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EXPORT_VERSION = 1
LAYERS = 6  # all-MiniLM-L6-v2's transformer layers; a trained screen may keep fewer


def encoder_text(message: str, context: Sequence[str]) -> str:
    """What the encoder reads: the end of the context, a separator, then the message."""
    words = " ".join(context).split()[-CONTEXT_WORDS:]
    return f"{' '.join(words)} [SEP] {message}" if words else message


def delta_digest(delta: Path) -> str:
    return hashlib.sha256(delta.read_bytes()).hexdigest()[:12]


def onnx_path(delta: Path) -> Path:
    return cache_dir() / f"safety-encoder-{delta_digest(delta)}-v{EXPORT_VERSION}.onnx"


def export(delta: Path, frozen_layers: int, target: Path, layers: int = LAYERS) -> Path:
    """Write the encoder (its lowest ``layers``) with the weights in ``delta`` as one int8 ONNX
    graph at ``target``."""
    import torch
    from transformers import AutoTokenizer

    from coach.memory.minilm_onnx import fuse, model_dir, quantize
    from coach.safety.network import build

    net = build(delta, frozen_layers, layers)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    sample = tokenizer(["a sample sentence", "two"], return_tensors="pt", padding=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                net,
                tuple(sample[name] for name in INPUTS),
                partial,
                input_names=list(INPUTS),
                output_names=["level", "category"],
                dynamic_axes={
                    **{name: {0: "batch", 1: "tokens"} for name in INPUTS},
                    "level": {0: "batch"},
                    "category": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        fuse(Path(partial))
        quantize(Path(partial))
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    for stale in target.parent.glob("safety-encoder-*.onnx"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


class OnnxSafetyEncoder:
    """Level and category probabilities for texts built by ``encoder_text``."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        from coach.memory.minilm_onnx import onnx_session, tokenizer

        self._session = onnx_session(path, threads)
        self._tokenizer = tokenizer(direction="left")  # the context goes before the message

    def probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        levels, categories = [], []
        for start in range(0, len(texts), BATCH):
            encodings = self._tokenizer.encode_batch(list(texts[start : start + BATCH]))
            feed = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            level, category = self._session.run(None, feed)
            levels.append(level)
            categories.append(category)
        return np.concatenate(levels), np.concatenate(categories)


def load(delta: Path, frozen_layers: int, layers: int = LAYERS) -> OnnxSafetyEncoder:
    """The exported encoder, exported first if this machine has not done it yet."""
    path = onnx_path(delta)
    if not path.exists():
        export(delta, frozen_layers, path, layers)
    return OnnxSafetyEncoder(path)


if __name__ == "__main__":  # `python -m coach.safety.encoder`: export ahead of first use
    from coach.safety.classifier import MODEL_DIR, encoder_settings

    delta, frozen, layers = encoder_settings(MODEL_DIR)
    print(f"Exported the safety encoder to {export(delta, frozen, onnx_path(delta), layers)}")
