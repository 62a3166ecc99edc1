"""Fit the search combiner (``coach.memory.combiner``) on the dev halves of the memory benchmark.

Every set's halves are stored in one index beside 10,000 notes of another user, as the benchmark
stores them, so the lexical channel's rare words are judged as on a server. Each dev query's
candidates (every note either channel finds, down to the depth the benchmark reads) become rows
of features, labelled by whether the note answers the query. The held-out halves are never read
here; ``python -m evals.memory`` reports them.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
from sklearn.linear_model import LogisticRegression

from coach.memory import NoteStore
from coach.memory.combiner import MODEL, Combiner, candidate_features
from coach.notes import SessionNote
from evals.memory.channels import DEPTH, BenchSet, bench_sets, load_set

C = 1.0  # the fit was the same at C 0.1, 1 and 10 on the dev halves


def dev_rows(store: NoteStore, user: str, bench: BenchSet) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every candidate of every query of ``bench``, stored as ``user``."""
    rows, labels = [], []
    for query in bench.queries:
        found = store.channels(user, query.text, 2 * DEPTH)
        if found is None:
            continue
        similarity = {entry: hit.similarity for entry, hit in found.hits.items()}
        items, features = candidate_features(found.dense, found.words, similarity)
        rows.append(features)
        labels += [item in query.evidence for item in items]
    return np.vstack(rows), np.array(labels)


def fill_other_user(store: NoteStore, texts: list[str]) -> None:
    """Notes of another user, written straight to the collection for speed."""
    user = "bench-other"
    collection = store._collection(user, "notes")
    for start in range(0, len(texts), 500):
        notes = [
            SessionNote(user=user, session=f"o{i:06d}", date=date(2026, 1, 1), dilemma=text)
            for i, text in enumerate(texts[start : start + 500], start)
        ]
        collection.add(
            ids=[f"note-{n.session}" for n in notes],
            documents=[n.as_text() for n in notes],
            metadatas=[
                {
                    "session": n.session,
                    "date": "2026-01-01",
                    "saved_at": 0.0,
                    "note": n.model_dump_json(),
                }
                for n in notes
            ],
            embeddings=store.embedder.embed([n.as_text() for n in notes]),
        )


def train_combiner(store: NoteStore, filler: list[str], other: list[str]) -> dict[str, object]:
    """Fit the combiner on the sets (the planted ones among ``filler``), with ``other`` stored
    as another user's notes; write it to ``coach/memory/model/fusion.json`` and return it with
    what it was fitted on."""
    halves = bench_sets(filler)
    for name, (dev, held_out) in halves.items():
        load_set(store, f"bench-{name}-dev", dev)
        load_set(store, f"bench-{name}-held", held_out)
    fill_other_user(store, other)
    parts = [dev_rows(store, f"bench-{name}-dev", dev) for name, (dev, _) in halves.items()]
    rows = np.vstack([features for features, _ in parts])
    labels = np.concatenate([found for _, found in parts])
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(rows, labels)
    combiner = Combiner(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))
    record = {
        **combiner.as_json(),
        "trained_on": {
            "sets": {name: len(dev.queries) for name, (dev, _) in halves.items()},
            "other_user_notes": len(other),
            "candidates": len(labels),
            "answering": int(labels.sum()),
            "depth": 2 * DEPTH,
            "c": C,
            "class_weight": "balanced",
            "command": "python -m evals.memory --train-fusion",
        },
    }
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    MODEL.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record
