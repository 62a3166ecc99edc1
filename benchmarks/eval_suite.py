"""The eval suite's wall time: replayed from the cassette, and live on the embedded model.

Live, the baseline is the model's own time inside the run (the seconds the cassette records
for each call), so the ratio shows what scoring, the guard and memory add. Replayed, the
baseline is the `coach` command starting up and doing nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results import Result, result

ROOT = Path(__file__).resolve().parent.parent
COACH = str(Path(sys.executable).parent / "coach")
CASSETTE = ROOT / "evals" / "cassettes" / "embedded.jsonl"


def _timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        args,
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=1800,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - started


def eval_suite(live: bool = True) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        startup = _timed([COACH, "--help"])
        replayed = _timed([COACH, "eval", "--out", f"{folder}/r", "--replay", str(CASSETTE)])
        results = [
            result(
                "eval suite wall time, replayed", replayed, "s", 1, "coach start-up alone", startup
            )
        ]
        if live:
            tape = Path(folder) / "live.jsonl"
            wall = _timed([COACH, "eval", "--out", f"{folder}/l", "--record", str(tape)])
            lines = tape.read_text().splitlines()[1:] if tape.exists() else []
            model = sum(json.loads(line).get("seconds", 0.0) for line in lines)
            results.append(
                result(
                    "eval suite wall time, live on the embedded model",
                    wall,
                    "s",
                    1,
                    "model time inside the run",
                    model,
                )
            )
    return results
