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


def streamlit_command(app: Path, port: int) -> list[str]:
    """The app served as `make run` serves it, on a loopback port."""
    import sys

    return [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them per version)."""
    import glob
    import shutil

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parts[-3]
    return tuple(int(part) for part in version.split(".") if part.isdigit())


@contextmanager
def postgres_server(timeout_s: float = 60, durable: bool = False) -> Iterator[str]:
    """A throwaway PostgreSQL server on a free loopback port (``initdb``, ``pg_ctl``), as its
    own user when run as root; yields an admin URL, and stops and removes it afterwards.

    Tests run it without syncing to disk (faster; nothing outlives the test); ``durable`` keeps
    PostgreSQL's default, every commit synced, as a benchmark must."""
    import pwd
    import shutil
    import tempfile

    folder_bin = postgres_bin()
    if folder_bin is None:
        raise FileNotFoundError("PostgreSQL is not installed (make test installs it with apt)")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="coach-postgres-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=timeout_s)

    try:
        run(
            str(folder_bin / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "coach",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-h 127.0.0.1 -p {port} -k {folder}" + ("" if durable else " -F")
        run(
            str(folder_bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "-t",
            str(int(timeout_s)),
            "start",
        )
        try:
            yield f"postgresql+psycopg://coach@127.0.0.1:{port}/postgres"
        finally:
            run(str(folder_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
