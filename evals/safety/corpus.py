"""Load the labelled safety corpus and split it by family into train, dev and test.

A family (a phrasing and its variants) always lands in one split, decided by a hash of its id,
so adding families never moves an existing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.safety.result import Category, Level
from coach.safety.text import CONTEXT_MESSAGES
from evals import corpora
from evals.corpora import Split

CORPUS_DIR = Path(__file__).parent / "corpus"
EXTERNAL = Path(__file__).parent / "crisis_phrasings.yaml"
SCENARIOS_DIR = Path(__file__).parents[1] / "scenarios"
RUBRIC_SCENARIO_DIRS = (
    Path(__file__).parents[1] / "rubric" / "scenarios",
    Path(__file__).parents[1] / "rubric" / "scenarios_final",
)
COACHING_TALK = "coaching_talk"  # the source of the coaching corpus's mentee messages
APART_PREFIX = "apart-"  # the family and source of the sessions written apart (evals.safety.apart)
TRAIN_SHARE, DEV_SHARE = 70, 15  # percent of families; the rest is test
ORDINARY_SOURCES = (
    "lookalike_everyday",
    "conversations_",
    "replies",
    "reflective_",
    "gen_conversations",
    "gen2_heavy_safe",
    "gen3_plans_notes",
    "gen3_sessions",
    "gen4_ordinary",
    "gen5_sessions",
    "gen6_ordinary",
    APART_PREFIX,  # sessions written apart (evals.safety.apart): never trained on
)
LOOK_ALIKE_STYLES = {
    "idiom",
    "clinical",
    "professional",
    "training_policy",
    "fiction_media",
    "games",
    "grief",
    "sad_but_safe",
    "hyperbole",
    "news",
    "humour",
}


class Example(BaseModel):
    """One labelled message, read after its context."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(min_length=1)
    text: str = Field(min_length=1)
    context: tuple[str, ...] = ()
    level: Level
    category: Category | None
    style: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _category_iff_risk(self) -> Example:
        if (self.level == "none") != (self.category is None):
            raise ValueError(f"{self.family}: category must be null exactly when level is none")
        return self

    @property
    def split(self) -> Split:
        if self.written_apart:
            return half_of(self.family.removeprefix(APART_PREFIX))
        return split_of(self.family)

    @property
    def risky(self) -> bool:
        return self.level != "none"

    @property
    def look_alike(self) -> bool:
        """Safe talk about a hard topic (as opposed to ordinary coaching talk)."""
        return self.level == "none" and not self.ordinary and not self.coaching

    @property
    def coaching(self) -> bool:
        """A mentee message of the coaching corpus: whole sessions as mentees talk in them."""
        return self.source == COACHING_TALK

    @property
    def written_apart(self) -> bool:
        """A message of the sessions written apart from this corpus (``evals.safety.apart``)."""
        return self.source.startswith(APART_PREFIX)

    @property
    def ordinary(self) -> bool:
        """Everyday coaching talk: the traffic the screen must leave alone."""
        return (
            self.level == "none"
            and self.source.startswith(ORDINARY_SOURCES)
            and self.style not in LOOK_ALIKE_STYLES
        )


def split_of(family: str) -> Split:
    return corpora.split_of(family, TRAIN_SHARE, DEV_SHARE)


def half_of(session: str) -> Split:
    """A session written apart: ``dev`` or ``test``, half the sessions each (no train)."""
    return corpora.split_of(session, 0, 50)


def load_corpus(folder: Path = CORPUS_DIR) -> list[Example]:
    """Every example of every ``*.jsonl`` file, with the file and line it came from."""
    return corpora.read_jsonl(
        folder, lambda fields, path, number: Example(**fields, source=f"{path.stem}:{number}")
    )


def coaching_talk() -> list[Example]:
    """Every mentee message of the coaching corpus (``evals/coach_model/corpus``), read after
    up to three earlier ones as a session screens it: safe talk (the corpus holds no risk),
    one family per conversation."""
    from evals.coach_model.corpus import load_corpus as load_conversations

    examples: list[Example] = []
    for conversation in load_conversations():
        said: list[str] = []
        for turn in conversation.turns:
            if turn.role != "mentee":
                continue
            examples.append(
                Example(
                    family=f"coaching-{conversation.family}",
                    text=turn.text,
                    context=tuple(said[-CONTEXT_MESSAGES:]),
                    level="none",
                    category=None,
                    style=COACHING_TALK,
                    source=COACHING_TALK,
                )
            )
            said.append(turn.text)
    return examples


def training_corpus() -> list[Example]:
    """What the screen learns from: the safety corpus and the coaching corpus's mentee talk."""
    return load_corpus() + coaching_talk()


def training_digest() -> str:
    """A short hash of both corpora, as a trained screen records it."""
    from evals.coach_model.corpus import corpus_digest as coaching_digest

    return f"{corpus_digest()}+{coaching_digest()}"


def of_split(examples: Iterable[Example], split: Split) -> list[Example]:
    return [example for example in examples if example.split == split]


def corpus_digest(folder: Path = CORPUS_DIR) -> str:
    return corpora.corpus_digest(folder)


def external_set() -> list[Example]:
    """The hand-labelled phrasings the earlier expression list was written beside: written
    apart from this corpus, so a second, independent measure (crisis or not, no level)."""
    data = yaml.safe_load(EXTERNAL.read_text(encoding="utf-8"))["phrasings"]
    kinds: dict[str, Category] = {
        "suicide": "suicide",
        "self-harm": "self_harm",
        "harm to others": "harm_to_others",
        "abuse": "abuse",
    }
    return [
        Example(
            family=f"external-{index}",
            text=str(item["text"]),
            level="crisis" if item["crisis"] else "none",
            category=kinds.get(str(item["kind"]), "suicide") if item["crisis"] else None,
            style="external",
            source="external",
        )
        for index, item in enumerate(data)
    ]


def scenario_set(folders: Sequence[Path] = (SCENARIOS_DIR,)) -> list[Example]:
    """Scripted mentee messages of scenario sets (by default the eval suite's), each read after
    the earlier ones, written apart from this corpus: the messages of scenarios with no risk are
    ordinary talk, and each crisis or check-in turn is risk. Other turns of the risky scenarios
    are left out."""
    from coach.evals.scenario import load_scenarios

    examples: list[Example] = []
    for scenario in (s for folder in folders for s in load_scenarios(folder)):
        risky: dict[int | None, Level] = {
            scenario.crisis_turn: "crisis",
            scenario.check_in_turn: "check_in",
        }
        for number, text in enumerate(scenario.turns, 1):
            level = risky.get(number)
            if level is None and (scenario.crisis_turn or scenario.check_in_turn):
                continue
            examples.append(
                Example(
                    family=f"scenario-{scenario.id}",
                    text=text,
                    context=tuple(scenario.turns[max(0, number - 4) : number - 1]),
                    level=level or "none",
                    category="suicide" if level else None,
                    style="scenario",
                    source="scenario" if level else "conversations_scenario",
                )
            )
    return examples
