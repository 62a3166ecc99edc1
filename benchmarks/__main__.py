"""``python -m benchmarks [--quick]``: run every benchmark and write benchmarks/out/."""

from __future__ import annotations

import argparse

from benchmarks import classifier, cold_start, pages, turn
from benchmarks.results import write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    args = parser.parse_args()
    scale = 1 if args.quick else 10
    results = [
        *turn.overhead(30 * scale),
        *classifier.throughput(1000 if args.quick else 20000),
        *turn.embedded(1 if args.quick else 8),
        *cold_start.cold_start(1 if args.quick else 3),
        *pages.pages(1 if args.quick else 3),
    ]
    out = write(results)
    print((out / "results.md").read_text())


if __name__ == "__main__":
    main()
