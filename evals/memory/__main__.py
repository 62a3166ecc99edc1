"""``python -m evals.memory [--quick]``: recall, search latency and follow-up rate of memory,
and dense, BM25 and hybrid search side by side (``channels``)."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import yaml

from coach.memory import NoteStore, get_embedder
from coach.memory.lexical import LexicalIndex
from coach.memory.recall import SessionMemory
from coach.notes import Commitment, SessionNote
from coach.providers import ScriptedProvider
from coach.session import CoachSession
from coach.settings import load_settings
from evals.memory import recall_gate
from evals.memory.channels import bench_sets, compare, compare_chunking, load_halves
from evals.memory.fusion_training import train_combiner

HERE = Path(__file__).parent
SUBJECTS = [
    "my manager",
    "a teammate",
    "my director",
    "a client",
    "my cofounder",
    "HR",
    "a new hire",
    "my mentor",
    "the sales team",
    "my partner",
]
SITUATIONS = [
    "disagrees about the roadmap",
    "wants weekly status reports",
    "moved my deadline",
    "asked me to relocate",
    "questioned my budget",
    "wants me to lead the offsite",
    "changed the hiring plan",
    "asked for a written proposal",
    "cancelled our one-to-one",
    "wants a new pricing page",
]
DETAILS = [
    "before the quarter ends",
    "after the reorganisation",
    "during the product launch",
    "while I am on a training course",
    "in front of the whole team",
    "by email only",
    "with no explanation",
    "for the third time",
    "next month",
    "at short notice",
]


def distractors(count: int, rng: random.Random) -> list[str]:
    combos = [(s, t, d) for s in SUBJECTS for t in SITUATIONS for d in DETAILS]
    rng.shuffle(combos)
    return [f"{s.capitalize()} {t} {d}." for s, t, d in combos[:count]]


def _note(user: str, index: int, dilemma: str) -> SessionNote:
    return SessionNote(user=user, session=f"s{index:06d}", date=date(2026, 1, 1), dilemma=dilemma)


def fill(store: NoteStore, user: str, texts: list[str], batch: int = 500) -> None:
    """Add notes in batches, straight through the store's collection for speed."""
    notes = [_note(user, i, text) for i, text in enumerate(texts)]
    for start in range(0, len(notes), batch):
        chunk = notes[start : start + batch]
        collection = store._collection(user, "notes")
        collection.add(
            ids=[f"note-{n.session}" for n in chunk],
            documents=[n.as_text() for n in chunk],
            metadatas=[
                {
                    "session": n.session,
                    "date": n.date.isoformat(),
                    "saved_at": 0.0,
                    "note": n.model_dump_json(),
                }
                for n in chunk
            ],
            embeddings=store.embedder.embed([n.as_text() for n in chunk]),
        )


PLANTED_SETS = {"planted": "planted.yaml", "held_out": "held_out.yaml"}


def recall(store: NoteStore, users: int, notes_per_user: int, rng: random.Random) -> dict:
    """Recall@5 of each planted set: the store's search (both channels fused), its embeddings
    alone through Chroma, and exact cosine search of the same vectors."""
    report: dict[str, dict] = {}
    for name, file in PLANTED_SETS.items():
        planted = yaml.safe_load((HERE / file).read_text())
        found = dense_found = exact_found = agree = total = 0
        for u in range(users):
            user = f"bench-{name}-{u}"
            texts = distractors(notes_per_user - len(planted), rng)
            targets = [p["note"] for p in planted]
            texts += targets
            rng.shuffle(texts)
            fill(store, user, texts)
            # Exact search over the very vectors the store holds: the same texts and embedder.
            matrix = np.array(store.embedder.embed([_note(user, 0, t).as_text() for t in texts]))
            for item, target in zip(planted, targets, strict=True):
                chroma_top = [h.note.dilemma for h in store.search(user, item["query"], k=5)]
                query = np.array(store.embedder.embed([item["query"]])[0])
                dense_top = [h.note.dilemma for h in store.search_vector(user, list(query), 5)]
                exact_top = [texts[i] for i in np.argsort(-(matrix @ query))[:5]]
                found += target in chroma_top
                dense_found += target in dense_top
                exact_found += target in exact_top
                agree += len(set(chroma_top) & set(exact_top))
                total += 1
        report[name] = {
            "queries": total,
            "recall_at_5": found / total,
            "dense_recall_at_5": dense_found / total,
            "exact_recall_at_5": exact_found / total,
            "recall_at_5_vs_exact": agree / (5 * total),
        }
    return report


