"""A stand-in for llama-cpp-python whose native code really dies, for the crash tests.

Put this folder first on PYTHONPATH of the model's process. ``CRASH_WITH`` picks how it dies:
``SIGILL`` runs an illegal instruction (``ud2`` on x86-64), ``SIGSEGV`` reads address 0,
``SIGABRT`` aborts after a failed check, ``hang`` never answers. ``CRASH_AT`` is ``decode``
(default: the first reply) or ``load``. It reports a build with AMX, like the one that
crashed on an AMX machine.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import platform
import signal
import sys
import time
from typing import Any

__version__ = "0.0.0-crashing"


def _die() -> None:
    how = os.environ.get("CRASH_WITH", "SIGILL")
    if how == "hang":
        time.sleep(3600)
    if how == "SIGABRT":
        print("ggml/src/ggml.c:1234: GGML_ASSERT(n_dims <= 4) failed", file=sys.stderr, flush=True)
    if how == "SIGSEGV":
        ctypes.string_at(0)
    if how == "SIGILL" and platform.machine() in {"x86_64", "AMD64"}:
        page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        page.write(b"\x0f\x0b")  # ud2: the CPU raises an invalid-opcode fault
        address = ctypes.addressof(ctypes.c_char.from_buffer(page))
        ctypes.CFUNCTYPE(None)(address)()
    os.kill(os.getpid(), getattr(signal, how, signal.SIGABRT))


def llama_print_system_info() -> bytes:
    return b"CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AMX_INT8 = 1 | OPENMP = 1 |"


class Llama:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if os.environ.get("CRASH_AT") == "load":
            _die()
        self.n_tokens = 0

    def create_chat_completion(self, *args: Any, **kwargs: Any) -> Any:
        _die()

    def tokenize(self, text: bytes) -> list[int]:
        return list(range(len(text.split())))


class LlamaGrammar:
    @classmethod
    def from_string(cls, text: str, verbose: bool = True) -> LlamaGrammar:
        return cls()
