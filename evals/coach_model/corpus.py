"""The coaching corpus: whole conversations written for the project, split by family.

Each line of ``corpus/*.jsonl`` is one conversation. Every coach turn, read after the
conversation before it, is one training example. A conversation (its family) lands in train, dev
or test by a hash of its id, so adding conversations never moves an existing one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.knowledge import stage_book
from coach.transcripts import TranscriptRecord
from evals import corpora
from evals.corpora import Split

CORPUS_DIR = Path(__file__).parent / "corpus"
TRAIN_SHARE, DEV_SHARE = 80, 10  # percent of families; the rest is test


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["mentee", "coach"]
    text: str = Field(min_length=1)
    stage: str | None = None
    source: Literal["follow_up"] | None = None  # the product's fixed follow-up opening
    permission: bool = False  # a tentative idea offered after two requests for advice


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(min_length=1)
    mode: Literal["coaching", "goal_setting", "review"]
    domain: str
    mentee_style: str
    turns: tuple[Turn, ...]
    file: str = ""

    @model_validator(mode="after")
    def _stages_known(self) -> Conversation:
        arc = [stage.id for stage in stage_book().arc(self.mode)]
        for turn in self.turns:
            if turn.role == "coach" and turn.source is None and turn.stage not in arc:
                raise ValueError(f"{self.family}: stage {turn.stage!r} is not in {self.mode}")
        return self

    @property
    def split(self) -> Split:
        return split_of(self.family)

    @property
    def coach_turns(self) -> list[Turn]:
        """The turns the model learns to write (not the fixed follow-up opening)."""
        return [t for t in self.turns if t.role == "coach" and t.source is None]

    def records(self) -> list[TranscriptRecord]:
        """The conversation as the coach saves it, so training reads the product's prompt."""
        ids = [stage.id for stage in stage_book().arc(self.mode)]
        stage = ids[0]
        records = []
        for index, turn in enumerate(self.turns):
            if turn.role == "coach":
                stage = turn.stage if turn.stage in ids else stage
            else:  # a mentee message carries the stage of the reply it gets
                reply = self.turns[index + 1] if index + 1 < len(self.turns) else None
                stage = reply.stage if reply is not None and reply.stage in ids else stage
            records.append(
                TranscriptRecord(
                    role=turn.role,
                    text=turn.text,
                    stage=stage,
                    at="",
                    source="follow_up" if turn.source else None,
                )
            )
        return records


def split_of(family: str) -> Split:
    return corpora.split_of(family, TRAIN_SHARE, DEV_SHARE)


def load_corpus(folder: Path = CORPUS_DIR) -> list[Conversation]:
    return corpora.read_jsonl(
        folder, lambda fields, path, _number: Conversation(**fields, file=path.name)
    )


def of_split(conversations: Iterable[Conversation], split: Split) -> list[Conversation]:
    return [c for c in conversations if c.split == split]


def corpus_digest(folder: Path = CORPUS_DIR) -> str:
    return corpora.corpus_digest(folder)


_QUESTION = re.compile(r"(?:What|How|Which|Who|When|Where)\b[^.?]*\?$")


def question_of(text: str) -> str:
    found = _QUESTION.search(text)
    return found.group(0) if found else text


def reflection_of(text: str) -> str:
    return text[: len(text) - len(question_of(text))].strip()


def diversity(conversations: Sequence[Conversation]) -> dict[str, float]:
    """How varied the coach's turns are: distinct openings of questions and reflections (first
    three words), and the share of turns whose question wording is used more than three times."""
    turns = [t.text for c in conversations for t in c.coach_turns]
    questions = [question_of(t).lower() for t in turns]
    reflections = [reflection_of(t) for t in turns]
    q_open = Counter(" ".join(q.split()[:3]) for q in questions)
    r_open = Counter(" ".join(r.lower().split()[:3]) for r in reflections if r)
    wording = Counter(questions)
    return {
        "conversations": len(conversations),
        "coach_turns": len(turns),
        "turns_with_reflection": sum(1 for r in reflections if r) / max(1, len(turns)),
        "distinct_question_openings": len(q_open) / max(1, len(turns)),
        "distinct_reflection_openings": len(r_open) / max(1, sum(1 for r in reflections if r)),
        "most_used_question_opening": q_open.most_common(1)[0][1] if q_open else 0,
        "turns_with_question_used_over_3_times": sum(1 for q in questions if wording[q] > 3)
        / max(1, len(turns)),
    }
