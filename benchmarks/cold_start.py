"""Cold start: from launching the app to the first answered question."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.results import Result, percentile, result

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(data_dir: str) -> dict[str, str]:
    return {**os.environ, "COACH_DATA_DIR": data_dir, "HF_HUB_OFFLINE": "1"}


def cli_first_answer() -> float:
    """A fresh process: imports, model load and one embedded-model turn."""
    with tempfile.TemporaryDirectory() as data_dir:
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "coach"), "chat"],
            input=b"I might quit my job.\n",
            check=True,
            capture_output=True,
            env=_env(data_dir),
        )
        return time.perf_counter() - start


def server_ready() -> float:
    """``streamlit run ui/app.py`` until its health endpoint answers."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        start = time.perf_counter()
        server = subprocess.Popen(
            [
                str(BIN / "streamlit"),
                "run",
                str(ROOT / "ui" / "app.py"),
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
            env=_env(data_dir),
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    return time.perf_counter() - start
                except OSError:
                    time.sleep(0.05)
        finally:
            server.terminate()
            server.wait(timeout=10)


def python_start() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def cold_start(runs: int) -> list[Result]:
    bare = [python_start() for _ in range(runs)]
    cli = [cli_first_answer() for _ in range(runs)]
    server = [server_ready() for _ in range(runs)]
    return [
        result(
            "first answered question, fresh coach process",
            percentile(cli, 50),
            "s",
            runs,
            "bare python start",
            percentile(bare, 50),
        ),
        result(
            "streamlit server ready",
            percentile(server, 50),
            "s",
            runs,
            "bare python start",
            percentile(bare, 50),
        ),
    ]
