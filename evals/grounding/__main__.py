"""``python -m evals.grounding [--list]``: the grounding check against the hand-labelled drafts."""

from __future__ import annotations

import argparse

from evals.grounding import SETS, load_set, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--list", action="store_true", help="also list every disagreement")
    args = parser.parse_args()
    print("| set | strays caught | fitting questions kept |")
    print("|---|---|---|")
    results = {name: measure(load_set(path)) for name, path in SETS.items()}
    for name, result in results.items():
        print(
            f"| {name} | {result.strays_caught}/{result.strays} = {result.catch_rate:.3f} "
            f"| {result.fitting_kept}/{result.fitting} = {result.keep_rate:.3f} |"
        )
    if args.list:
        for name, result in results.items():
            print(f"\n{name}, strays that pass:", *result.missed, sep="\n- ")
            print(f"\n{name}, fitting questions failed:", *result.wrongly_failed, sep="\n- ")


if __name__ == "__main__":
    main()
