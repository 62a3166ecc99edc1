"""Crisis language is recognised; everyday idioms about work are not."""

import pytest

from coach.safety import is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "Some nights I think about hurting myself.",
        "I want to kill myself.",
        "Everyone would be better off dead without me.",
        "I keep thinking about how I could end it all.",
        "My husband keeps hitting me when he drinks.",
        "I’m afraid for my safety at home.",
        "I've been having suicidal thoughts.",
    ],
)
def test_crisis_language_is_recognised(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "The ninety-minute commute is killing me.",
        "This deadline is killing me.",
        "It hurts me when he takes credit for my work.",
        "I could kill for a day off.",
        "The reorg nearly killed the project.",
    ],
)
def test_work_idioms_are_not_crisis(text: str) -> None:
    assert not is_crisis(text)
