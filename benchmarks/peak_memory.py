"""Peak resident memory of the app process, with the local model and the embedder loaded.

The app is served as `make run` serves it and driven in Chromium through a session that loads
everything: the chat model, a turn, the embedder (it loads after the first answer) and a saved
note. The baseline is the same server running a one-line Streamlit page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.cold_start import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_for_health
from benchmarks.results import Result, result

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HELLO_APP = 'import streamlit as st\nst.title("Hello")\n'
EMBEDDER_LOAD_S = 15


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc")


def served_peak(app: Path, data_dir: str, use: bool) -> float:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "COACH_DATA_DIR": data_dir, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [str(BIN / "streamlit"), "run", str(app), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        _wait_for_health(port, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            page.get_by_role("heading").first.wait_for(timeout=60_000)
            if use:
                box = page.get_by_test_id("stChatInputTextArea")
                box.fill("My manager presented my analysis as his own work.")
                box.press("Enter")
                page.get_by_test_id("stChatMessage").nth(2).wait_for(timeout=120_000)
                time.sleep(EMBEDDER_LOAD_S)  # the embedder loads after the first answer
                page.get_by_role("button", name="End session").click()
                page.get_by_role("button", name="Save note").click(timeout=60_000)
                page.get_by_text("Saved.").first.wait_for(timeout=60_000)
            browser.close()
        return peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)


def peak_memory() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO_APP)
        baseline = served_peak(hello, folder, use=False)
        coach = served_peak(ROOT / "ui" / "Rehearse.py", str(Path(folder) / "data"), use=True)
    return [result("app peak resident memory (model, embedder and a note loaded)", coach, "MB",
                   1, "one-line Streamlit page", baseline)]  # fmt: skip
