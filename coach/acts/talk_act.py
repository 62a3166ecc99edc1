"""What an utterance does in a conversation."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

Act = Literal["question", "reflection", "advice", "information", "other"]
QuestionType = Literal["open", "closed"]


class TalkAct(BaseModel):
    """The main act of an utterance, plus flags that may overlap with it and with each other."""

    model_config = ConfigDict(frozen=True)

    act: Act
    question: bool
    question_type: QuestionType | None
    reflection: bool
    advice: bool


@cache
def talk_act(
    act: Act, question: bool, question_type: QuestionType | None, reflection: bool, advice: bool
) -> TalkAct:
    """One shared, frozen TalkAct per combination: there are few, and building one costs."""
    return TalkAct(
        act=act,
        question=question,
        question_type=question_type,
        reflection=reflection,
        advice=advice,
    )
