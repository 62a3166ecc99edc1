"""Role-play: the counterpart stays in character, and the debrief only asks questions."""

from __future__ import annotations

import pytest

from coach.acts import classify
from coach.errors import ProviderError
from coach.providers import ScriptedProvider, get_provider
from coach.roleplay import Rehearsal, debrief, roleplay_book
from coach.settings import load_settings


def rehearsal(provider: ScriptedProvider, scenario: str = "push-back-on-manager") -> Rehearsal:
    return Rehearsal(roleplay_book().get(scenario), provider)


def test_every_scenario_named_in_the_brief_is_there() -> None:
    titles = [s.title for s in roleplay_book().scenarios]
    assert titles == [
        "Ask someone to mentor you",
        "Ask for feedback on your work",
        "Push back on your manager",
    ]


def test_the_counterpart_answers_in_character_and_streams() -> None:
    provider = ScriptedProvider(["Everyone is stretched. Why is this different? Fine. Noted. Ok."])
    play = rehearsal(provider)
    pieces = list(play.answer("I can't take billing on without dropping the search work."))
    assert len(pieces) > 1
    assert play.last_reply == "Everyone is stretched. Why is this different? Fine."  # 3 sentences
    system, opening, mentee = provider.calls[0]
    assert system.role == "system" and "Dana" in system.content
    assert "under pressure" in system.content
    assert opening.role == "assistant" and "billing migration" in opening.content
    assert mentee.role == "user" and "dropping the search work" in mentee.content


def test_an_empty_reply_becomes_a_pause() -> None:
    play = rehearsal(ScriptedProvider([" "]))
    list(play.answer("Hi Dana."))
    assert play.last_reply == "(Dana waits for you to go on.)"


def test_a_model_failure_keeps_the_words_and_can_be_retried() -> None:
    provider = ScriptedProvider([ProviderError("the server is down."), "Go on."])
    play = rehearsal(provider)
    with pytest.raises(ProviderError):
        list(play.answer("I need to talk about my workload."))
    assert play.said == ["I need to talk about my workload."]
    list(play.retry())
    assert play.last_reply == "Go on."


def test_crisis_language_stops_the_rehearsal_without_asking_the_model() -> None:
    provider = ScriptedProvider(["Sure."])
    play = rehearsal(provider)
    list(play.answer("Honestly I want to kill myself over this job."))
    assert play.stopped_for_safety and provider.calls == []


def test_the_debrief_asks_about_what_was_said_and_never_advises() -> None:
    scenario = roleplay_book().get("ask-to-mentor")
    said = [
        "Hi Priya, thanks for making time. I really admire how you led the storage migration.",
        "Would you be open to meeting for 30 minutes once a month?",
        "What would make that worth your time?",
    ]
    questions = debrief(scenario, said)
    assert len(questions) == 4
    assert '"Hi Priya, thanks for making time."' in questions[0]
    assert "What would make that worth your time?" in questions[1]
    assert "Would you be open to meeting for 30 minutes once a month?" in questions[2]
    assert "3 turns" in questions[3]
    for question in questions:
        act = classify(question)
        assert question.endswith("?") and act.question and not act.advice, question


def test_the_debrief_notices_no_questions_and_no_request() -> None:
    scenario = roleplay_book().get("push-back-on-manager")
    questions = debrief(scenario, ["I am too busy. It is not fair."])
    assert "without asking Dana a question" in questions[1]
    assert "hoping Dana would agree to" in questions[2]
    assert debrief(scenario, []) == []


@pytest.mark.slow
def test_the_embedded_model_plays_the_counterpart_in_free_text() -> None:
    provider = get_provider(load_settings(provider="local"))
    play = Rehearsal(roleplay_book().get("ask-for-feedback"), provider)
    reply = "".join(play.answer("Thanks. What part of the document was weakest, in your view?"))
    assert reply.strip() and play.last_reply
    assert len(play.last_reply.split()) <= 80
