"""The grounding check: a wandering model's question must keep to the mentee's words."""

from hypothesis import given
from hypothesis import strategies as st

from coach.guard import Grounding, GuardContext, check_reply

SAID = [
    "My startup has six weeks of money left and the investors have stopped answering my emails.",
    "I've let down everyone who joined me.",
]


def grounded(said: list[str] = SAID) -> GuardContext:
    return GuardContext(grounding=Grounding.from_messages(said))


def codes(question: str, said: list[str] = SAID) -> set[str]:
    return {reason.code for reason in check_reply(question, grounded(said)).reasons}


def test_a_question_about_something_nobody_mentioned_strays() -> None:
    verdict = check_reply("What is most important about the universe?", grounded())
    assert not verdict.passed
    assert [reason.code for reason in verdict.reasons] == ["strays"]
    assert "universe" in verdict.explain()


def test_the_mentees_own_words_keep_a_question_grounded_in_any_form() -> None:
    assert check_reply("What would you tell the investors?", grounded()).passed
    # "let" and "joined" were said; "letting" and "joining" share their stems.
    assert check_reply(
        "What is it like letting down people joining the startup's work?", grounded()
    ).passed
    assert "strays" in codes("What does the startup's team say?")


def test_general_coaching_words_need_no_echo() -> None:
    for question in [
        "How do you feel about the situation?",
        "What matters most to you in this decision?",
        "What is the first small step you will take, and when?",
        "What would someone you admire do in your position?",
    ]:
        assert check_reply(question, grounded()).passed, question


def test_words_from_the_coachs_own_question_stems_are_allowed() -> None:
    # "drop" comes from the review stage's stem "keep it, change it or drop it".
    assert "strays" not in codes("What would you like to drop from your plan?")


def test_a_question_about_the_coach_fails() -> None:
    assert codes("What would you ask me?") == {"self"}
    assert "self" in codes("What do you think of my opinion?")


def test_asking_permission_may_speak_of_the_coach() -> None:
    assert "self" not in codes("Would it help if I shared one idea?")


def test_prompt_words_the_mentee_never_used_stray() -> None:
    assert "strays" in codes("What is most important to the mentee?")
    assert "strays" not in codes("What is most important to the mentee?", ["As a mentee, I..."])


def test_without_grounding_the_guard_ignores_the_topic() -> None:
    assert check_reply("What is most important about the universe?").passed
    assert check_reply("What would you like from me today?").passed


def test_garbled_words_stray() -> None:
    assert "strays" in codes("When will you decide, itscalledawaakeyawrckwkjns?")


@given(st.text(), st.lists(st.text(), max_size=4))
def test_the_grounding_check_never_raises(text: str, said: list[str]) -> None:
    verdict = check_reply(text, GuardContext(grounding=Grounding.from_messages(said)))
    assert verdict.passed or verdict.reasons
