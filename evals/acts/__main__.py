"""``python -m evals.acts train|report``: train the talk-act heads, or measure them beside the
rules on the corpus's test split and, where ``../shared`` holds it, on AnnoMI's dev split
(measured only: nothing from it is trained on). ``report --write`` also stores the figures in
``coach/acts/agreement.json``, which the eval report shows beside its own."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from coach.acts.classifier import classify_learned
from coach.acts.rules import classify_by_rules
from coach.acts.trust import AGREEMENT_FILE, MeasuredAgreement
from evals.acts.corpus import CORPUS_DIR, load_corpus, of_split
from evals.acts.figures import (
    TABLE_HEAD,
    classifier_agreement,
    expert_agreement,
    measure,
    table_row,
)
from evals.corpora import corpus_digest

ANNOMI = Path(__file__).resolve().parents[3] / "shared" / "data" / "annomi" / "dev.csv"
CLASSIFIERS = {"learned": classify_learned, "rules": classify_by_rules}


def report(split: str, annomi: Path, write: bool = False) -> None:
    if write and not annomi.exists():
        raise SystemExit(
            f"AnnoMI is not at {annomi}: the stored figures would lose their expert-coded half, "
            "so nothing is written. Pass --annomi PATH."
        )
    utterances = of_split(load_corpus(), split)  # type: ignore[arg-type]
    print(f"## The project's {split} split ({len(utterances)} utterances)\n")
    print(TABLE_HEAD)
    figures = {name: measure(utterances, c) for name, c in CLASSIFIERS.items()}
    for name, found in figures.items():
        print(table_row(name + (" (default)" if name == "rules" else ""), found))
    coded = None
    if annomi.exists():
        from coach.acts.agreement import load_annomi

        coded = load_annomi(annomi)
        print(f"\n## AnnoMI dev ({len(coded)} therapist utterances, measured only)\n")
        print(
            "| classifier | kappa, main | kappa, question | kappa, open/closed | advice recall "
            "| advice precision |\n|---|---|---|---|---|---|"
        )
    else:
        print(f"\nAnnoMI is not at {annomi}: its figures are left out.")
    stored = {}
    for name, classifier in CLASSIFIERS.items():
        with_experts = expert_agreement(coded, classifier) if coded else None
        if with_experts:
            print(
                f"| {name} | {with_experts.kappa_main:.3f} | {with_experts.kappa_question:.3f} "
                f"| {with_experts.kappa_open_closed:.3f} | {with_experts.advice_recall:.3f} "
                f"| {with_experts.advice_precision:.3f} |"
            )
        stored[name] = classifier_agreement(name, figures[name], with_experts)
    if write:
        measured = MeasuredAgreement(
            measured_by="python -m evals.acts report --write",
            corpus=corpus_digest(CORPUS_DIR),
            classifiers=stored,
        )
        AGREEMENT_FILE.write_text(measured.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"\nWrote {AGREEMENT_FILE}.")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.acts")
    parser.add_argument("command", choices=["train", "report"])
    parser.add_argument("--split", choices=["test"], default="test")  # dev is trained on
    parser.add_argument("--annomi", type=Path, default=ANNOMI)
    parser.add_argument(
        "--write", action="store_true", help="store the figures for the eval report"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.command == "train":
        from evals.acts.train import train

        train()
    else:
        report(args.split, args.annomi, args.write)


if __name__ == "__main__":
    main()
