"""The whole mentee journey in a real browser: Chromium, driven by Playwright, against the app
served on loopback with the embedded model and real Chroma.

Screenshots of each step, and the timings measured on the way (first paint of each page, first
streamed token of the turn), are kept in ``test-artifacts/browser/`` (or $COACH_ARTIFACTS).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port, running, streamlit_command

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("COACH_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
DILEMMA = "My manager presented my churn analysis to the directors as his own work."
FEELING = "I felt invisible, and angry with myself for saying nothing."
TYPING_DELAY_MS = 100  # a fast typist: 10 characters, about two words, a second
COMMITMENT = "Ask Sam if I can present the follow-up analysis myself"

# Records, inside the page, when Enter was pressed and every text the n-th message showed.
WATCH_REPLY = """n => {
  window.__sent = null; window.__seen = [];
  document.addEventListener('keydown', e => {
    if (e.key === 'Enter' && window.__sent === null) window.__sent = performance.now();
  }, true);
  new MutationObserver(() => {
    const m = document.querySelectorAll('[data-testid="stChatMessage"]');
    if (m.length < n) return;
    const text = m[n - 1].innerText.trim(), last = window.__seen.at(-1);
    if (text && (!last || last.text !== text)) window.__seen.push({t: performance.now(), text});
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
REPLY_DONE = """n => {
  const m = document.querySelectorAll('[data-testid="stChatMessage"]');
  const t = m.length === n ? m[n - 1].innerText.trim() : '';
  return t.endsWith('?') && !t.includes('▌');
}"""


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Chromium is not installed: `make test` installs it (apt-get install chromium)."
    if os.environ.get("COACH_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app, as `make run` serves it, on a free loopback port with its own data folder."""
    port = free_port()
    command = streamlit_command(ROOT / "ui" / "Rehearse.py", port)
    url = f"http://127.0.0.1:{port}"
    with running(command, url + "/_stcore/health", tmp_path / "streamlit.log"):
        yield url


def test_a_mentee_rehearses_keeps_a_note_and_is_followed_up(app_url: str) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(90_000)

        def shot(name: str) -> None:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

        def painted(heading: str) -> float:
            started = time.perf_counter()
            page.get_by_role("heading", name=heading).wait_for()
            return time.perf_counter() - started

        try:
            # 1. The mentee types a dilemma.
            started = time.perf_counter()
            page.goto(app_url)
            page.get_by_role("heading", name="Rehearse a dilemma").wait_for()
            timings["first_paint_rehearse_s"] = time.perf_counter() - started
            messages = page.get_by_test_id("stChatMessage")
            expect(messages).to_have_count(1)
            box = page.get_by_test_id("stChatInputTextArea")

            def body(text: str) -> str:
                return text.strip().partition("\n")[2].strip()  # without the avatar's name

            def say(text: str, reply_at: int, name: str) -> None:
                before = {body(t) for t in messages.all_inner_texts()}
                box.press_sequentially(text, delay=TYPING_DELAY_MS)
                page.evaluate(WATCH_REPLY, reply_at)
                if reply_at == 3:
                    shot("1-dilemma-typed")
                box.press("Enter")
                expect(messages).to_have_count(reply_at)
                page.wait_for_function(REPLY_DONE, arg=reply_at)
                seen, sent = page.evaluate("window.__seen"), page.evaluate("window.__sent")
                (ARTIFACTS / f"{name}-stream.json").write_text(json.dumps([sent, *seen], indent=1))
                words = [s for s in seen if body(s["text"]) not in before | {""}]
                timings[f"{name}_first_token_s"] = (words[0]["t"] - sent) / 1000
                timings[f"{name}_whole_turn_s"] = (seen[-1]["t"] - sent) / 1000
                # A partly written reply on screen: Streamlit may draw a short reply at once.
                streamed.append(any("▌" in s["text"] for s in seen))
                question = messages.nth(reply_at - 1).inner_text().strip()
                assert question.endswith("?") and question.count("?") == 1, question
                assert text in messages.nth(reply_at - 2).inner_text()

            # 2. A question streams back, and again for a second message.
            streamed: list[bool] = []
            say(DILEMMA, 3, "first_turn")
            shot("2-streamed-question")
            say(FEELING, 5, "second_turn")
            assert any(streamed), "the replies should arrive as a stream"

            # 3. The session ends, and its note is shown as a draft.
            page.get_by_role("button", name="End session").click()
            commitments = page.get_by_label("Commitments, one per line", exact=False)
            commitments.wait_for()
            shot("3-draft-note")

            # 4. The mentee edits the note and saves it.
            commitments.fill(f"{COMMITMENT} | due 2026-12-04")
            page.get_by_role("button", name="Save note").click()
            expect(page.get_by_text("Saved. Next time, the coach will ask")).to_be_visible()
            shot("4-note-saved")

            # 5. The note is in the Journal.
            page.get_by_role("link", name="Journal").click()
            timings["first_paint_journal_s"] = painted("Journal")
            expect(page.get_by_text(COMMITMENT).first).to_be_visible()
            expect(page.get_by_text("Dilemma:", exact=False).first).to_be_visible()
            shot("5-journal")

            # 6. Back on Rehearse, the coach follows up on the commitment.
            page.get_by_role("link", name="Rehearse").click()
            timings["first_paint_rehearse_again_s"] = painted("Rehearse a dilemma")
            opening = messages.first
            expect(opening).to_contain_text(COMMITMENT)
            expect(opening).to_contain_text("What happened?")
            shot("6-follow-up")
        finally:
            (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=2))
            browser.close()
