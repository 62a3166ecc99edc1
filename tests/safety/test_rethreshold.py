"""Re-choosing a screen's thresholds reads each message as the product decides it (the
riskiest window of a long message), and changes nothing but the thresholds."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from coach.safety.classifier import Thresholds, decide
from coach.safety.text import windows
from evals.safety.corpus import Example
from evals.safety.rethreshold import deciding_rows


class WindowScorer:
    """A scorer whose risk grows with a window's count of the word "dark"."""

    name = "fake"
    thresholds = Thresholds(flag=0.5, crisis=0.9)

    def probabilities(
        self, messages: Sequence[str], context: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        levels = []
        for message in messages:
            risk = min(0.95, 0.1 * message.split().count("dark"))
            levels.append([1 - risk, risk * 0.6, risk * 0.4])
        return np.array(levels), np.full((len(messages), 4), 0.25)


def test_the_row_chosen_is_the_window_the_product_decides_by() -> None:
    long = " ".join(["rota"] * 100 + ["dark"] * 7 + ["rota"] * 100)
    parts, _ = windows(long)
    assert len(parts) >= 3 and "dark" not in parts[0]  # the riskiest window is not the first
    scorer = WindowScorer()
    example = Example(family="f", text=long, level="check_in", category="suicide")
    row = deciding_rows(scorer, [example])[0]
    levels, categories = scorer.probabilities(parts, [])
    decided = decide(scorer, levels, categories)
    assert 1.0 - row[0] == pytest.approx(decided.score) == pytest.approx(0.7)
    assert decided.level == "check_in"


@pytest.mark.slow
def test_rethreshold_changes_the_thresholds_and_nothing_else(tmp_path: Path) -> None:
    from coach.safety.classifier import MODEL_DIR, SafetyClassifier
    from evals.safety.rethreshold import rethreshold

    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    before = json.loads((folder / "safety.json").read_text(encoding="utf-8"))
    weights = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "safety.json"}
    thresholds = rethreshold(folder)
    after = json.loads((folder / "safety.json").read_text(encoding="utf-8"))
    assert after["heads"]["encoder"]["thresholds"] == thresholds
    assert 0.0 < thresholds["flag"] < 1.0 and 0.0 < thresholds["crisis"] < 1.0
    assert after["heads"]["words"] == before["heads"]["words"]
    changed = {"thresholds", "dev_misses", "thresholds_chosen_on"}
    assert {k: v for k, v in after["heads"]["encoder"].items() if k not in changed} == {
        k: v for k, v in before["heads"]["encoder"].items() if k not in changed
    }
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "safety.json"} == weights
    screen = SafetyClassifier(folder, head="encoder").screen
    assert screen("I've got the pills saved up and I'm taking them all tonight").level == "crisis"
    assert screen("Can we look at my promotion case before Friday?").level == "none"
