"""The Makefile keeps each llama.cpp build in a folder keyed by its flags, so a wheel built with
other flags is never picked up."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def wheel_folder(*variables: str) -> str:
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "llama-wheel-folder", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_each_build_and_flag_set_has_its_own_wheel_folder() -> None:
    portable = wheel_folder()
    native = wheel_folder("LLAMA_BUILD=native")
    no_openmp = wheel_folder("LLAMA_CMAKE_EXTRA=-DGGML_OPENMP=OFF")
    assert portable.startswith(".wheels/llama-cpp-python-") and "-portable-" in portable
    assert "-native-" in native
    assert len({portable, native, no_openmp}) == 3
    assert wheel_folder() == portable  # the same flags, the same folder


def test_an_unknown_build_is_refused() -> None:
    done = subprocess.run(
        ["make", "-s", "llama-wheel-folder", "LLAMA_BUILD=fastest"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "LLAMA_BUILD must be portable or native" in done.stderr
