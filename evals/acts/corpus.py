"""Load the labelled talk-act corpus and split it by family (a conversation and its turns)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.acts.talk_act import Act, QuestionType
from evals import corpora
from evals.corpora import Split

CORPUS_DIR = Path(__file__).parent / "corpus"
TRAIN_SHARE, DEV_SHARE = 70, 15  # percent of families; the rest is test


class Utterance(BaseModel):
    """One helper utterance, labelled, after the other person's previous words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(min_length=1)
    context: str | None
    text: str = Field(min_length=1)
    act: Act
    question: bool
    question_type: QuestionType | None
    reflection: bool
    advice: bool
    style: str
    source: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Utterance:
        if self.question != (self.question_type is not None):
            raise ValueError("question_type is set exactly when question is true")
        if self.act == "question" and not self.question:
            raise ValueError("a question act needs question true")
        if self.act == "advice" and not self.advice:
            raise ValueError("an advice act needs advice true")
        if self.act == "reflection" and not self.reflection:
            raise ValueError("a reflection act needs reflection true")
        return self

    @property
    def split(self) -> Split:
        return corpora.split_of(self.family, TRAIN_SHARE, DEV_SHARE)


def load_corpus(folder: Path = CORPUS_DIR) -> list[Utterance]:
    """Every utterance of every ``*.jsonl`` file, with the file and line it came from."""
    return corpora.read_jsonl(
        folder, lambda fields, path, number: Utterance(**fields, source=f"{path.stem}:{number}")
    )


def of_split(utterances: Iterable[Utterance], split: Split) -> list[Utterance]:
    return [u for u in utterances if u.split == split]