def latency(store: NoteStore, notes: int, queries: int, rng: random.Random) -> dict:
    user = "bench-latency"
    fill(store, user, distractors(min(notes, 1000), rng) * (notes // 1000 or 1))
    probes = [f"{rng.choice(SUBJECTS)} {rng.choice(SITUATIONS)}" for _ in range(queries)]
    embedded = store.embedder.embed(probes)
    collection = store._collection(user, "notes")
    start = time.perf_counter()
    store.search(user, probes[0], k=5)  # the first search loads the HNSW index
    first_search = time.perf_counter() - start
    query_only, with_embedding = [], []
    for text, vector in zip(probes, embedded, strict=True):
        start = time.perf_counter()
        collection.query(query_embeddings=[vector], n_results=5, include=["metadatas", "distances"])
        query_only.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.search(user, text, k=5)
        with_embedding.append(time.perf_counter() - start)

    def p(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    return {
        "notes": collection.count(),
        "search_p50_ms": p(with_embedding, 50),
        "search_p95_ms": p(with_embedding, 95),
        "first_search_ms": first_search * 1000,
        "chroma_query_p50_ms": p(query_only, 50),
        "chroma_query_p95_ms": p(query_only, 95),
    }


def follow_up_rate(store: NoteStore, sessions: int, data_dir: Path) -> dict:
    settings = load_settings(provider="scripted", data_dir=data_dir)
    followed = 0
    for i in range(sessions):
        user = f"bench-return-{i}"
        text = f"I'll send the revised plan to {SUBJECTS[i % len(SUBJECTS)]} by Friday."
        store.add_note(
            user,
            SessionNote(
                user=user,
                session="first",
                date=date(2026, 11, 1),
                dilemma="A plan that keeps changing.",
                commitments=[Commitment(text=text)],
            ),
        )
        memory = SessionMemory(store, user, settings.recall_threshold)
        opening = CoachSession(ScriptedProvider(), settings, user=user, memory=memory).opening()
        followed += text.rstrip(".") in opening
    return {"return_sessions": sessions, "follow_up_rate": followed / sessions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tiny run, for a smoke test")
    parser.add_argument(
        "--latency-only",
        type=int,
        metavar="NOTES",
        help="only search latency, at this many notes (for example 100000)",
    )
    parser.add_argument(
        "--train-fusion",
        action="store_true",
        help="fit the search combiner on the dev halves and write coach/memory/model/fusion.json",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out" / "memory.json")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(data_dir=Path(data_dir))
        store = NoteStore.open(settings, get_embedder(settings))
        if args.train_fusion:  # on the index the full benchmark builds before its sets
            recall(store, 3, 500, rng)
            latency(store, 10_000, 200, rng)
            record = train_combiner(store, distractors(500, rng))
            print(json.dumps(record, indent=2))
            return
        if args.latency_only:
            report = {"latency": latency(store, args.latency_only, 200, rng)}
        else:
            report = {
                "recall": recall(store, 1 if args.quick else 3, 60 if args.quick else 500, rng),
                "latency": latency(
                    store, 1000 if args.quick else 10_000, 20 if args.quick else 200, rng
                ),
                "follow_up": follow_up_rate(store, 3 if args.quick else 40, Path(data_dir)),
            }
            halves = bench_sets(distractors(60 if args.quick else 500, rng))
            load_halves(store, halves)
            report["channels"] = compare(store, halves)
            report["recall_gate"] = recall_gate.tune(store, halves)
            report["chunking"] = compare_chunking(
                lambda chunking: NoteStore(
                    store._client, store.embedder, LexicalIndex(), chunking=chunking
                )
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
