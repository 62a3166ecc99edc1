"""The browser app: first paint of every page, and the first streamed words of a local turn.

Each figure comes with a baseline measured in the same run: a one-line Streamlit page for the
paint, and a Streamlit page that echoes at once for the turn, so the ratio shows what the
coach adds on top of Streamlit and the browser.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.results import Result, percentile, result
from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS, ROOT, served

PAGES = {
    "": "Rehearse a dilemma",
    "Profile": "Profile",
    "Role-play": "Role-play a hard conversation",
    "Journal": "Journal",
    "Mentor_workbench": "Mentor workbench",
    "Evals": "Eval reports",
    "Goals": "Goals",
}
HELLO_APP = 'import streamlit as st\nst.title("Hello")\n'
ECHO_APP = """import streamlit as st
said = st.session_state.setdefault("said", [])
for role, text in said:
    st.chat_message(role).markdown(text)
if text := st.chat_input("Say something"):
    said += [("user", text), ("assistant", f"What else about that ({len(said)})?")]
    for role, text in said[-2:]:
        st.chat_message(role).markdown(text)
"""
MESSAGES = [
    "My manager presented my churn analysis to the directors as his own work.",
    "I felt invisible, and angry with myself for saying nothing.",
    "I want the directors to know what I can do without a fight.",
]
TYPING_DELAY_MS = 100  # a fast typist; the coach uses the typing time to read its rules
FIRST_WORDS = """([n, before]) => {
  const m = document.querySelectorAll('[data-testid="stChatMessage"]');
  if (m.length < n) return false;
  const shown = m[n - 1].innerText.trim();
  const words = shown.split('\\n').slice(1).join(' ').trim();
  return shown.includes('▌') || (words !== '' && !before.includes(words));
}"""


def paint_seconds(browser: Any, url: str, heading: str) -> float:
    """Seconds from opening ``url`` in a new browser session to its heading on screen."""
    context = browser.new_context()
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
        return time.perf_counter() - started
    finally:
        context.close()


def first_words_seconds(browser: Any, url: str, messages: list[str]) -> list[float]:
    """For each message typed and sent, seconds from Enter to the reply's first words."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=60_000)
    chat = page.get_by_test_id("stChatMessage")
    timings = []
    for text in messages:
        before = [t.strip().partition("\n")[2].strip() for t in chat.all_inner_texts()]
        reply_at = chat.count() + 2  # the message, then the reply
        box.press_sequentially(text, delay=TYPING_DELAY_MS)
        started = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(FIRST_WORDS, arg=[reply_at, before], timeout=120_000, polling=10)
        timings.append(time.perf_counter() - started)
        page.wait_for_function(  # the turn is over before the next message is typed
            "n => { const m = document.querySelectorAll('[data-testid=\"stChatMessage\"]');"
            " return m.length === n && !m[n - 1].innerText.includes('▌'); }",
            arg=reply_at,
            timeout=120_000,
        )
    context.close()
    return timings


def pages(runs: int) -> list[Result]:
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        hello, echo = Path(folder) / "hello.py", Path(folder) / "echo.py"
        hello.write_text(HELLO_APP)
        echo.write_text(ECHO_APP)
        with served(hello, folder) as server:
            baseline = [paint_seconds(browser, server.url, "Hello") for _ in range(runs)]
        with served(echo, folder) as server:
            echoed = first_words_seconds(browser, server.url, MESSAGES * runs)
        with served(ROOT / "ui" / "Rehearse.py", str(Path(folder) / "data")) as server:
            url = server.url
            for path, heading in PAGES.items():
                paints = [paint_seconds(browser, f"{url}/{path}", heading) for _ in range(runs)]
                name = f"first paint: {path or 'Rehearse'} page"
                results.append(
                    result(
                        f"{name} p50",
                        percentile(paints, 50),
                        "s",
                        runs,
                        "one-line Streamlit page p50",
                        percentile(baseline, 50),
                    )
                )
                results.append(
                    result(
                        f"{name} worst (the first visit)",
                        max(paints),
                        "s",
                        runs,
                        "one-line Streamlit page worst",
                        max(baseline),
                    )
                )
            words: list[float] = []
            for _ in range(runs):
                words += first_words_seconds(browser, url, MESSAGES)
        browser.close()
    for pct in (50, 95):
        results.append(
            result(
                f"first streamed words of a local turn p{pct}",
                percentile(words, pct),
                "s",
                len(words),
                f"Streamlit echo page p{pct}",
                percentile(echoed, pct),
            )
        )
    return results


if __name__ == "__main__":
    from benchmarks.results import OUT_DIR, write

    out = write(pages(int(sys.argv[1]) if len(sys.argv) > 1 else 3), OUT_DIR / "pages")
    print((out / "results.md").read_text())
