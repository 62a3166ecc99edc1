"""``coach classify`` end to end: the exact output shape other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test runs the coach command in a subprocess

KEYS = ["act", "question", "question_type", "reflection", "advice"]


def classify(stdin: bytes) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "coach", "classify"], input=stdin, capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_one_line_out_per_line_in_with_the_documented_shape() -> None:
    lines = [
        {"text": "What would help most right now?"},
        {"text": "You should just quit.", "context": "I hate my job."},
        {"text": "So you feel stuck.", "context": None},
    ]
    out = classify("".join(json.dumps(item) + "\n" for item in lines).encode())
    assert [list(item) for item in out] == [KEYS] * 3
    assert out[0] == {
        "act": "question",
        "question": True,
        "question_type": "open",
        "reflection": False,
        "advice": False,
    }
    assert out[1]["act"] == "advice" and out[1]["advice"] is True
    assert out[2]["act"] == "reflection" and out[2]["question_type"] is None


def test_a_bad_line_gets_an_error_and_processing_continues() -> None:
    stdin = b'{"text": "What next?"}\nnot json\n\n{"context": "x"}\n\xff\xfe\n{"text": "Yeah."}\n'
    out = classify(stdin)
    assert len(out) == 6
    assert out[0]["act"] == "question"
    assert all(set(item) == {"error"} for item in out[1:5])
    assert out[5]["act"] == "other"
