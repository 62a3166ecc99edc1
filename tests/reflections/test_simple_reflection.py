"""Simple reflections: the mentee's words about themselves, told back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.acts import classify
from coach.reflections import simple_reflection


@pytest.mark.parametrize(
    ("message", "told_back"),
    [
        (
            "I want to cut back but I'm afraid it'll stall my career.",
            "you want to cut back but you're afraid it'll stall your career",
        ),
        ("I was hurt when my manager took credit.", "you were hurt when your manager took credit"),
        ("Honestly, I feel disloyal to my team.", "you feel disloyal to your team"),
        (
            "We're stuck and our launch keeps slipping.",
            "you're stuck and your launch keeps slipping",
        ),
    ],
)
def test_the_mentee_hears_their_own_words_as_yours(message: str, told_back: str) -> None:
    reflection = simple_reflection(message)
    assert reflection is not None
    assert reflection.lower().rstrip(".").endswith(told_back)
    assert reflection[0].isupper() and reflection.endswith(".")


def test_the_latest_thing_said_about_themselves_is_told_back() -> None:
    message = (
        "I've been working sixty hours a week for a year. My kids are two and five. "
        "I miss most bedtimes and I hate it."
    )
    reflection = (simple_reflection(message) or "").lower()
    assert reflection.rstrip(".").endswith("you miss most bedtimes and you hate it")
    assert "sixty hours" not in reflection


def test_a_long_sentence_is_cut_to_the_part_that_names_the_feeling() -> None:
    message = (
        "I have an offer from a twelve-person startup that pays the same, "
        "but I feel disloyal to the manager who backed me for years."
    )
    reflection = simple_reflection(message) or ""
    assert (
        reflection.lower()
        .rstrip(".")
        .endswith("you feel disloyal to the manager who backed you for years")
    )
    assert "startup" not in reflection


@pytest.mark.parametrize(
    "message",
    [
        "Dana moved the deadline again.",  # a fact, not the mentee's inner state
        "My manager moved the deadline.",  # about themselves, but no feeling or want
        "Should I take the job? I feel torn.",  # a question is theirs to have answered
        "Just tell me what to do, I feel lost.",  # so is a request for advice
        "These questions aren't helping. I already know how I feel.",  # pushback
        "I think I should quit.",  # told back, it would read as advice
        "I feel it.",  # too short to be worth telling back
        "I'm not sure what to tell you.",  # said to the coach: told back, it makes no sense
    ],
)
def test_nothing_is_told_back_when_it_would_not_help(message: str) -> None:
    assert simple_reflection(message) is None


def test_a_reflection_is_a_statement_that_reflects_and_neither_asks_nor_advises() -> None:
    reflection = simple_reflection("I'm scared my cofounder will walk away if I say no.") or ""
    act = classify(reflection)
    assert act.reflection and not act.question and not act.advice


def test_the_same_words_always_give_the_same_reflection() -> None:
    message = "I keep saying yes to every request and I resent it."
    assert simple_reflection(message) == simple_reflection(message)


@given(st.text(max_size=300))
def test_any_text_gives_a_sentence_or_nothing(message: str) -> None:
    reflection = simple_reflection(message)
    assert reflection is None or (reflection.endswith(".") and "?" not in reflection)
