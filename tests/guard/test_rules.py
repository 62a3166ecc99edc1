import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.guard import GuardContext, check_fragment, check_reply


def codes(text: str) -> set[str]:
    return {reason.code for reason in check_reply(text).reasons}


@pytest.mark.parametrize(
    "reply",
    [
        "What would the promotion give you that you do not have now?",
        "It sounds like the credit matters less than being seen. What would being seen look like?",
        "So, how do you feel when he presents your ideas?",
        "Which of those options fits what matters most to you?",
        "Tell me more about what happened on Friday, what did she say?",
        "When you say \u201cstuck\u201d, what do you mean?",
    ],
)
def test_one_open_question_passes(reply: str) -> None:
    verdict = check_reply(reply)
    assert verdict.passed, verdict.explain()


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("You should talk to your manager about it.", "advice"),
        ("I would suggest a direct conversation. What do you think?", "advice"),
        ("Have you considered asking HR what they think?", "advice"),
        ("Why don't you just quit?", "advice"),
        ("If I were you, I would leave. What do you think?", "advice"),
        ("Talk to her tomorrow. What will you say?", "advice"),
        ("Make sure you document everything. How does that sound?", "advice"),
        ("That sounds hard.", "no_question"),
        ("What happened next? That sounds hard.", "not_last"),
        ("What happened next? Tell me everything.", "stacked"),
        ("What happened? How did you feel?", "stacked"),
        ("Do you want the promotion?", "closed"),
        ("Is that something you could ask for?", "closed"),
        ("You feel stuck?", "closed"),
        ("", "empty"),
        ("   ", "empty"),
        ("What " + "really " * 70 + "matters?", "long"),
    ],
)
def test_each_rule_names_its_reason(reply: str, code: str) -> None:
    verdict = check_reply(reply)
    assert not verdict.passed
    assert code in codes(reply), verdict.explain()
    assert verdict.explain()


def test_a_long_lecture_fails_for_every_reason_it_breaks() -> None:
    lecture = (
        "You need to set boundaries. First, talk to your manager. Second, document your work. "
        "Do you think that would help?"
    )
    assert {"advice", "closed"} <= codes(lecture)


def test_fragment_check_only_flags_advice() -> None:
    assert check_fragment("It sounds like you feel unseen.").passed
    assert not check_fragment("You need to speak up.").passed
    assert check_fragment("Tell me more.").passed


@given(st.text())
def test_the_guard_never_raises(text: str) -> None:
    verdict = check_reply(text)
    assert verdict.passed or verdict.reasons
    check_fragment(text)


@pytest.mark.parametrize(
    "reply",
    [
        "What would you need to know to make this decision yourself?",
        "What do you think you should do next?",
        "How do you feel you must respond?",
    ],
)
def test_handing_the_decision_back_is_not_advice(reply: str) -> None:
    assert check_reply(reply).passed, check_reply(reply).explain()


def test_contracted_recommendation_is_advice() -> None:
    assert "advice" in codes("I'd recommend leaving. What do you think?")
    assert "advice" in codes("I\u2019d suggest you wait. What do you think?")


def test_asking_the_same_question_again_fails() -> None:
    context = GuardContext(earlier=["It sounds hard. What would you need to know about her?"])
    verdict = check_reply("What would you need to know about her?", context)
    assert [r.code for r in verdict.reasons] == ["repeated"]
    assert check_reply("What did she say when you raised it?", context).passed


def test_a_closed_question_asking_permission_is_allowed() -> None:
    for reply in [
        "Would it help if I shared one idea?",
        "Is it okay if I offer a thought that others have found useful?",
        "Would you like to hear what some people in your position have tried?",
    ]:
        assert check_reply(reply).passed, check_reply(reply).explain()


def test_a_judgmental_why_is_flagged() -> None:
    assert "why" in codes("Why didn't you tell her sooner?")
    assert check_reply("What made you decide to wait?").passed


TENTATIVE = (
    "One option some people try is a short recap email after each meeting; it's your call. "
    "What would fit you best?"
)


def test_one_tentative_perspective_is_allowed_after_two_requests() -> None:
    assert not check_reply(TENTATIVE).passed
    assert not check_reply(TENTATIVE, GuardContext(advice_requests=1)).passed
    assert check_reply(TENTATIVE, GuardContext(advice_requests=2)).passed


def test_even_after_two_requests_advice_must_be_tentative_and_hand_back() -> None:
    context = GuardContext(advice_requests=2)
    assert not check_reply("You should send a recap email. What do you think?", context).passed
    assert not check_reply("One option is a recap email; it's your call.", context).passed


def test_counting_explicit_requests_for_advice() -> None:
    from coach.guard import count_advice_requests

    messages = [
        "My manager takes credit for my work.",
        "Just tell me what to do.",
        "Seriously, what should I do?",
    ]
    assert count_advice_requests(messages) == 2
