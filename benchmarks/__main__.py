"""``python -m benchmarks [--quick]``: run every benchmark and write benchmarks/out/."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks import (
    classifier,
    cold_start,
    eval_suite,
    pages,
    peak_memory,
    safety,
    search,
    turn,
)
from benchmarks.results import OUT_DIR, plot_ratios, write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where to write the results")
    args = parser.parse_args()
    found, latencies = search.search(
        (1_000,) if args.quick else (1_000, 10_000, 100_000), queries=5 if args.quick else 100
    )
    conversations, notes = (1, 200) if args.quick else (30, 10_000)
    overheads = turn.overhead(conversations, stored_notes=notes)
    on_postgres = turn.overhead_on_postgres(conversations, notes, overheads)
    embedded_turns = turn.embedded(1 if args.quick else 8)
    results = [
        *overheads,
        *on_postgres,
        *turn.overhead_share(overheads, embedded_turns),
        *found,
        *classifier.throughput(1000 if args.quick else 20000),
        *safety.safety_cost(1 if args.quick else 20),
        *embedded_turns,
        *cold_start.cold_start(1 if args.quick else 3),
        *pages.pages(1 if args.quick else 3),
        *peak_memory.peak_memory(),
        *eval_suite.eval_suite(live=not args.quick),
    ]
    out = write(results, args.out)
    search.plot(latencies, out)
    plot_ratios(results, out)
    print((out / "results.md").read_text())


if __name__ == "__main__":
    main()
