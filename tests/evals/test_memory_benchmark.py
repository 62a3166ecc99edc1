"""The memory benchmark runs end to end at a tiny size (its figures come from the full run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert gate["chosen"] in [float(t) for t in gate["by_threshold"]]
    # A higher threshold keeps fewer notes: recall of answering notes never rises with it.
    recalls = [row["dev"]["recall"] for row in gate["by_threshold"].values()]
    assert recalls == sorted(recalls, reverse=True) and recalls[0] == 1.0


def test_the_recall_gate_counts_answering_notes_kept_against_all_kept() -> None:
    found = [(0.6, True), (0.4, True), (0.35, False), (0.1, False)]
    assert gate_figures(found, 0.0) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert gate_figures(found, 0.38) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert gate_figures(found, 0.5) == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert gate_figures(found, 0.9) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
