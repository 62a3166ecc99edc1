"""The graded response, driven by the scripted model and the real safety screen: a check-in,
then the mentee's answer, then escalation or carrying on."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.providers import ScriptedProvider
from coach.safety import screen
from coach.session import CoachSession, TurnResult
from coach.settings import Settings, load_settings

WORK = "My manager keeps moving my deadlines and I don't know whether to push back."
INDIRECT = (
    "Lately I've been giving my things away. "
    "My bike went to my nephew and I've sorted out who gets the rest."
)
CLEAR = "I've been saving up my pills and I'm going to take them all tonight."
NURSE = (
    "I'm an ER nurse on nights and most of my shift is overdose cases and self-harm admissions. "
    "My manager says I'm abrupt with families and I want to handle that better."
)
QUESTION = "What would pushing back look like for you?"


def turn(session: CoachSession, text: str) -> TurnResult:
    result = list(session.stream_turn(text))[-1]
    assert isinstance(result, TurnResult)
    return result


@pytest.fixture
def coached(scripted: ScriptedProvider, settings: Settings) -> CoachSession:
    scripted.enqueue(QUESTION, "What matters most to you in that?", "What else comes to mind?")
    session = CoachSession(scripted, settings, user="ana")
    assert turn(session, WORK).reply == QUESTION
    return session


def test_the_messages_used_here_are_read_as_intended() -> None:
    assert screen(INDIRECT, [WORK]).level == "check_in"
    assert screen(CLEAR, [WORK]).level == "crisis"
    assert not screen(NURSE).flagged


def test_an_indirect_signal_gets_one_direct_question_and_a_plain_no_carries_on(
    coached: CoachSession, scripted: ScriptedProvider
) -> None:
    calls = len(scripted.calls)
    check = turn(coached, INDIRECT)
    assert check.outcome == "check_in"
    assert check.reply and check.reply.endswith("?") and "ending your life" in check.reply
    assert "giving my things away" not in check.reply  # the warning sign is not a work topic
    cleared = turn(coached, "No, nothing like that. I'm moving flat and decluttering.")
    assert cleared.outcome == "safety" and "pick up where we left off" in (cleared.reply or "")
    resumed = turn(coached, "Yes, let's carry on.")
    assert resumed.outcome == "safety" and QUESTION in (resumed.reply or "")
    assert len(scripted.calls) == calls  # no model saw any of the safety exchange
    coached_again = turn(coached, "I think I'd ask for a week more and explain why the scope grew.")
    assert coached_again.outcome == "model"
    prompt = " ".join(m.content for m in scripted.calls[-1])
    assert "giving my things away" not in prompt and "ending your life" not in prompt


@pytest.mark.parametrize("answer", ["Yes.", "Sometimes, yeah.", "I don't know.", "Maybe a bit."])
def test_anything_but_a_plain_no_brings_the_resources(coached: CoachSession, answer: str) -> None:
    assert turn(coached, INDIRECT).outcome == "check_in"
    result = turn(coached, answer)
    assert result.outcome == "crisis" and "988" in (result.reply or "")


def test_clear_risk_stops_coaching_and_a_back_off_gets_a_gentle_check(
    coached: CoachSession,
) -> None:
    crisis = turn(coached, CLEAR)
    assert crisis.outcome == "crisis" and "988" in (crisis.reply or "")
    backing_off = turn(coached, "Sorry, that came out darker than I meant. Forget I said it.")
    assert backing_off.outcome == "check_in"
    assert backing_off.reply and backing_off.reply.startswith("I hear you")
    assert "ending your life" in backing_off.reply  # the same plain question, not a new topic
    assert turn(coached, "Ok whatever, let's talk about work.").outcome == "crisis"


def test_a_mentee_who_talks_past_the_question_is_asked_once_more(coached: CoachSession) -> None:
    assert turn(coached, INDIRECT).outcome == "check_in"
    again = turn(coached, "Sorry, that came out darker than I meant.")
    assert again.outcome == "check_in" and (again.reply or "").startswith("I hear you")
    assert turn(coached, "Can we just talk about work.").outcome == "crisis"


@pytest.mark.parametrize(
    "answer",
    [
        "No one would even notice if I was gone.",
        "I'm not going to be around much longer anyway.",
        "No, no one would notice.",
        "Honestly, no one would miss me.",
        "Nah, no point anymore.",
        "No. Not that anyone would care.",
        "Never felt this hopeless.",
        "I'm good at hiding how bad it is.",
    ],
)
def test_an_answer_that_only_sounds_like_no_is_not_taken_as_one(
    coached: CoachSession, answer: str
) -> None:
    turn(coached, INDIRECT)
    assert turn(coached, answer).outcome in ("crisis", "check_in")


@pytest.mark.parametrize(
    "answer", ["Yeah, no, I'm fine.", "Never.", "No, but that's kind of you to ask.", "I'm good."]
)
def test_a_plain_no_in_everyday_words_clears(coached: CoachSession, answer: str) -> None:
    turn(coached, INDIRECT)
    assert turn(coached, answer).outcome == "safety"


def test_a_no_with_a_reason_is_a_no(coached: CoachSession) -> None:
    turn(coached, INDIRECT)
    assert turn(coached, "No, just a bit stressed about the move.").outcome == "safety"


def test_once_the_mentee_confirms_the_risk_the_question_is_not_asked_again(
    coached: CoachSession,
) -> None:
    assert turn(coached, CLEAR).outcome == "crisis"
    assert turn(coached, "thanks").outcome == "check_in"  # one gentle check after the resources
    assert turn(coached, "Yes.").outcome == "crisis"
    for message in ["ok", "Yes.", "can we talk about my manager now"]:
        held = turn(coached, message)
        assert held.outcome == "crisis" and "not go back to coaching" in (held.reply or "")
        assert "?" not in (held.reply or "").split("\n")[0]


def test_a_new_signal_after_a_plain_no_is_checked_again(coached: CoachSession) -> None:
    turn(coached, INDIRECT)
    turn(coached, "No, I'm fine.")
    again = turn(coached, "Yes, carry on. Though honestly I've started writing goodbye letters.")
    assert again.outcome in ("check_in", "crisis")


def test_resuming_before_any_question_starts_from_the_opening(
    scripted: ScriptedProvider, settings: Settings
) -> None:
    session = CoachSession(scripted, settings, user="lee")
    opening = session.opening()
    assert turn(session, INDIRECT).outcome == "check_in"
    turn(session, "No, nothing like that.")
    assert turn(session, "Yes, let's carry on.").reply == opening


def test_a_mentee_who_does_not_want_to_carry_on_is_let_go_gently(coached: CoachSession) -> None:
    turn(coached, INDIRECT)
    turn(coached, "No, I'm safe.")
    paused = turn(coached, "No, I'd rather stop here for today.")
    assert paused.outcome == "safety" and "leave it there" in (paused.reply or "")


def test_a_nurse_talking_about_her_work_is_coached(coached: CoachSession) -> None:
    assert turn(coached, NURSE).outcome == "model"


def test_safety_content_stays_out_of_memory_beyond_a_flag(coached: CoachSession) -> None:
    turn(coached, INDIRECT)
    turn(coached, "No, I'm fine.")
    note = coached.draft_note()
    assert note is not None and note.flags == ["check_in"]
    assert "bike" not in note.as_text() and "nephew" not in note.as_text()
    turn(coached, "Yes, carry on.")
    turn(coached, CLEAR)
    note = coached.draft_note()
    assert note is not None and note.flags == ["crisis"] and "pills" not in note.as_text()
    saved = coached.store.load(coached.session_id)
    assert [r.text for r in saved if r.role == "mentee"][1] == INDIRECT  # kept, flagged
    assert saved[2].safety == "check_in"


def test_an_organisation_s_own_crisis_message_is_used(tmp_path: Path) -> None:
    own = tmp_path / "crisis.md"
    own.write_text("Please call the Acme wellbeing line now.")
    settings = load_settings(provider="scripted", crisis_message_file=own)
    session = CoachSession(ScriptedProvider(["What matters most to you here?"]), settings, user="b")
    turn(session, WORK)
    result = turn(session, CLEAR)
    assert result.outcome == "crisis" and result.reply == "Please call the Acme wellbeing line now."


def test_a_missing_crisis_message_file_never_silences_the_resources(tmp_path: Path) -> None:
    from coach.safety import crisis_message

    assert "988" in crisis_message(tmp_path / "missing.md")


def test_an_unsure_word_about_something_else_is_asked_about_not_escalated(
    coached: CoachSession,
) -> None:
    """A "not sure" deep in an answer about work does not answer "are you thinking of ending your
    life?": the mentee is asked once more, and a plain no then carries on."""
    turn(coached, INDIRECT)
    elsewhere = (
        "The rota's fine I guess. The team are nice. "
        "It's more that I'm not sure what to ask for at the review."
    )
    assert not screen(elsewhere).flagged
    again = turn(coached, elsewhere)
    assert again.outcome == "check_in" and "988" not in (again.reply or "")
    assert turn(coached, "No, nothing like that.").outcome == "safety"


