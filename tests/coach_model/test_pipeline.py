"""The adapter's whole training pipeline on a tiny set: a few LoRA steps on the shipped model,
llama.cpp's converter, then llama.cpp loading the adapter and answering."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.providers.local import LocalProvider
from coach.session.prompting import turn_messages
from coach.transcripts import TranscriptRecord

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def tiny_run(work: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "evals.coach_model", "train", "--tiny", "--work", str(work)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_a_tiny_run_trains_converts_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "training"
    done = tiny_run(work)
    assert "step 3/3" in done.stdout
    assert re.search(r"adapter written to .* \(dev loss \d+\.\d+\)", done.stdout), done.stdout
    adapter = work / "coach.lora.gguf"
    assert adapter.read_bytes()[:4] == b"GGUF" and adapter.stat().st_size < 20_000_000
    meta = json.loads((work / "adapter.json").read_text())
    assert meta["base"]["name"] == "smollm2-135m-instruct" and meta["trained"]["steps"] == 3

    again = tiny_run(work)  # the same corpus and recipe: it resumes and has nothing left to do
    assert "resumed at step 3 of 3" in again.stdout and "step 1/3" not in again.stdout

    monkeypatch.setenv("COACH_ADAPTER", str(adapter))
    provider = LocalProvider(threads=1)
    try:
        assert provider.adapter == adapter and provider.adapter_problem is None
        records = [
            TranscriptRecord(role="mentee", text="I keep missing my deadlines.", stage="dilemma")
        ]
        reply = "".join(provider.stream(turn_messages(provider, "dilemma", records, 4000)))
        assert reply.strip().endswith("?") and reply.count("?") == 1, reply
    finally:
        provider.close()
