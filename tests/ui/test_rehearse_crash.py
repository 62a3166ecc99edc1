"""The Rehearse page when the embedded model's process dies: the page stays up, the message is
kept, the warning says what happened and how to fix it, and "Try again" works once the model
does. The rest of the app never notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.providers.local import shipped_model_path
from coach.records import records_at
from coach.session import TranscriptStore
from tests.providers.crash import crash_model_processes, mend_model_processes
from tests.ui.helpers import chat_texts, click, opened

pytestmark = pytest.mark.slow

MESSAGE = "I need to decide whether to take the offer."


def test_a_crashed_model_keeps_the_message_and_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    monkeypatch.setenv("COACH_USER", "erin")
    monkeypatch.setenv("COACH_MEMORY", "false")
    monkeypatch.setenv("COACH_MODEL_PATH", str(shipped_model_path()))
    crash_model_processes(monkeypatch, "SIGSEGV")
    app = opened("Rehearse.py")  # its warm-up already crashes the model, in the background

    app.chat_input[0].set_value(MESSAGE).run()
    assert not app.exception
    warning = app.warning[0].value
    assert "segmentation fault" in warning and "make rebuild-llama" in warning, warning
    assert "Your message is saved" in warning
    store = TranscriptStore(records_at(isolated_env), "erin")
    [session_id] = store.sessions()
    assert [r.text for r in store.load(session_id)] == [MESSAGE]
    assert opened("pages/3_Journal.py")  # the rest of the app works meanwhile

    mend_model_processes(monkeypatch)
    click(app, "Try again")
    texts = chat_texts(app)
    assert texts[-2] == MESSAGE and texts[-1].endswith("?"), texts
    assert not app.warning
