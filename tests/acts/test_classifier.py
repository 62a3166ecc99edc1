"""The talk-act classifier on hand-written utterances: each act, each overlap, each exception."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.acts import TalkAct, classify


@pytest.mark.parametrize(
    ("text", "act", "question_type"),
    [
        ("What would you like to get out of today?", "question", "open"),
        ("How did your manager react?", "question", "open"),
        ("Tell me more about the offer.", "question", "open"),
        ("So, knowing all that, what will you do next?", "question", "open"),
        ("How's the new role going?", "question", "open"),
        ("Any thoughts about what you could try first?", "question", "open"),
        ("And any other things you can think of?", "question", "open"),
        ("Do you want the promotion?", "question", "closed"),
        ("Have you talked to her yet?", "question", "closed"),
        ("How many hours did you work last week?", "question", "closed"),
        # Importance and confidence rulers invite a reason, not a fact: MI coders call them open.
        ("How important is it to you to get this role?", "question", "open"),
        ("How confident are you that you can say no?", "question", "open"),
        ("What sort of support would make a difference?", "question", "open"),
        ("Can you give me an example of what you mean?", "question", "open"),
        ("What time does the meeting start?", "question", "closed"),
        ("I was wondering if we could talk about your workload", "question", "closed"),
        ("So you feel stuck?", "question", "closed"),
        # False starts of spoken questions do not hide the question word.
        ("Wh-what makes you say that?", "question", "open"),
        ("So, ho-how important is it to you?", "question", "open"),
        # A wh-question after a lead-in, and an invitation to add more, are open.
        ("Okay, I mean what do you think the next step is?", "question", "open"),
        ("Is there anything else that worries you?", "question", "open"),
        ("It sounds like you feel invisible at work.", "reflection", None),
        ("You're torn between loyalty and ambition.", "reflection", None),
        ("So on one hand the money matters, on the other you want freedom.", "reflection", None),
        ("You should talk to HR.", "advice", None),
        ("I'd recommend asking for a raise.", "advice", None),
        ("Talk to her tomorrow morning.", "advice", None),
        ("You could try blocking your calendar on Fridays.", "advice", None),
        (
            "Research shows that most people overestimate how much others notice.",
            "information",
            None,
        ),
        ("There are three programs we offer for new managers.", "information", None),
        ("Yeah.", "other", None),
        ("Mm-hmm, okay.", "other", None),
        ("Hi Sam, thanks for coming in today.", "other", None),
    ],
)
def test_each_act(text: str, act: str, question_type: str | None) -> None:
    result = classify(text)
    assert (result.act, result.question_type) == (act, question_type), result


def test_an_echo_of_the_mentees_words_is_a_reflection() -> None:
    assert classify("Glamorous.", context="Everyone thinks my job is so glamorous.").act == (
        "reflection"
    )
    assert classify("Glamorous.").act != "reflection"


def test_a_reflection_then_a_question_is_both() -> None:
    result = classify("It sounds like the credit matters to you. What would being seen look like?")
    assert result.act == "question"
    assert result.reflection and result.question and result.question_type == "open"


def test_advice_disguised_as_a_question_is_flagged() -> None:
    result = classify("Have you considered just quitting?")
    assert result.question and result.advice


def test_handing_the_decision_back_is_not_advice() -> None:
    for text in ["What do you think you should do?", "What would you need to know?"]:
        assert not classify(text).advice, text


def test_a_possibility_is_advice_when_told_and_not_when_asked() -> None:
    assert classify("You could call your old manager.").advice
    assert classify("Maybe you could ask for a week to decide.").advice
    assert not classify("Who could you call about this?").advice
    assert not classify("What could you try first?").advice


def test_exclamations_and_statements_that_open_with_what_are_not_questions() -> None:
    assert not classify("What a week you've had.").question
    assert not classify("What some people do is take a short break first.").question


def test_tag_question_is_not_a_question_of_its_own() -> None:
    assert not classify("That was a hard week, right?").question


def test_the_same_input_always_gives_the_same_answer() -> None:
    text = "So you're not sure. What matters most to you?"
    assert classify(text) == classify(text)


@given(st.text(), st.one_of(st.none(), st.text()))
def test_never_raises_on_arbitrary_text(text: str, context: str | None) -> None:
    result = classify(text, context)
    assert isinstance(result, TalkAct)
    assert result.question == (result.question_type is not None)


@pytest.mark.parametrize(
    "text",
    [
        "That's fantastic, Sam.",
        "You did really well today.",
        "I'll see you next week.",
        "You're welcome.",
        "That sounds great.",
        "That'd be great.",
        "Appreciate you coming in today.",
    ],
)
def test_affirmations_and_courtesies_are_other(text: str) -> None:
    assert classify(text).act == "other"


@pytest.mark.parametrize(
    "text",
    ["It would be a good idea to call her.", "That sounds good, so you should call her today."],
)
def test_a_courtesy_that_goes_on_to_recommend_is_advice(text: str) -> None:
    assert classify(text).advice


def test_a_when_clause_is_not_a_question() -> None:
    assert not classify("When you drink, you sleep badly.").question


@pytest.mark.parametrize(
    "text",
    [
        "I think you really need to quit.",
        "You just gotta do it.",
        "I'd strongly recommend the patch.",
        "It might not be a bad idea to ask her first.",
        "One good option would be to tell your team on Monday.",
        "You must call her tonight.",
        "Have you thought about asking her directly?",
    ],
)
def test_advice_with_a_softener_or_an_adverb_is_still_advice(text: str) -> None:
    assert classify(text).advice, text


@pytest.mark.parametrize(
    "text",
    [
        "Why don't you tell me a little about yourself?",
        "Why not a three?",
        "Why not?",
        "You must be exhausted.",
        "You must like that job a lot.",
        "Have you thought about what it might take to get there?",
        "What would you do to make sure you get there?",
        "So you feel like you need to decide this week.",
        "You're focused on what you need to do next.",
        "I want you to know that I'm on your side.",
    ],
)
def test_invitations_guesses_and_the_persons_own_musts_are_not_advice(text: str) -> None:
    assert not classify(text).advice, text


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("So you're worried about the side effects.", "reflection"),
        ("It sounds like the risks matter a lot to you.", "reflection"),
        ("The side effects are usually mild.", "information"),
    ],
)
def test_a_reflective_opening_tells_back_even_when_the_words_are_facts(text: str, act: str) -> None:
    assert classify(text).act == act
