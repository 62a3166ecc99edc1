"""Blind labelling of coach turns from two or more eval reports.

``python -m evals.rubric.blind mix OUT.yaml NAME=report.json ...`` writes every coaching turn of
the reports, shuffled, with the conversation before it and no model name, plus a key beside it
(``OUT.key.json``). A rater grades each item in OUT.yaml (``label`` and ``note``) with the rubric
in ``evals/rubric/README.md``. ``python -m evals.rubric.blind split OUT.yaml`` then writes
``evals/rubric/labelled/<NAME>.yaml`` for each model.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from coach.evals.rubric import GRADES, LABELLED_DIR

SEED = 20261206
CONTEXT_TURNS = 3
CODED = ("model", "repaired", "fallback")


def items_of(name: str, report: Path) -> list[dict[str, Any]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    items = []
    for scenario in data["coach"]["scenarios"]:
        said: list[str] = []
        for turn in scenario["turns"]:
            if turn.get("mentee"):
                said.append(f"mentee: {turn['mentee']}")
            if turn["outcome"] in CODED and turn.get("coach"):
                items.append(
                    {
                        "model": name,
                        "scenario": scenario["id"],
                        "dilemma": scenario["dilemma"],
                        "before": said[-2 * CONTEXT_TURNS - 1 : -1],
                        "mentee": turn["mentee"],
                        "coach": turn["coach"],
                    }
                )
            if turn.get("coach"):
                said.append(f"coach: {turn['coach']}")
    return items


def mix(out: Path, sources: list[str]) -> None:
    items = [i for spec in sources for i in items_of(*_named(spec))]
    random.Random(SEED).shuffle(items)
    key = {}
    blind = []
    for number, item in enumerate(items, 1):
        key[number] = item["model"]
        blind.append(
            {
                "id": number,
                **{k: v for k, v in item.items() if k != "model"},
                "label": None,
                "note": "",
            }
        )
    out.write_text(yaml.safe_dump(blind, sort_keys=False, allow_unicode=True, width=100))
    out.with_suffix(".key.json").write_text(json.dumps(key))
    print(f"{len(blind)} turns to label in {out}")


def split(labelled: Path) -> None:
    items = yaml.safe_load(labelled.read_text(encoding="utf-8"))
    key = json.loads(labelled.with_suffix(".key.json").read_text())
    by_model: dict[str, list[dict[str, str]]] = {}
    strictest: dict[tuple[str, str, str], str] = {}
    for item in items:
        if item.get("label") not in GRADES:
            raise SystemExit(f"item {item['id']} has no valid label: {item.get('label')!r}")
        reply = (item["scenario"], item["mentee"], item["coach"])
        strictest[reply] = max(strictest.get(reply, "fits"), item["label"], key=GRADES.index)
    for item in items:  # the same reply to the same message, graded twice: the stricter grade
        item["label"] = strictest[(item["scenario"], item["mentee"], item["coach"])]
        by_model.setdefault(key[str(item["id"])], []).append(
            {
                "scenario": item["scenario"],
                "mentee": item["mentee"],
                "coach": item["coach"],
                "label": item["label"],
                "note": item.get("note") or "",
            }
        )
    LABELLED_DIR.mkdir(parents=True, exist_ok=True)
    for model, turns in by_model.items():
        path = LABELLED_DIR / f"{model}.yaml"
        path.write_text(yaml.safe_dump(turns, sort_keys=False, allow_unicode=True, width=100))
        shares = {g: sum(t["label"] == g for t in turns) / len(turns) for g in GRADES}
        print(model, len(turns), {g: f"{v:.1%}" for g, v in shares.items()})


def _named(spec: str) -> tuple[str, Path]:
    name, _, path = spec.partition("=")
    return name, Path(path)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "mix":
        mix(Path(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "split":
        split(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
