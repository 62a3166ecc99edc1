"""``python -m evals.safety train|report|rethreshold|floor``: train or measure the safety heads.

- ``train [--out FOLDER] [--recipe default|distilled|anchored|in_context]``: fit on the train split,
  choose C and thresholds on dev, write coach/safety/model (or FOLDER). The taught recipes learn
  from the shipped screen too (``finetune.RECIPES``).
- ``report [--split dev|test] [--list] [--model FOLDER]``: the figures of each head and the
  floor alone, on a split (the coaching corpus's sessions included), on the external phrasings,
  on the same half of the sessions written apart (``apart``), on the eval suite's scripted
  mentee messages and on the rubric's scenario sets, which no screen was trained on;
  ``--model`` measures a retrained screen beside the shipped one.
- ``rethreshold --model FOLDER``: choose that screen's encoder thresholds again, on the dev split
  and the dev half of the sessions written apart (``rethreshold``).
- ``floor``: what each floor expression adds on train and dev, beside the classifier.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from coach.safety.classifier import SafetyClassifier
from coach.safety.floor import floor_result
from coach.safety.knowledge import safety_knowledge
from coach.safety.result import NONE, SafetyResult
from evals.safety.apart import apart_set
from evals.safety.corpus import (
    RUBRIC_SCENARIO_DIRS,
    external_set,
    load_corpus,
    of_split,
    scenario_set,
    training_corpus,
)
from evals.safety.figures import TABLE_HEAD, measure


def floor_only(text: str, context: object = ()) -> SafetyResult:
    from coach.safety.text import normalise

    return floor_result(normalise(text)) or NONE


def report(split: str, listing: bool, candidate: Path | None = None) -> None:
    examples = of_split(training_corpus(), split)  # type: ignore[arg-type]
    screens = {
        "fine-tuned encoder (default)": SafetyClassifier(head="encoder"),
        **({"retrained encoder": SafetyClassifier(candidate, head="encoder")} if candidate else {}),
        "encoder with the floor escalating": SafetyClassifier(head="encoder", floor=True),
        "words head (no local extra)": SafetyClassifier(head="words"),
    }
    for name, sets in (
        (f"{split} split ({len(examples)})", examples),
        (f"sessions written apart, {split} half", apart_set(split)),  # type: ignore[arg-type]
        ("external phrasings", external_set()),
        ("the eval suite's scripted mentee messages", scenario_set()),
        ("the rubric's scenario sets (ordinary talk)", scenario_set(RUBRIC_SCENARIO_DIRS)),
    ):
        print(f"\n### {name}\n\n{TABLE_HEAD}")
        for label, classifier in screens.items():
            figures = measure(sets, classifier.screen)
            print(figures.table_row(label))
            if listing and label.endswith("(default)"):
                listed = [("missed", figures.missed), ("false flag", figures.false_flags)]
        print(measure(sets, floor_only).table_row("the floor alone"))
        if listing:
            for kind, items in listed:
                for e in items:
                    print(
                        f"- {kind} [{e.level}/{e.style}] {e.text[:140]!r} "
                        f"ctx={list(e.context)[-1:]!r}"
                    )


def floor_report() -> None:
    corpus = [e for e in load_corpus() if e.split != "test"]
    classifier = SafetyClassifier(head="encoder", floor=False)
    learned = {e: classifier.screen(e.text, e.context) for e in corpus}
    print(
        "| expression | crisis rows matched | safe rows matched "
        "| rescued (classifier below crisis) |"
    )
    print("|---|---|---|---|")
    from coach.safety.text import normalise

    for expression in safety_knowledge().floor:
        hits = [e for e in corpus if expression.regex.search(normalise(e.text))]
        risky = [e for e in hits if e.risky]
        safe = [e for e in hits if not e.risky]
        rescued = [e for e in risky if e.level == "crisis" and learned[e].level != "crisis"]
        print(f"| `{expression.pattern}` | {len(risky)} | {len(safe)} | {len(rescued)} |")
        for e in safe:
            print(f"|  | | false: {e.text[:100]!r} | |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["train", "report", "rethreshold", "floor"])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument(
        "--list", action="store_true", help="list misses and false flags (dev only)"
    )
    parser.add_argument("--model", type=Path, help="a retrained screen to measure beside")
    parser.add_argument(
        "--recipe",
        choices=["default", "distilled", "anchored", "in_context"],
        default="default",
        help="distilled: three layers taught by the shipped screen; anchored: its six layers "
        "trained on, held near its readings; in_context: the default, with clear crises also "
        "learned after everyday talk",
    )
    parser.add_argument(
        "--out", type=Path, help="train into this folder instead of coach/safety/model"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.command == "train":
        from evals.safety.finetune import RECIPES
        from evals.safety.train import MODEL_DIR, train

        train(args.out or MODEL_DIR, recipe=RECIPES[args.recipe])
    elif args.command == "report":
        if args.list and args.split == "test":
            parser.error("test errors are not listed: reading them would tune the data to the test")
        report(args.split, args.list, args.model)
    elif args.command == "rethreshold":
        if args.model is None:
            parser.error("rethreshold needs --model FOLDER: it rewrites FOLDER/safety.json")
        from evals.safety.rethreshold import rethreshold

        rethreshold(args.model)
    else:
        floor_report()


if __name__ == "__main__":
    main()
