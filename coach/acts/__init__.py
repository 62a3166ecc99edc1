"""Talk acts: what an utterance does (question, reflection, advice, information, other)."""

from coach.acts.classifier import classify
from coach.acts.talk_act import Act, QuestionType, TalkAct

__all__ = ["Act", "QuestionType", "TalkAct", "classify"]
