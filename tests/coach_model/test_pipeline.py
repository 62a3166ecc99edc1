"""The adapter's whole training pipeline on a tiny set: a few LoRA steps on the shipped model,
llama.cpp's converter, then llama.cpp loading the adapter and answering."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.providers.local import LocalProvider
from coach.session.prompting import turn_messages
from coach.transcripts import TranscriptRecord

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_a_tiny_run_trains_converts_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "training"
    done = subprocess.run(
        [sys.executable, "-m", "evals.coach_model", "train", "--tiny", "--work", str(work)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "step 3/3" in done.stdout and "dev loss" in done.stdout
    adapter = work / "coach.lora.gguf"
    assert adapter.read_bytes()[:4] == b"GGUF" and adapter.stat().st_size < 20_000_000
    assert (work / "checkpoint.pt").is_file()  # a run stopped here would resume from it

    monkeypatch.setenv("COACH_ADAPTER", str(adapter))
    provider = LocalProvider(threads=1)
    try:
        assert provider.adapter == adapter and provider.adapter_problem is None
        records = [TranscriptRecord(role="mentee", text="I keep missing my deadlines.",
                                    stage="dilemma")]  # fmt: skip
        reply = "".join(provider.stream(turn_messages(provider, "dilemma", records, 4000)))
        assert reply.strip().endswith("?") and reply.count("?") == 1, reply
    finally:
        provider.close()
