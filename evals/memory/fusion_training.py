"""Fit the search combiner (``coach.memory.combiner``) on the dev halves of the memory benchmark.

``python -m evals.memory --train-fusion`` first builds the index the benchmark builds (the
planted users' notes and 10,000 notes of another user, as on a server, so the lexical channel
judges rare words as it will there), then stores every set's halves beside them. Each dev
question's candidates (every note either channel finds, down to the depth the benchmark reads)
become rows of features, labelled by whether the note answers it. The held-out halves' notes are
in the index, as in the benchmark, but their questions and labels are never read here;
``python -m evals.memory`` reports them.
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression

from coach.memory import NoteStore
from coach.memory.combiner import MODEL, Combiner, candidate_features
from evals.memory.channels import DEPTH, BenchSet, bench_sets, load_halves, user_of

C = 1.0  # the fit was the same at C 0.1, 1 and 10 on the dev halves


def dev_rows(store: NoteStore, user: str, bench: BenchSet) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every candidate of every query of ``bench``, stored as ``user``."""
    rows, labels = [], []
    for query in bench.queries:
        found = store.channels(user, query.text, 2 * DEPTH)
        if found is None:
            continue
        items, features = candidate_features(found.dense, found.words, found.similarity)
        rows.append(features)
        labels += [item in query.evidence for item in items]
    return np.vstack(rows), np.array(labels)


def train_combiner(store: NoteStore, filler: list[str]) -> dict[str, object]:
    """Fit the combiner on the sets (the planted ones among ``filler``), stored in ``store``
    beside whatever other users' notes it holds; write it to ``coach/memory/model/fusion.json``
    and return it with what it was fitted on."""
    halves = bench_sets(filler)
    load_halves(store, halves)
    parts = [dev_rows(store, user_of(name, "dev"), dev) for name, (dev, _) in halves.items()]
    rows = np.vstack([features for features, _ in parts])
    labels = np.concatenate([found for _, found in parts])
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(rows, labels)
    combiner = Combiner(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))
    record = {
        **combiner.as_json(),
        "trained_on": {
            "sets": {name: len(dev.queries) for name, (dev, _) in halves.items()},
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
