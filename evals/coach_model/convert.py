"""The trained LoRA adapter as a GGUF file that llama.cpp loads beside the shipped model,
written by llama.cpp's own converter (from the sdist of the llama-cpp-python release in use)."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def tools_dir() -> Path:
    """Where ``make`` put the converter of the llama-cpp-python release installed here."""
    version = importlib.metadata.version("llama-cpp-python")
    default = REPO / ".wheels" / f"llama-cpp-{version}-tools"
    folder = Path(os.environ.get("COACH_LLAMA_TOOLS", default))
    if not (folder / "convert_lora_to_gguf.py").is_file():
        raise FileNotFoundError(
            f"llama.cpp's converter is not in {folder}; `make train-model` fetches it."
        )
    return folder.resolve()


def to_gguf(adapter: Path, base_config: Path, target: Path) -> Path:
    """Convert the PEFT adapter folder to one f16 GGUF file at ``target``."""
    tools = tools_dir()
    partial = target.with_suffix(".partial")
    env = {**os.environ, "PYTHONPATH": str(tools / "gguf-py")}
    done = subprocess.run(
        [
            sys.executable,
            str(tools / "convert_lora_to_gguf.py"),
            "--outtype",
            "f16",
            "--outfile",
            str(partial),
            "--base",
            str(base_config),
            str(adapter),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0 or not partial.is_file():
        raise RuntimeError(f"the adapter did not convert: {done.stderr[-2000:]}")
    partial.replace(target)
    return target
