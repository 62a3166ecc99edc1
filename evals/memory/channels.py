"""Dense, BM25 and hybrid search side by side on the memory benchmark's sets.

Each set has a dev half (``<name>.yaml``, on which the fusions are compared and the combiner
fitted) and a held-out half (``<name>_held_out.yaml``, reported, never tuned on):

- ``planted``: a note and a query in other words, among 500 generated notes (paraphrase);
- ``lexical``: a note and a query sharing a name or a rare word, among notes on the same topic;
- ``turns``: raw multi-session conversations, each turn stored as an entry, with questions and
  the turns that answer them (the share of those found is the recall);
- ``journals``: long journal entries and session summaries of one mentee each, with questions
  about one detail, mostly deep in its entry (what storing long notes in pieces is for).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from coach.memory import NoteStore
from coach.memory.entries import Chunking
from coach.memory.fusion import Fusion
from coach.memory.store import FUSION, LEXICAL_WEIGHT
from coach.notes import SessionNote

HERE = Path(__file__).parent
# The fusions compared on the dev halves: the learned combiner (fitted on those halves by
# ``--train-fusion``, so its dev figures are fitted ones; the held-out halves judge it); and, at
# these lexical weights, rank fusion, score fusion (cosine plus a share of the best BM25 score)
# and saturating score fusion (cosine plus a share that keeps how strong the word match is).
CHOICES: tuple[tuple[Fusion, float], ...] = (
    ("learned", 1.0),
    *(("rrf", w) for w in (0.25, 0.5, 1.0, 2.0)),
    *(("scores", w) for w in (0.05, 0.1, 0.2, 0.3)),
    *(("saturating", w) for w in (0.1, 0.2, 0.3, 0.5, 0.8)),
)
DEPTH = 10
FALLBACK: tuple[Fusion, float] = ("rrf", 1.0)
# How long notes are stored, tried on the dev halves of the sets that have long entries: whole
# only, or a note over 120 words also in pieces of whole sentences of up to so many words. Each
# is measured in an index of its own holding only those sets.
CHUNKINGS: dict[str, Chunking] = {
    "whole only": Chunking(whole_words=None),
    "pieces of 30 words": Chunking(whole_words=120, piece_words=30),
    "pieces of 50 words": Chunking(whole_words=120, piece_words=50),
    "pieces of 80 words": Chunking(whole_words=120, piece_words=80),
}


@dataclass
class Query:
    text: str
    evidence: set[str]  # note ids (``note-<session>``) that answer it


@dataclass
class BenchSet:
    name: str
    entries: list[tuple[str, str]]  # (session, text)
    queries: list[Query]


def _planted(file: str, filler: list[str]) -> BenchSet:
    items = yaml.safe_load((HERE / file).read_text(encoding="utf-8"))
    entries = [(f"t{i}", item["note"]) for i, item in enumerate(items)]
    entries += [(f"d{i}", text) for i, text in enumerate(filler)]
    queries = [Query(item["query"], {f"note-t{i}"}) for i, item in enumerate(items)]
    return BenchSet(file.removesuffix(".yaml"), entries, queries)


def _lexical(file: str) -> BenchSet:
    items = yaml.safe_load((HERE / file).read_text(encoding="utf-8"))
    entries: list[tuple[str, str]] = []
    queries = []
    for i, item in enumerate(items):
        entries.append((f"t{i}", item["note"]))
        entries += [(f"t{i}-d{j}", text) for j, text in enumerate(item.get("distractors", []))]
        queries.append(Query(item["query"], {f"note-t{i}"}))
    return BenchSet(file.removesuffix(".yaml"), entries, queries)


def _turns(file: str) -> BenchSet:
    conversations = yaml.safe_load((HERE / file).read_text(encoding="utf-8"))
    entries: list[tuple[str, str]] = []
    queries = []
    for conversation in conversations:
        cid = conversation["id"]
        for session in conversation["sessions"]:
            for turn in session["turns"]:
                entries.append((f"{cid}-{turn['id']}", f"{turn['speaker']}: {turn['text']}"))
        for question in conversation["questions"]:
            evidence = {f"note-{cid}-{turn_id}" for turn_id in question["evidence"]}
            queries.append(Query(question["query"], evidence))
    return BenchSet(file.removesuffix(".yaml"), entries, queries)


def _journals(file: str) -> BenchSet:
    mentees = yaml.safe_load((HERE / file).read_text(encoding="utf-8"))
    entries: list[tuple[str, str]] = []
    queries = []
    for mentee in mentees:
        mid = mentee["id"]
        entries += [(f"{mid}-{entry['id']}", entry["text"]) for entry in mentee["entries"]]
        for question in mentee["questions"]:
            evidence = {f"note-{mid}-{entry_id}" for entry_id in question["evidence"]}
            queries.append(Query(question["query"], evidence))
    return BenchSet(file.removesuffix(".yaml"), entries, queries)


def bench_sets(filler: list[str]) -> Halves:
    """Each set's (dev, held-out) halves."""
    return {
        "planted": (_planted("planted.yaml", filler), _planted("held_out.yaml", filler)),
        "lexical": (_lexical("lexical.yaml"), _lexical("lexical_held_out.yaml")),
        "turns": (_turns("turns.yaml"), _turns("turns_held_out.yaml")),
        "journals": (_journals("journals.yaml"), _journals("journals_held_out.yaml")),
    }


def load_set(store: NoteStore, user: str, bench: BenchSet) -> None:
    """Every entry as a note of ``user``'s, added as the coach adds them."""
    for session, text in bench.entries:
        store.add_note(
            user, SessionNote(user=user, session=session, date=date(2026, 1, 1), dilemma=text)
        )


