"""The ONNX embedder: exported once, then the same vectors as sentence-transformers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.memory import minilm_onnx

TEXTS = [
    "My manager keeps presenting my ideas in meetings as if they were his.",
    "hi",
    "",
    "Ünïcödé, émojis 🎉 and 中文 in one sentence.",
    "word " * 400,  # longer than the model reads: both truncate at 256 tokens
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return minilm_onnx.export(tmp_path_factory.mktemp("cache") / "minilm.onnx")


def test_the_onnx_model_gives_sentence_transformers_vectors(exported: Path) -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(minilm_onnx.model_dir()), device="cpu").encode(
        TEXTS * 30, normalize_embeddings=True, batch_size=64
    )
    vectors = minilm_onnx.OnnxMiniLM(exported).encode(TEXTS * 30)
    assert vectors.shape == (150, 384)
    assert np.abs(vectors - reference).max() < 1e-5
    assert minilm_onnx.OnnxMiniLM(exported).encode([]).shape == (0, 384)


def test_the_export_is_made_once_and_then_reused(
    exported: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COACH_CACHE_DIR", str(cache))
    target = minilm_onnx.onnx_path()
    assert target.parent == cache
    cache.mkdir()
    target.write_bytes(exported.read_bytes())
    before = target.stat().st_mtime_ns
    minilm_onnx.load().encode(["a question"])
    assert target.stat().st_mtime_ns == before
    assert [p.name for p in cache.iterdir()] == [target.name]  # no partial files left
