"""The Role-play page: pick a conversation, talk to the counterpart, get a debrief."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coach.errors import ProviderError
from coach.providers import ScriptedProvider, get_provider
from coach.settings import load_settings
from tests.ui.helpers import chat_texts, click, opened

PAGE = "pages/2_Role-play.py"


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedProvider:
    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    provider = get_provider(load_settings())
    assert isinstance(provider, ScriptedProvider)
    return provider


def started(scenario: str) -> AppTest:
    app = opened(PAGE)
    app.radio[0].set_value(scenario).run()
    return click(app, "Start")


def test_a_rehearsal_with_the_counterpart_ends_in_a_debrief_of_questions(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("Everyone is stretched right now.", "Fine, what would you drop?")
    app = started("Push back on your manager")
    assert "billing migration" in chat_texts(app)[0]
    app.chat_input[0].set_value("I can't take on billing without dropping something.").run()
    app.chat_input[0].set_value("Could we delay the search work to next quarter?").run()
    texts = chat_texts(app)
    assert texts[-1] == "Fine, what would you drop?"
    click(app, "Finish and debrief")
    debrief = [m.value for m in app.markdown if m.value.startswith("- ")]
    assert len(debrief) == 4 and all(line.endswith("?") for line in debrief)
    assert not app.chat_input


def test_a_model_failure_keeps_the_words_and_offers_a_retry(scripted: ScriptedProvider) -> None:
    scripted.enqueue(ProviderError("could not reach the server."), "Sure, tell me more.")
    app = started("Ask someone to mentor you")
    app.chat_input[0].set_value("Would you mentor me?").run()
    assert "could not reach" in app.warning[0].value
    assert "Would you mentor me?" in chat_texts(app)
    click(app, "Try again")
    assert chat_texts(app)[-1] == "Sure, tell me more."
    assert not app.warning


def test_crisis_language_shows_the_escalation_message(scripted: ScriptedProvider) -> None:
    app = started("Ask for feedback on your work")
    app.chat_input[0].set_value("I want to end my life.").run()
    assert not app.exception
    assert app.error and not app.chat_input
    assert scripted.calls == []


def test_an_indirect_signal_pauses_the_rehearsal_with_one_question(
    scripted: ScriptedProvider,
) -> None:
    scripted.enqueue("Right, and what do you need from me?")
    app = started("Ask for feedback on your work")
    app.chat_input[0].set_value(
        "Lately I've been giving my things away. My bike went to my nephew and I've sorted "
        "out who gets the rest."
    ).run()
    assert not app.exception and scripted.calls == []
    assert "ending your life" in chat_texts(app)[-1]
    click(app, "No, I'm safe: carry on the rehearsal")
    assert app.chat_input and not app.error
    app.chat_input[0].set_value("Could you tell me what worked in my last report?").run()
    assert chat_texts(app)[-1] == "Right, and what do you need from me?"
    sent = " ".join(m.content for m in scripted.calls[-1])
    assert "giving my things away" not in sent  # the paused message never reaches the model


def test_an_unsure_answer_to_the_pause_shows_support(scripted: ScriptedProvider) -> None:
    app = started("Ask for feedback on your work")
    app.chat_input[0].set_value(
        "Lately I've been giving my things away. My bike went to my nephew and I've sorted "
        "out who gets the rest."
    ).run()
    click(app, "Yes, or I'm not sure: show me support")
    assert app.error and "988" in app.error[0].value and not app.chat_input
