"""The Journal page on real Chroma: timeline, commitments, export, delete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.memory import NoteStore, get_embedder
from coach.notes import Commitment, SessionNote
from coach.records import open_records, records_at
from coach.settings import load_settings
from coach.transcripts import TranscriptRecord, TranscriptStore
from tests.ui.helpers import opened as opened_page
from tests.ui.helpers import seen


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch, isolated_env: Path) -> NoteStore:
    monkeypatch.setenv("COACH_USER", "erin")
    settings = load_settings()
    transcripts = TranscriptStore(open_records(settings), "erin")
    transcripts.append(
        "s1", TranscriptRecord(role="mentee", text="My manager took credit.", stage="dilemma")
    )
    store = NoteStore.open(settings, get_embedder(settings))
    store.add_note(
        "erin",
        SessionNote(
            user="erin",
            session="s1",
            date=date(2026, 11, 2),
            dilemma="My manager presents my work as his.",
            commitments=[Commitment(text="Book a one-to-one", due=date(2026, 11, 9), session="s1")],
        ),
    )
    return store


def opened(**state: object) -> AppTest:
    return opened_page("pages/3_Journal.py", **state)


def test_the_journal_shows_sessions_with_their_notes(remembered: NoteStore) -> None:
    app = opened()
    assert "My manager presents my work as his." in seen(app.radio[0].options[0])
    assert any("Book a one-to-one" in seen(m.value) for m in app.markdown)
    assert app.text[0].value == "My manager took credit."  # mentee text shown as text


def test_a_commitment_status_change_is_saved(remembered: NoteStore) -> None:
    app = opened()
    app.selectbox[0].set_value("done").run()
    assert not app.exception
    [commitment] = remembered.commitments("erin")
    assert commitment.status == "done"


def test_delete_needs_the_profile_name(remembered: NoteStore, isolated_env: Path) -> None:
    app = opened()
    delete = next(b for b in app.button if b.label == "Delete all my data")
    assert delete.disabled
    app.text_input[0].set_value("erin").run()
    next(b for b in app.button if b.label == "Delete all my data").click().run()
    assert not app.exception
    assert remembered.notes("erin") == []
    assert TranscriptStore(records_at(isolated_env), "erin").sessions() == []


def test_an_empty_journal_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_USER", "newcomer")
    app = opened()
    assert "No sessions yet" in app.info[0].value


def test_each_profile_sees_only_its_own_journal(remembered: NoteStore) -> None:
    app = opened(profile="sam")
    assert "No sessions yet" in app.info[0].value
    assert not any("presents my work" in seen(m.value) for m in app.markdown)
