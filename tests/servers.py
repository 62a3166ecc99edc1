"""Servers that tests start on loopback: a free port, start, wait until ready, always stop."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(
    command: Sequence[str],
    ready_url: str,
    log_path: Path,
    timeout_s: float = 120,
    env: dict[str, str] | None = None,
) -> Iterator[None]:
    """Run ``command`` until the block ends; ready once ``ready_url`` answers.

    Output goes to ``log_path``: a pipe nobody reads would fill up and stall the server.
    """
    with log_path.open("wb") as log:
        environment = {**os.environ, **(env or {})}
        server = subprocess.Popen(
            list(command), stdout=log, stderr=subprocess.STDOUT, env=environment
        )
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if server.poll() is not None:
                    raise RuntimeError("the server exited:\n" + log_path.read_text()[-2000:])
                try:
                    urllib.request.urlopen(ready_url, timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            yield
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
