"""Serve a Streamlit page on a free loopback port, as `make run` does, for browser benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Served:
    url: str
    pid: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(url: str, server: subprocess.Popen[bytes]) -> None:
    while server.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the app exited before it was ready")


@contextmanager
def served(app: Path, data_dir: str, env: Mapping[str, str] | None = None) -> Iterator[Served]:
    """``streamlit run app`` with its own data folder (and ``env`` added to its environment):
    ready inside the block, stopped after."""
    port = _free_port()
    env = {**os.environ, "COACH_DATA_DIR": data_dir, "HF_HUB_OFFLINE": "1", **(env or {})}
    server = subprocess.Popen(
        [
            str(BIN / "streamlit"),
            "run",
            str(app),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, server)
        yield Served(url, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
