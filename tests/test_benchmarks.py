"""`make bench` at a tiny size: every benchmark runs and writes the documented results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FIELDS = {"name", "value", "unit", "baseline_name", "baseline_value", "ratio", "n"}


@pytest.mark.slow
def test_every_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("COACH_REQUIRE_BROWSER"):
        pytest.skip("the browser benchmarks need Chromium: `make bench` installs it")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert all(set(r) == FIELDS for r in results)
    names = " ".join(r["name"] for r in results)
    for figure in [
        "turn overhead",
        "note search",
        "recall@5",
        "classifier",
        "embedded turn",
        "cold start",
        "first paint",
        "peak resident memory",
        "eval suite",
    ]:
        assert figure in names, figure
    assert (tmp_path / "results.md").read_text().startswith("| figure |")
    for plot in ["search_latency.png", "ratios.png"]:
        assert (tmp_path / plot).read_bytes()[:4] == b"\x89PNG"
