"""``python -m evals.acts train|report``: train the talk-act heads, or measure them beside the
rules on the corpus's dev or test split and, where ``../shared`` holds it, on AnnoMI's dev split
(measured only: nothing from it is trained on)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from coach.acts.classifier import classify_learned
from coach.acts.rules import classify_by_rules
from evals.acts.corpus import load_corpus, of_split
from evals.acts.figures import TABLE_HEAD, measure, table_row

ANNOMI = Path(__file__).resolve().parents[3] / "shared" / "data" / "annomi" / "dev.csv"


def report(split: str, annomi: Path) -> None:
    utterances = of_split(load_corpus(), split)  # type: ignore[arg-type]
    print(f"## The project's {split} split ({len(utterances)} utterances)\n")
    print(TABLE_HEAD)
    print(table_row("learned", measure(utterances, classify_learned)))
    print(table_row("rules (default)", measure(utterances, classify_by_rules)))
    if not annomi.exists():
        print(f"\nAnnoMI is not at {annomi}: its figures are left out.")
        return
    from coach.acts.agreement import agreement, load_annomi

    coded = load_annomi(annomi)
    print(f"\n## AnnoMI dev ({len(coded)} therapist utterances, measured only)\n")
    print(
        "| classifier | kappa, main | kappa, question | kappa, open/closed | advice recall "
        "| advice precision |\n|---|---|---|---|---|---|"
    )
    for name, classifier in (("learned", classify_learned), ("rules (default)", classify_by_rules)):
        r = agreement(coded, classifier)
        print(
            f"| {name} | {r.kappa_main:.3f} | {r.kappa_question:.3f} | {r.kappa_open_closed:.3f} "
            f"| {r.advice_recall:.3f} | {r.advice_precision:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.acts")
    parser.add_argument("command", choices=["train", "report"])
    parser.add_argument("--split", choices=["test"], default="test")  # dev is trained on
    parser.add_argument("--annomi", type=Path, default=ANNOMI)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.command == "train":
        from evals.acts.train import train

        train()
    else:
        report(args.split, args.annomi)


if __name__ == "__main__":
    main()
