"""Note search at 1k, 10k and 100k notes for one user: latency and recall@5 against exact search.

The notes are distinct sentences embedded with the real embedder (all-MiniLM-L6-v2). The
baseline is exact brute-force cosine search in numpy over the very same vectors, which is also
the reference for recall@5.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from benchmarks.results import Result, percentile, result
from coach.memory import NoteStore, get_embedder
from coach.notes import SessionNote
from coach.settings import load_settings
from evals.memory.__main__ import SITUATIONS, SUBJECTS, distractors

USER = "bench-search"
BATCH = 2000


def _texts(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct note texts: the memory benchmark's sentences, numbered past the first
    few hundred so that no two are the same."""
    base = distractors(10_000, rng)
    return [f"{base[i % len(base)]} Case {i // len(base)}." for i in range(count)]


def _metadata(note: SessionNote) -> dict[str, str | float]:
    return {
        "session": note.session,
        "date": "2026-01-01",
        "saved_at": 0.0,
        "note": note.model_dump_json(),
    }


def _fill(store: NoteStore, texts: list[str], vectors: np.ndarray, user: str = USER) -> None:
    """Add the notes in batches, straight through the user's collection, with their vectors."""
    collection = store._collection(user, "notes")
    for start in range(0, len(texts), BATCH):
        chunk = range(start, min(start + BATCH, len(texts)))
        notes = [
            SessionNote(user=user, session=f"s{i}", date=date(2026, 1, 1), dilemma=texts[i])
            for i in chunk
        ]
        collection.add(
            ids=[f"note-{i}" for i in chunk],
            documents=[texts[i] for i in chunk],
            metadatas=[_metadata(n) for n in notes],
            embeddings=vectors[chunk.start : chunk.stop].tolist(),
        )


def search(sizes: tuple[int, ...], queries: int) -> tuple[list[Result], dict[int, list[float]]]:
    """Results per size, and the raw latencies (ms) for the plot."""
    rng = random.Random(7)
    embedder = get_embedder(load_settings())
    results: list[Result] = []
    raw: dict[int, list[float]] = {}
    for size in sizes:
        texts = _texts(size, rng)
        vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        probes = [f"{rng.choice(SUBJECTS)} {rng.choice(SITUATIONS)}" for _ in range(queries)]
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings(data_dir=Path(folder))
            store = NoteStore.open(settings, embedder)
            _fill(store, texts, vectors)
            collection = store._collection(USER, "notes")
            chroma_ms, exact_ms, overlap = [], [], 0
            for probe in probes:
                query = np.asarray(embedder.embed([probe])[0], dtype=np.float32)
                started = time.perf_counter()
                found = collection.query(
                    query_embeddings=[query.tolist()],
                    n_results=5,
                    include=["metadatas", "distances"],
                )
                chroma_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                exact = np.argsort(-(unit @ (query / np.linalg.norm(query))))[:5]
                exact_ms.append((time.perf_counter() - started) * 1000)
                ids = {int(found_id.split("-")[1]) for found_id in found["ids"][0]}
                overlap += len(ids & set(exact.tolist()))
        raw[size] = chroma_ms
        label = f"{size // 1000}k notes"
        results += [
            result(
                f"note search p50, {label}",
                percentile(chroma_ms, 50),
                "ms",
                queries,
                "exact numpy search p50",
                percentile(exact_ms, 50),
            ),
            result(
                f"note search p95, {label}",
                percentile(chroma_ms, 95),
                "ms",
                queries,
                "exact numpy search p95",
                percentile(exact_ms, 95),
            ),
            result(
                f"note search recall@5 of exact, {label}", overlap / (5 * queries), "share", queries
            ),
        ]
    return results, raw


def plot(raw: dict[int, list[float]], out: Path) -> Path:
    """Search latency against store size, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(raw)
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.plot(sizes, [percentile(raw[s], 50) for s in sizes], marker="o", label="p50")
    axes.plot(sizes, [percentile(raw[s], 95) for s in sizes], marker="o", label="p95")
    axes.set_xscale("log")
    axes.set_xlabel("notes stored for the user")
    axes.set_ylabel("search latency (ms)")
    axes.set_title("Note search latency against store size")
    axes.legend()
    figure.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "search_latency.png"
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
