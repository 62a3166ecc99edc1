"""``coach safety``: JSON Lines in, one result per line out, in order; bad lines get an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test runs the coach command in a subprocess


def run_safety(lines: list[str]) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "safety"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_each_line_gets_its_result_in_order_and_bad_lines_an_error() -> None:
    lines = [
        json.dumps({"text": "I'm going to take all my pills tonight."}),
        "not json",
        json.dumps(
            {
                "text": "anyway, i've sorted out who gets my cat",
                "context": ["i won't be around for the review", "tired of all of it, for good"],
            }
        ),
        json.dumps({"text": "This sprint is killing me lol"}),
        json.dumps({"context": ["no text"]}),
        json.dumps({"text": "ok", "context": "a string, not a list"}),
        "",
        json.dumps({"text": ""}),
    ]
    results = run_safety(lines)
    assert len(results) == len(lines)
    assert results[0]["level"] == "crisis" and results[0]["category"] == "suicide"
    assert "error" in results[1] and "JSON" in str(results[1]["error"])
    assert results[2]["level"] in ("check_in", "crisis")
    assert results[3] == {"level": "none", "category": None, "score": results[3]["score"]}
    assert "text" in str(results[4]["error"])
    assert "context" in str(results[5]["error"])
    assert "empty line" in str(results[6]["error"])
    assert results[7] == {"level": "none", "category": None, "score": 0.0}
    for result in results:
        if "error" not in result:
            assert set(result) == {"level", "category", "score"}
            assert 0.0 <= float(result["score"]) <= 1.0  # type: ignore[arg-type]
