"""Peak resident memory of the app process, with the local model and the embedder loaded.

The app is served as `make run` serves it and driven in Chromium through a session that loads
everything: the chat model, a turn, the embedder (it loads after the first answer) and a saved
note. The baseline is the same server running a one-line Streamlit page.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.results import Result, result
from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS, ROOT, served

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

    with served(app, data_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(server.url)
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


def peak_memory() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO_APP)
        baseline = served_peak(hello, folder, use=False)
        coach = served_peak(ROOT / "ui" / "Rehearse.py", str(Path(folder) / "data"), use=True)
    return [
        result(
            "app peak resident memory (model, embedder and a note loaded)",
            coach,
            "MB",
            1,
            "one-line Streamlit page",
            baseline,
        )
    ]