@pytest.mark.parametrize(
    "answer",
    [
        "I've been telling everyone I'm fine but I'm not, and yes, I've looked up ways to do it.",
        "Since Piotr left and all the extra shifts I've been thinking about it a lot, "
        "yes, most nights.",
        "I don't really want to get into it at work, but honestly, yes, some nights "
        "after the late shift I do think about it.",
        "Well I've got the kids so I'd never actually go through with it, "
        "but yeah it's been there.",
        "I've been holding it together at work for the team "
        "but if I'm honest with you I'm not okay.",
        "Everything with work and my partner leaving has piled up so much that maybe, "
        "I don't know, a little.",
    ],
)
def test_a_yes_or_a_doubt_late_in_a_long_answer_still_brings_the_resources(
    coached: CoachSession, answer: str
) -> None:
    """Yes answers wherever it stands, and doubt standing alone answers too, even where the
    screen, reading the answer alone, sees nothing."""
    turn(coached, INDIRECT)
    assert len(answer.split()) > 15 and not screen(answer).flagged
    assert turn(coached, answer).outcome == "crisis"


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        # five words before the doubt: it opens the answer
        (
            "Honestly the rota is fine, not sure what to ask for at the review next week though.",
            "crisis",
        ),
        # six words before it, and it leads into more: it is about the review
        (
            "Honestly the rota is fine now, "
            "not sure what to ask for at the review next week though.",
            "check_in",
        ),
        # as deep, but the screen reads risk in the answer
        (
            "Work has been so heavy since the restructure and some nights I'm not sure I want to "
            "wake up for any of it.",
            "crisis",
        ),
    ],
)
def test_where_a_doubt_stands_decides_whether_it_answers(
    coached: CoachSession, answer: str, outcome: str
) -> None:
    turn(coached, INDIRECT)
    assert len(answer.split()) > 15
    assert turn(coached, answer).outcome == outcome
