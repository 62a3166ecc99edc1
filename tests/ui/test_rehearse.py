"""The Streamlit page, driven by AppTest with the scripted model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.errors import ProviderError
from coach.providers import ScriptedProvider, get_provider
from coach.records import records_at
from coach.session import TranscriptStore
from coach.settings import load_settings
from tests.records.locks import held_lock
from tests.ui.helpers import UI, chat_texts, click, opened, seen

APP = str(UI / "Rehearse.py")


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedProvider:
    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    monkeypatch.setenv("COACH_USER", "erin")
    provider = get_provider(load_settings())
    assert isinstance(provider, ScriptedProvider)
    return provider


def started() -> AppTest:
    return opened("Rehearse.py")


def test_the_page_opens_with_a_question(scripted: ScriptedProvider) -> None:
    app = started()
    assert app.chat_message[0].markdown[0].value.endswith("?")
    assert "scripted" in app.caption[0].value


def test_a_message_gets_one_open_question_back(scripted: ScriptedProvider) -> None:
    scripted.enqueue("You should escalate. Talk to HR.", "Have you tried HR?")
    app = started()
    app.chat_input[0].set_value("My manager presents my work as his.").run()
    assert not app.exception
    texts = chat_texts(app)
    assert texts[1] == "My manager presents my work as his."
    assert texts[2].endswith("?") and "HR" not in texts[2]


def test_a_provider_failure_keeps_the_message_and_offers_a_retry(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    scripted.enqueue(ProviderError("could not reach the server."))
    app = started()
    app.chat_input[0].set_value("I need to decide about the offer.").run()
    assert not app.exception
    assert "could not reach" in app.warning[0].value.lower()
    store = TranscriptStore(records_at(isolated_env), "erin")
    [session_id] = store.sessions()
    assert store.load(session_id)[0].text == "I need to decide about the offer."

    scripted.enqueue("What makes the decision hard?")
    click(app, "Try again")
    texts = chat_texts(app)
    assert texts[-1] == "What makes the decision hard?"
    assert not app.warning


def test_a_bad_setting_shows_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PROVIDER", "nonsense")
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception
    assert "COACH_PROVIDER" in app.error[0].value


@pytest.mark.parametrize(
    "url, said",
    [
        ("postgres//nowhere", "A valid one looks like postgresql+psycopg://"),
        ("postgresql+psycopg://coach:hunter2@127.0.0.1:{port}/coach", "cannot be used"),
    ],
)
def test_a_records_database_that_cannot_be_used_shows_a_message(
    scripted: ScriptedProvider, monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    from tests.servers import free_port

    monkeypatch.setenv("COACH_DATABASE_URL", url.format(port=free_port()))
    app = started()
    assert not app.exception
    assert said in app.error[0].value and "hunter2" not in app.error[0].value


def end_and_save(app: AppTest, commitments: str | None = None) -> AppTest:
    click(app, "End session", sidebar=True)
    if commitments is not None:
        app.sidebar.text_area[1].set_value(commitments)
    return click(app, "Save note", sidebar=True)


def test_ending_the_session_shows_a_draft_note_to_edit_then_saves_it(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    click(app, "End session", sidebar=True)
    draft = app.sidebar.text_area[1].value
    assert draft.startswith("I'll ask my lead for a raise on Monday") and "| due " in draft
    click(app, "Save note", sidebar=True)
    shown = " ".join(seen(m.value) for m in app.sidebar.markdown)
    assert "I'll ask my lead for a raise on Monday." in shown and "due" in shown
    assert "Saved" in app.sidebar.success[0].value


def test_an_edited_commitment_is_what_is_kept(scripted: ScriptedProvider) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    click(app, "End session", sidebar=True)
    app.sidebar.text_area[1].set_value("Ask my lead for a raise | due someday")
    click(app, "Save note", sidebar=True)
    assert "not a date" in app.sidebar.warning[0].value
    assert app.sidebar.text_area[1].value == "Ask my lead for a raise | due someday"  # kept
    app.sidebar.text_area[1].set_value("Ask my lead for a raise | due 2026-12-01")
    click(app, "Save note", sidebar=True)
    shown = " ".join(seen(m.value) for m in app.sidebar.markdown)
    assert "Ask my lead for a raise" in shown and "2026" in shown


def test_the_stage_indicator_shows_where_the_conversation_is(scripted: ScriptedProvider) -> None:
    app = started()
    assert "**Dilemma** → Reality → Options → Commitment" in [m.value for m in app.markdown]


def test_the_next_visit_opens_with_a_follow_up(scripted: ScriptedProvider) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    end_and_save(app)
    again = started()
    opening = chat_texts(again)[0]
    assert "I'll ask my lead for a raise on Monday" in opening and "What happened?" in opening


def test_the_page_says_which_model_is_in_use(scripted: ScriptedProvider) -> None:
    app = started()
    assert "scripted" in app.caption[0].value and "embedded demo" not in app.caption[0].value


def test_mentee_text_is_shown_as_typed_never_as_html_or_markdown(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("What happened next?")
    typed = "<img src=x onerror=alert(1)> **not bold** ![x](http://example.com/a.png)"
    app = started()
    app.chat_input[0].set_value(typed).run()
    raw = app.chat_message[1].markdown[0].value
    assert seen(raw) == typed
    assert re.search(r"(?<!\\)[<*!\[(]", raw) is None  # every sign that could format is escaped


def test_crisis_language_shows_the_escalation_message_prominently(
    scripted: ScriptedProvider,
) -> None:
    app = started()
    app.chat_input[0].set_value("I want to kill myself.").run()
    assert not app.exception
    [alert] = app.error
    assert "988" in alert.value or "help" in alert.value.lower()
    assert scripted.calls == []  # the model is not asked


def test_an_indirect_signal_gets_a_safety_question_and_a_plain_no_carries_on(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("What would pushing back look like?")
    app = started()
    app.chat_input[0].set_value("My manager keeps moving my deadlines.").run()
    app.chat_input[0].set_value(
        "Lately I've been giving my things away. My bike went to my nephew and I've sorted "
        "out who gets the rest."
    ).run()
    assert not app.exception and not app.error
    assert "ending your life" in chat_texts(app)[-1]
    app.chat_input[0].set_value("No, nothing like that.").run()
    assert "pick up where we left off" in chat_texts(app)[-1]
    app.chat_input[0].set_value("Yes, let's carry on.").run()
    assert chat_texts(app)[-1].endswith("What would pushing back look like?")
    assert len(scripted.calls) == 1  # the model never saw the safety exchange


def test_what_the_coach_remembers_is_shown_and_can_be_hidden(scripted: ScriptedProvider) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    end_and_save(app)
    assert "Nothing from earlier sessions" in app.sidebar.expander[0].caption[0].value
    click(app, "Start a new session", sidebar=True)
    panel = " ".join(seen(m.value) for m in app.sidebar.expander[0].markdown)
    assert "**Open commitment:** I'll ask my lead for a raise on Monday." in panel

    click(app, "Hide from this session", sidebar=True)
    assert "Nothing from earlier sessions" in app.sidebar.expander[0].caption[0].value
    scripted.enqueue("What would a good outcome look like?")
    app.chat_input[0].set_value("It went badly, honestly.").run()
    assert not any("raise" in m.content for m in scripted.calls[-1] if m.role == "system")


def test_changing_profile_starts_that_profile_s_own_session(scripted: ScriptedProvider) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    end_and_save(app)
    app.session_state["profile"] = "sam"
    app.run()
    assert not app.exception
    assert len(app.chat_message) == 1 and "raise" not in chat_texts(app)[0]
    assert "sam" in app.sidebar.caption[0].value


def test_after_a_saved_note_the_chat_closes_and_coming_back_starts_the_follow_up(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("What makes it hard?")
    app = started()
    app.chat_input[0].set_value("I'll ask my lead for a raise on Monday.").run()
    end_and_save(app)
    assert app.chat_input[0].disabled
    app.session_state["page"] = "journal"  # the mentee looked at another page
    app.run()
    assert not app.exception and not app.chat_input[0].disabled
    opening = chat_texts(app)
    assert len(opening) == 1 and "ask my lead for a raise" in opening[0]


def test_a_message_the_database_cannot_save_stays_on_the_page_to_send_again(
    scripted: ScriptedProvider, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.records.database.BUSY_TIMEOUT_S", 0.2)
    app = started()
    with held_lock(isolated_env / "coach.db"):
        app.chat_input[0].set_value("I need to decide about the offer.").run()
        assert not app.exception
        assert "could not be saved" in app.warning[0].value
        assert app.text_area[0].value == "I need to decide about the offer."
    scripted.enqueue("What makes the decision hard?")
    click(app, "Send again")
    assert not app.exception and not app.warning
    assert chat_texts(app)[-2:] == [
        "I need to decide about the offer.",
        "What makes the decision hard?",
    ]
    store = TranscriptStore(records_at(isolated_env), "erin")
    [session_id] = store.sessions()
    assert [r.text for r in store.load(session_id)][:1] == ["I need to decide about the offer."]
