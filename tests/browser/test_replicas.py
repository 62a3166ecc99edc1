"""Two Streamlit servers on one PostgreSQL database and one `chroma run` server, driven by
Chromium: twenty mentees rehearse at once, ten on each server, and neither their turns nor their
sessions cross; what one server saved, the other shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from coach.records import Database, open_records
from coach.settings import load_settings
from coach.transcripts import TranscriptStore
from tests.browser.test_end_to_end import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium
from tests.servers import free_port, running, streamlit_command

pytestmark = pytest.mark.slow

QUESTIONS = [f"What matters most to you about step {n}?" for n in range(40)]
PAGES = 20  # ten on each server
ROUNDS = 2
WAIT_MS = 120_000  # twenty pages on two cores: a reply can take a while to arrive


def said(page: int, turn: int) -> str:
    return f"Mentee {page} here, turn {turn}: my manager keeps moving my deadline."


@pytest.fixture
def database(postgres_url: str) -> Database:
    """App servers on several machines share PostgreSQL (a SQLite file is for one machine)."""
    return open_records(load_settings(database_url=postgres_url))


@pytest.fixture
def servers(postgres_url: str, chroma_url: str, tmp_path: Path) -> Iterator[list[str]]:
    replies = tmp_path / "replies.jsonl"
    replies.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    urls = []
    with ExitStack() as stack:
        for name in ("a", "b"):
            port = free_port()
            command = streamlit_command(ROOT / "ui" / "Rehearse.py", port)
            env = {
                "COACH_DATA_DIR": str(tmp_path / name),  # nothing shared but the servers
                "COACH_DATABASE_URL": postgres_url,
                "COACH_CHROMA_URL": chroma_url,
                "COACH_PROVIDER": "scripted",
                "COACH_SCRIPT_FILE": str(replies),
                "COACH_SAFETY_SCREEN": "floor",
            }
            url = f"http://127.0.0.1:{port}"
            log = tmp_path / f"streamlit-{name}.log"
            stack.enter_context(running(command, url + "/_stcore/health", log, env=env))
            urls.append(url)
        yield urls


def test_mentees_on_two_servers_at_once_keep_their_own_sessions(
    servers: list[str], database: Database
) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = []
            for n in range(PAGES):
                page = browser.new_context().new_page()  # its own browser session
                page.set_default_timeout(90_000)
                page.goto(servers[n % 2])
                page.get_by_role("heading", name="Rehearse a dilemma").wait_for()
                expect(page.get_by_test_id("stChatMessage")).to_have_count(1, timeout=WAIT_MS)
                pages.append(page)
            for turn in range(ROUNDS):
                for n, page in enumerate(pages):  # all sent before any reply is awaited
                    box = page.get_by_test_id("stChatInputTextArea")
                    box.fill(said(n, turn))
                    box.press("Enter")
                for n, page in enumerate(pages):
                    messages = page.get_by_test_id("stChatMessage")
                    expect(messages).to_have_count(3 + 2 * turn, timeout=WAIT_MS)
                    reply = messages.nth(2 + 2 * turn)
                    expect(reply).to_have_text(re.compile(r"\?\s*$"), timeout=WAIT_MS)
                    expect(messages.nth(1 + 2 * turn)).to_contain_text(said(n, turn))

            # What a mentee said through server a, server b shows in the Journal.
            journal = browser.new_context().new_page()
            journal.goto(servers[1] + "/Journal")
            journal.get_by_role("heading", name="Journal").wait_for()
            shown = journal.get_by_text(f"{PAGES} sessions", exact=False)
            expect(shown).to_be_visible(timeout=WAIT_MS)
        finally:
            browser.close()

    store = TranscriptStore(database, "default")
    sessions = store.sessions()
    assert len(sessions) == PAGES
    seen = []
    for session in sessions:
        mentee = [r.text for r in store.load(session) if r.role == "mentee"]
        page = int(mentee[0].split()[1])
        assert mentee == [said(page, turn) for turn in range(ROUNDS)]  # nothing crossed
        seen.append(page)
    assert sorted(seen) == list(range(PAGES))
