"""The ONNX embedder: exported once, then sentence-transformers' vectors and neighbours."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from coach.memory import minilm_onnx

pytestmark = pytest.mark.slow  # loads the embedder twice, by two runtimes

ROOT = Path(__file__).resolve().parents[2]

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
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = (vectors * reference).sum(axis=1)  # int8 weights, float activations
    assert cosines.min() > 0.965 and cosines.mean() > 0.98
    assert minilm_onnx.OnnxMiniLM(exported).encode([]).shape == (0, 384)


def test_the_onnx_model_finds_the_notes_sentence_transformers_finds(exported: Path) -> None:
    from sentence_transformers import SentenceTransformer

    planted = yaml.safe_load((ROOT / "evals" / "memory" / "planted.yaml").read_text())
    texts = [p["note"] for p in planted] + [p["query"] for p in planted]
    reference = SentenceTransformer(str(minilm_onnx.model_dir()), device="cpu").encode(
        texts, normalize_embeddings=True
    )
    vectors = minilm_onnx.OnnxMiniLM(exported).encode(texts)
    notes = len(planted)

    def nearest(matrix: np.ndarray) -> list[int]:
        return list((matrix[notes:] @ matrix[:notes].T).argmax(axis=1))

    assert nearest(vectors) == nearest(reference)


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
