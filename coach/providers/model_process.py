"""The app's side of the model process: start it, talk to it, notice when it dies.

A native crash in llama.cpp (an illegal instruction on a CPU the build was not made for, a
segmentation fault, an abort, the out-of-memory killer) ends only the worker process. Each
request then fails with a ``ModelCrash`` that says what happened and how to fix it, and the next
request starts a fresh worker, so a fixed installation works again without restarting the app.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import weakref
from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from coach.errors import ProviderError
from coach.providers.crash import crash

WORKER = [sys.executable, "-m", "coach.providers.model_worker"]
LOAD_TIMEOUT_S = 120.0
LAST_WORDS = 20
# llama.cpp's OpenMP threads spin between operations (libgomp: 300,000 spins before sleeping).
# Beside another busy process a spinning thread holds the core its partner needs, and a turn
# took 3-13 times longer. Passive waiting fixed that but halved quiet speed, since ggml's
# barriers between operations are OpenMP barriers; a short spin keeps quiet speed and most of
# the robustness (benchmarks/builds.py). A wait policy or spin count set by the user wins.
SHORT_SPIN = {"GOMP_SPINCOUNT": "1000"}
WAIT_SETTINGS = frozenset({"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"})


def worker_environment(
    base: Mapping[str, str], overrides: Mapping[str, str | None]
) -> dict[str, str]:
    """The model process's environment: ``base``, a short OpenMP spin unless ``base`` sets
    how to wait, then ``overrides`` (None removes a variable)."""
    env: dict[str, str | None] = {**base} if WAIT_SETTINGS & base.keys() else {**base, **SHORT_SPIN}
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


_LIVE: weakref.WeakSet[ModelProcess] = weakref.WeakSet()


class ModelProcess:
    """One worker process serving a GGUF model; requests are answered one at a time."""

    def __init__(
        self,
        model_path: Path,
        threads: int,
        *,
        reply_timeout_s: float = 60.0,
        command: Sequence[str] | None = None,
        env: Mapping[str, str | None] | None = None,
        lora: Path | None = None,
    ) -> None:
        self.model_path = model_path
        self.lora = lora
        self.threads = threads
        self.reply_timeout_s = reply_timeout_s
        self._command = list(command or WORKER)
        self._env = dict(env or {})
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._last_words: collections.deque[str] = collections.deque(maxlen=LAST_WORDS)
        self._lock = threading.Lock()
        self._stderr: threading.Thread | None = None
        _LIVE.add(self)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.running and self._proc else None

    def start(self) -> None:
        """Start the worker if it is not running and wait until the model is loaded."""
        with self._lock:
            self._ensure_started()

    def request(self, message: Mapping[str, Any]) -> Generator[dict[str, Any], None, None]:
        """Send one request; yield each piece, then the final ``done`` message.

        Raises ModelCrash if the worker dies, ProviderError if it reports an error or falls
        silent for longer than the reply timeout. Holds the process for the whole reply.
        """
        with self._lock:
            self._ensure_started()
            self._send(message)
            finished = False
            try:
                while True:
                    reply = self._next(self.reply_timeout_s)
                    if "piece" in reply:
                        yield reply
                        self._send({"op": "next"})  # the caller wants more
                        continue
                    finished = True
                    if "error" in reply:
                        raise ProviderError(f"the embedded model failed ({reply['error']})")
                    yield reply
                    return
            finally:
                if not finished:
                    self._cancel()

    def call(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """A request with no pieces: its final message."""
        replies = list(self.request(message))
        return replies[-1]

    def close(self) -> None:
        """Stop the worker (it also stops by itself when the app exits)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin:
                proc.stdin.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _ensure_started(self) -> None:
        if self.running:
            return
        self.close()
        self._last_words.clear()
        self._lines = queue.Queue()
        self._proc = subprocess.Popen(
            [
                *self._command,
                str(self.model_path),
                "--threads",
                str(self.threads),
                *(["--lora", str(self.lora)] if self.lora else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=worker_environment(os.environ, self._env),
        )
        _reader(self._proc.stdout, self._lines.put)
        self._stderr = _reader(self._proc.stderr, self._keep_last_words)
        ready = self._next(LOAD_TIMEOUT_S)
        if "error" in ready:
            self.close()
            raise ProviderError(f"the embedded model could not start: {ready['error']}")

    def _cancel(self) -> None:
        """Stop a reply the caller stopped reading (the worker waits for a word after each
        piece), so the next request starts clean. A worker that fails meanwhile is simply
        started again later."""
        if not self.running:
            return
        try:
            self._send({"op": "cancel"})
            while True:
                reply = self._next(self.reply_timeout_s)
                if "piece" not in reply:
                    return
        except ProviderError:
            self._kill()

    def _keep_last_words(self, line: bytes | None) -> None:
        if line is not None and line.strip():
            self._last_words.append(line.decode(errors="replace").strip()[:300])

    def _send(self, message: Mapping[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write((json.dumps(message) + "\n").encode())
            self._proc.stdin.flush()
        except OSError:
            raise self._died() from None

    def _next(self, timeout_s: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout_s)
        except queue.Empty:
            self._kill()
            raise ProviderError(
                f"the embedded model did not answer within {timeout_s:g} s and was stopped; "
                "the next message starts it again (COACH_TIMEOUT_S sets how long to wait)"
            ) from None
        if line is None:
            raise self._died()
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            self._kill()
            raise ProviderError("the embedded model's process sent something unreadable") from None
        return reply

    def _died(self) -> ProviderError:
        proc = self._proc
        code = proc.wait() if proc is not None else None
        self._proc = None
        if self._stderr is not None:
            self._stderr.join(timeout=1.0)  # the last lines it wrote before it died
        last = self._last_words[-1] if self._last_words else ""
        return crash(code, last)

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None


def _reader(stream: IO[bytes] | None, put: Any) -> threading.Thread:
    """Copy a pipe's lines to ``put`` in a daemon thread; None marks the end of the pipe."""

    def pump() -> None:
        assert stream is not None
        for line in stream:
            put(line)
        put(None)

    thread = threading.Thread(target=pump, name="model-process-pipe", daemon=True)
    thread.start()
    return thread


@atexit.register
def _stop_all() -> None:
    for process in list(_LIVE):
        process.close()
