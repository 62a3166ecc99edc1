"""Sessions written apart from the safety corpus, by other writers, for measuring the screen.

``apart/*.jsonl`` holds whole sessions as mentees type them (the mentee's side only), each
message labelled as read after the earlier ones, and read here after the last three of them, as
the screen reads it. Nothing is trained on them: their dev half joins training's choices (C,
epoch, thresholds), and their test half only measures. A session is one family, and its half is
fixed by a hash of its id (``corpus.half_of``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from coach.safety.result import Category, Level
from coach.safety.text import CONTEXT_MESSAGES
from evals import corpora
from evals.corpora import Split
from evals.safety.corpus import APART_PREFIX, Example, half_of

APART_DIR = Path(__file__).parent / "apart"
# Sessions whose safe talk is professionals talking about hard topics at work: look-alikes.
LOOK_ALIKE_FILES = {"professional"}


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    level: Level
    category: Category | None


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session: str = Field(min_length=1)
    domain: str = ""
    messages: tuple[Message, ...] = Field(min_length=1)


def load_sessions(folder: Path = APART_DIR) -> list[tuple[str, Session]]:
    """Every session of every file, with the file's name."""
    return corpora.read_jsonl(folder, lambda fields, path, _: (path.stem, Session(**fields)))


def apart_set(split: Split, folder: Path = APART_DIR) -> list[Example]:
    """The messages of one half's sessions, each read after up to three earlier ones."""
    examples: list[Example] = []
    for name, session in load_sessions(folder):
        if half_of(session.session) != split:
            continue
        said: list[str] = []
        for message in session.messages:
            examples.append(
                Example(
                    family=f"{APART_PREFIX}{session.session}",
                    text=message.text,
                    context=tuple(said[-CONTEXT_MESSAGES:]),
                    level=message.level,
                    category=message.category,
                    style="professional" if name in LOOK_ALIKE_FILES else "apart",
                    source=f"{APART_PREFIX}{name}",
                )
            )
            said.append(message.text)
    return examples
