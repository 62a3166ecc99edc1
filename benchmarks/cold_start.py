"""Cold start: from launching the app to the first answered question, in a real browser."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.results import Result, percentile, result
from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS, ROOT, served

ECHO_APP = """
import streamlit as st
if text := st.chat_input("Say something"):
    with st.chat_message("assistant"):
        st.markdown(f"What else about {text}?")
"""


def first_answer(app: Path, answers_expected: int) -> float:
    """Seconds from launching ``streamlit run app`` to a question answering a typed message."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as data_dir, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = time.perf_counter()
        try:
            with served(app, data_dir) as server:
                page = browser.new_page()
                page.goto(server.url)
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
        result(
            "app cold start to first answered question",
            percentile(coach, 50),
            "s",
            runs,
            "streamlit echo app, same steps",
            percentile(baseline, 50),
        ),
    ]
