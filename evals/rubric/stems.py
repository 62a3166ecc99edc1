"""How graders marked the fallback questions built from each stem.

``python -m evals.rubric.stems [KNOWLEDGE_FOLDER]`` finds, in the labelled turns of the eval suite
and the development scenarios (``labelled/*.yaml`` less the final set's ``final-*``), every
reply that is one of the stage book's stems, with or without a quoted phrase, and prints how
often each stem was graded wrong. A stem with at least ``MIN_USES`` uses that was wrong at
least ``MAX_WRONG_SHARE`` of the time is not asked (``knowledge/stages.yaml`` names those).
The final set is left out, so that it measures the choice rather than informs it. The stems
are read from the stage book in the given knowledge folder (default: the current one, which no
longer holds the stems left out; give a folder with an earlier ``stages.yaml`` to count those).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from coach.evals.rubric import LABELLED_DIR, LabelledTurn, load_labels
from coach.knowledge import stage_book
from coach.paths import KNOWLEDGE_DIR

MIN_USES = 6
MAX_WRONG_SHARE = 0.75


def stem_pattern(stem: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(stem).replace(re.escape("{quote}"), ".+") + "$")


def grades_by_stem(stems: Iterable[str], turns: Iterable[LabelledTurn]) -> dict[str, Counter[str]]:
    """The grades of the replies that each stem made."""
    patterns = [(stem, stem_pattern(stem)) for stem in dict.fromkeys(stems)]
    grades: dict[str, Counter[str]] = {}
    for turn in turns:
        reply = " ".join(turn.coach.split())
        stem = next((s for s, pattern in patterns if pattern.match(reply)), None)
        if stem is not None:
            grades.setdefault(stem, Counter())[turn.label] += 1
    return grades


def not_asked(grades: dict[str, Counter[str]]) -> list[str]:
    """The stems the rule leaves out."""
    return [
        stem
        for stem, counts in grades.items()
        if (uses := sum(counts.values())) >= MIN_USES and counts["wrong"] / uses >= MAX_WRONG_SHARE
    ]


def development_labels(folder: Path = LABELLED_DIR) -> list[LabelledTurn]:
    return load_labels(p for p in sorted(folder.glob("*.yaml")) if not p.name.startswith("final-"))


def main(knowledge_dir: Path) -> None:
    grades = grades_by_stem(stage_book(knowledge_dir).questions, development_labels())
    for stem, counts in sorted(grades.items(), key=lambda item: -sum(item[1].values())):
        uses = sum(counts.values())
        print(f"{uses:4d} uses, {counts['wrong'] / uses:4.0%} wrong  {stem}")
    print("\nnot asked:", *not_asked(grades), sep="\n  ")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else KNOWLEDGE_DIR)
