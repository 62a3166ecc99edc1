"""Cold start: from launching the app to the first answered question, in a real browser."""

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
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ECHO_APP = """
import streamlit as st
if text := st.chat_input("Say something"):
    with st.chat_message("assistant"):
        st.markdown(f"What else about {text}?")
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(port: int, server: subprocess.Popen[bytes]) -> None:
    while server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the app exited before it was ready")


def first_answer(app: Path, answers_expected: int) -> float:
    """Seconds from launching ``streamlit run app`` to a question answering a typed message."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        env = {**os.environ, "COACH_DATA_DIR": data_dir, "HF_HUB_OFFLINE": "1"}
        start = time.perf_counter()
        server = subprocess.Popen(
            [str(BIN / "streamlit"), "run", str(app), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            _wait_for_health(port, server)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            box = page.get_by_role("textbox")
            box.wait_for(timeout=60_000)
            box.fill("My manager keeps presenting my ideas as his own.")
            box.press("Enter")
            answers = page.locator('[data-testid="stChatMessage"]')
            page.wait_for_function(
                """n => {
                  const m = document.querySelectorAll('[data-testid="stChatMessage"]');
                  return m.length >= n && m[n - 1].innerText.trim().endsWith('?');
                }""",
                arg=answers_expected,
                timeout=60_000,
            )
            elapsed = time.perf_counter() - start
            assert answers.count() >= answers_expected
            return elapsed
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=10)


def cold_start(runs: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        echo_app = Path(folder) / "echo.py"
        echo_app.write_text(ECHO_APP)
        baseline, coach = [], []
        for _ in range(runs):
            baseline.append(first_answer(echo_app, answers_expected=1))
            # The coach page opens with its own question, then the mentee's message, then the reply.
            coach.append(first_answer(ROOT / "ui" / "Rehearse.py", answers_expected=3))
    return [
        result("app cold start to first answered question", percentile(coach, 50), "s", runs,
               "streamlit echo app, same steps", percentile(baseline, 50)),
    ]  # fmt: skip