Halves = dict[str, tuple[BenchSet, BenchSet]]  # each set's (dev, held-out) halves
HALVES = ("dev", "held_out")


def user_of(name: str, half: str) -> str:
    """The benchmark user who holds set ``name``'s half (``dev`` or ``held_out``)."""
    return f"bench-{name}-{'dev' if half == 'dev' else 'held'}"


def load_halves(store: NoteStore, halves: Halves) -> None:
    """Every set's halves, each as the notes of its own user (``user_of``)."""
    for name, pair in halves.items():
        for half, bench in zip(HALVES, pair, strict=True):
            load_set(store, user_of(name, half), bench)


Ranker = Callable[[str], list[str]]


def rankers(store: NoteStore, user: str, fusion: Fusion, weight: float) -> dict[str, Ranker]:
    def dense(query: str) -> list[str]:
        vector = store.embedder.embed([query])[0]
        return [f"note-{h.note.session}" for h in store.search_vector(user, vector, DEPTH)]

    def words(query: str) -> list[str]:
        return [entry for entry, _ in store.search_words(user, query, DEPTH)]

    def hybrid(query: str) -> list[str]:
        hits = store.search(user, query, DEPTH, lexical_weight=weight, fusion=fusion)
        return [f"note-{h.note.session}" for h in hits]

    return {"dense": dense, "bm25": words, "hybrid": hybrid}


def measure(bench: BenchSet, rank: Ranker) -> dict[str, float]:
    at5, at10, seconds = [], [], []
    for query in bench.queries:
        start = time.perf_counter()
        ranking = rank(query.text)
        seconds.append(time.perf_counter() - start)
        at5.append(len(query.evidence & set(ranking[:5])) / len(query.evidence))
        at10.append(len(query.evidence & set(ranking[:10])) / len(query.evidence))
    return {
        "recall_at_5": round(statistics.fmean(at5), 4),
        "recall_at_10": round(statistics.fmean(at10), 4),
        "p50_ms": round(statistics.median(seconds) * 1000, 2),
    }


def compare(store: NoteStore, halves: Halves) -> dict[str, Any]:
    """Compare the fusions on the dev halves, then report every channel, the shipped fusion and
    rank fusion on both halves. The sets must already be stored (``load_halves``)."""
    # The fusion chosen is the one whose worst dev set gains most over the better single
    # channel there (the target is a hybrid at least as good as either channel on every set),
    # then the one with the larger mean gain.
    singles = {
        name: max(
            measure(dev, rank)["recall_at_5"]
            for channel, rank in rankers(store, user_of(name, "dev"), "rrf", 1.0).items()
            if channel != "hybrid"
        )
        for name, (dev, _) in halves.items()
    }
    tuning: dict[str, tuple[float, float]] = {}
    for fusion, weight in CHOICES:
        margins = [
            measure(dev, rankers(store, user_of(name, "dev"), fusion, weight)["hybrid"])[
                "recall_at_5"
            ]
            - singles[name]
            for name, (dev, _) in halves.items()
        ]
        tuning[f"{fusion} {weight}"] = (round(min(margins), 4), round(statistics.fmean(margins), 4))
    # Ties on the worst set go to the larger mean gain.
    chosen = max(CHOICES, key=lambda choice: tuning[f"{choice[0]} {choice[1]}"])
    shipped: tuple[Fusion, float] = (FUSION, LEXICAL_WEIGHT)
    report: dict[str, Any] = {
        "dev_worst_and_mean_margin_over_best_single_channel": tuning,
        "chosen": f"{chosen[0]} {chosen[1]}",
        "shipped": f"{shipped[0]} {shipped[1]}",
    }
    for name, pair in halves.items():
        for half, bench in zip(HALVES, pair, strict=True):
            user = user_of(name, half)
            ranks = rankers(store, user, *shipped)
            if chosen != shipped:
                ranks["hybrid, dev choice"] = rankers(store, user, *chosen)["hybrid"]
            if shipped != FALLBACK:  # what search falls back to without the combiner
                ranks["hybrid, rank fusion"] = rankers(store, user, *FALLBACK)["hybrid"]
            report[f"{name}/{half}"] = {
                "entries": len(bench.entries),
                "queries": len(bench.queries),
                **{channel: measure(bench, rank) for channel, rank in ranks.items()},
            }
    return report


def compare_chunking(open_store: Callable[[Chunking], NoteStore]) -> dict[str, Any]:
    """Each way of storing long notes on the sets with long entries (``journals``): dense and
    hybrid recall on both halves; the choice is the best mean hybrid R@5 on the dev halves."""
    halves = {
        name: pair
        for name, pair in bench_sets([]).items()
        if any(len(text.split()) > 80 for _, text in pair[0].entries)
    }
    report: dict[str, Any] = {}
    for number, (label, chunking) in enumerate(CHUNKINGS.items()):
        store = open_store(chunking)
        found: dict[str, Any] = {}
        for name, (dev, held_out) in halves.items():
            for half, bench in (("dev", dev), ("held_out", held_out)):
                user = f"chunks{number}-{name}-{half}".replace("_", "-")
                load_set(store, user, bench)
                ranks = rankers(store, user, FUSION, LEXICAL_WEIGHT)
                found[f"{name}/{half}"] = {
                    channel: measure(bench, ranks[channel]) for channel in ("dense", "hybrid")
                }
        report[label] = found
    # A tie on the dev halves keeps the chunking the store ships with.
    report["chosen"] = max(
        CHUNKINGS,
        key=lambda label: (
            statistics.fmean(
                report[label][f"{name}/dev"]["hybrid"]["recall_at_5"] for name in halves
            ),
            CHUNKINGS[label] == Chunking(),
        ),
    )
    return report
