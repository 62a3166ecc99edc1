"""A model process that really dies: llama-cpp-python replaced, in that process only, by
``crashing_llama``, which runs an illegal instruction or reads address 0."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CRASHING_LLAMA = Path(__file__).parent / "crashing_llama"


def crashing_env(how: str = "SIGILL", at: str = "decode") -> dict[str, str]:
    """Environment for a child process whose llama.cpp dies ``how`` when it first decodes."""
    path = os.pathsep.join(p for p in (str(CRASHING_LLAMA), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path, "CRASH_WITH": how, "CRASH_AT": at}


def crash_model_processes(monkeypatch: pytest.MonkeyPatch, how: str, at: str = "decode") -> None:
    """From now on, every model process this test starts dies ``how``."""
    for name, value in crashing_env(how, at).items():
        monkeypatch.setenv(name, value)


def mend_model_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The installation is fixed: model processes started from now on run the real llama.cpp."""
    for name in ("CRASH_WITH", "CRASH_AT"):
        monkeypatch.delenv(name, raising=False)
    kept = [
        p
        for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if p and p != str(CRASHING_LLAMA)
    ]
    if kept:
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(kept))
    else:
        monkeypatch.delenv("PYTHONPATH", raising=False)
