"""The similarity below which recall leaves a note out of the prompt, chosen on the dev halves.

A turn recalls at most ``RECALLED`` notes, from the fused ranking, and keeps those whose cosine
similarity to the mentee's recent words reaches the threshold (``COACH_RECALL_THRESHOLD``). A
note that answers is worth recalling; any other note is noise the model may take as the
mentee's concern. So each set's questions are asked twice: of the notes they are about (a hit
counts if it answers), and of another set's notes (every hit is noise: the mentee talks of
something never noted). The threshold chosen keeps at least ``MIN_RECALL`` of the answering
notes on the dev halves and, among those that do, has the best F1 there: a coach that forgets
what matters fails the mentee more than one that mentions an older note, and a paraphrase as
plain as "my boss presents my ideas as his own" for "my manager takes credit for my work"
scores only about 0.4 to 0.5. The held-out halves are reported beside it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from coach.memory import NoteStore
from coach.settings import Settings
from evals.memory.channels import HALVES, BenchSet, Halves, user_of

RECALLED = 2  # the notes ``SessionMemory.relevant`` keeps each turn
ASKED = RECALLED + 1  # what it asks the store for (one may be the session's own note)
MIN_RECALL = 0.8
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.0, 0.61, 0.05))

Found = list[list[tuple[float, bool]]]  # per question: (cosine, answers) of each note, best first


def hits(store: NoteStore, user: str, bench: BenchSet, answering: bool) -> Found:
    """For each of ``bench``'s questions asked of ``user``'s notes, the notes recall reads, best
    first, as (cosine, answers); ``answering`` False when those notes are another set's."""
    found = []
    for query in bench.queries:
        ranked = store.search(user, query.text, ASKED)
        found.append(
            [
                (hit.similarity, answering and f"note-{hit.note.session}" in query.evidence)
                for hit in ranked
            ]
        )
    return found


def figures(found: Found, threshold: float) -> dict[str, float]:
    """Precision, and recall out of the answering notes recall reads, of the notes a turn keeps
    at ``threshold`` (for each question, those at or above it, then the first ``RECALLED``, as
    recall keeps them), and their F1."""
    kept = [
        answers
        for ranked in found
        for answers in [a for similarity, a in ranked if similarity >= threshold][:RECALLED]
    ]
    relevant = sum(answers for ranked in found for _, answers in ranked)
    precision = sum(kept) / len(kept) if kept else 0.0
    recall = sum(kept) / relevant if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def choose(table: dict[str, dict[str, dict[str, float]]]) -> float:
    """Of the thresholds keeping at least ``MIN_RECALL`` of the answering notes on dev, the one
    of best F1 there (the lowest threshold if none keeps that many)."""
    keeping = [t for t in table if table[t]["dev"]["recall"] >= MIN_RECALL]
    if not keeping:
        return min(float(t) for t in table)
    return float(max(keeping, key=lambda t: table[t]["dev"]["f1"]))


def tune(store: NoteStore, halves: Halves) -> dict[str, Any]:
    """The threshold of best F1 on the dev halves among those keeping ``MIN_RECALL`` of the
    answering notes there, and every threshold's figures on both halves. The sets must already
    be stored (``load_halves``)."""
    names = list(halves)
    found: dict[str, Found] = {half: [] for half in HALVES}
    for number, name in enumerate(names):
        other = names[(number + 1) % len(names)]
        for half, bench in zip(HALVES, halves[name], strict=True):
            found[half] += hits(store, user_of(name, half), bench, answering=True)
            found[half] += hits(store, user_of(other, half), bench, answering=False)
    table = {f"{t:.2f}": {half: figures(found[half], t) for half in found} for t in THRESHOLDS}
    chosen = choose(table)
    shipped = Settings.model_fields["recall_threshold"].default
    return {
        "chosen": chosen,
        "shipped": shipped,
        "questions": {half: len(values) for half, values in found.items()},
        "by_threshold": table,
    }
