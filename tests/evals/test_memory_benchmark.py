"""The memory benchmark runs end to end at a tiny size (its figures come from the full run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evals.memory.recall_gate import MIN_RECALL, choose
from evals.memory.recall_gate import figures as gate_figures

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # runs the memory benchmark
def test_the_memory_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "memory.json"
    result = subprocess.run(
        [sys.executable, "-m", "evals.memory", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    report = json.loads(out.read_text())
    for planted_set in ("planted", "held_out"):
        figures = report["recall"][planted_set]
        assert figures["queries"] == 20
        # Among a user's 60 notes, nearly every paraphrase finds its note.
        assert figures["recall_at_5"] >= 0.8, figures
        assert 0.0 <= figures["recall_at_5_vs_exact"] <= 1.0
    assert report["latency"]["notes"] == 1000
    assert report["follow_up"]["follow_up_rate"] == 1.0
    channels = report["channels"]
    assert channels["chosen"] in channels["dev_worst_and_mean_margin_over_best_single_channel"]
    for name in ("planted", "lexical", "turns"):
        for half in ("dev", "held_out"):
            figures = channels[f"{name}/{half}"]
            assert figures["queries"] >= 20 and set(figures) >= {"dense", "bm25", "hybrid"}
            for channel in ("dense", "bm25", "hybrid"):
                assert 0.0 <= figures[channel]["recall_at_5"] <= figures[channel]["recall_at_10"]
    # Names and rare words: the words alone find nearly every note.
    assert channels["lexical/held_out"]["bm25"]["recall_at_5"] >= 0.9
    gate = report["recall_gate"]
    # The threshold chosen keeps the share of answering notes the rule asks for, on dev.
    assert gate["by_threshold"][f"{gate['chosen']:.2f}"]["dev"]["recall"] >= MIN_RECALL


def test_a_turn_keeps_the_notes_above_the_threshold_then_the_first_two() -> None:
    answering_third = [[(0.6, False), (0.3, False), (0.5, True)]]
    # At 0.0 the two best are kept and the answering third is not; at 0.4 the weak second is
    # dropped, so the third comes in.
    assert gate_figures(answering_third, 0.0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert gate_figures(answering_third, 0.4) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    noise_only = [[(0.42, False), (0.2, False)]]
    assert gate_figures(answering_third + noise_only, 0.45) == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
    }


def test_the_gate_takes_the_best_f1_among_thresholds_that_keep_enough() -> None:
    def row(recall: float, f1: float) -> dict[str, dict[str, float]]:
        return {"dev": {"precision": 0.0, "recall": recall, "f1": f1}}

    table = {"0.20": row(0.99, 0.40), "0.30": row(0.85, 0.50), "0.40": row(0.60, 0.70)}
    assert choose(table) == 0.30  # 0.40 has the best F1 but keeps too few
    assert choose({"0.10": row(0.5, 0.3), "0.20": row(0.4, 0.5)}) == 0.10
