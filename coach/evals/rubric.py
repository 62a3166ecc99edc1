"""Coach turns labelled by hand with the quality rubric (``evals/rubric/README.md``), and the
suite's rubric figures for the turns of a run that carry a label.

A label is found by scenario, the message answered and the reply's exact words, so replaying a
recorded run shows the labels given to that recording, and a live run shows them only for
replies that match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from coach.errors import ConfigError
from coach.evals.records import ScenarioRun
from coach.paths import RUBRIC_LABELLED_DIR

LABELLED_DIR = RUBRIC_LABELLED_DIR
Grade = Literal["fits", "generic", "wrong"]
GRADES: tuple[Grade, ...] = ("fits", "generic", "wrong")


class LabelledTurn(BaseModel):
    """One coach reply as a mentee read it, and its grade."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str
    mentee: str
    coach: str
    label: Grade
    note: str = ""


def load_labels(paths: Iterable[Path]) -> list[LabelledTurn]:
    turns = []
    for path in paths:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            turns += [LabelledTurn.model_validate(item) for item in raw]
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ConfigError(f"Could not read the rubric labels {path}: {exc}") from None
    return turns


@cache
def shipped_labels() -> tuple[LabelledTurn, ...]:
    return tuple(load_labels(sorted(LABELLED_DIR.glob("*.yaml"))))


def _key(scenario: str, mentee: str, reply: str) -> tuple[str, str, str]:
    return scenario, " ".join(mentee.split()), " ".join(reply.split())


def rubric_figures(
    runs: Sequence[ScenarioRun], labels: Sequence[LabelledTurn] | None = None
) -> dict[str, float | None]:
    """How many of the run's coach turns carry a label, and the share of each grade among
    them (None when none does)."""
    by_reply: dict[tuple[str, str, str], Grade] = {}
    for labelled in shipped_labels() if labels is None else labels:
        key = _key(labelled.scenario, labelled.mentee, labelled.coach)
        if by_reply.setdefault(key, labelled.label) != labelled.label:
            raise ConfigError(f"The rubric labels grade one reply two ways: {labelled.coach!r}")
    found = [
        by_reply[key]
        for run in runs
        for turn in run.coach_turns
        if (key := _key(run.scenario.id, turn.mentee or "", turn.coach or "")) in by_reply
    ]
    figures: dict[str, float | None] = {"rubric_labelled": len(found)}
    for grade in GRADES:
        figures[f"rubric_{grade}"] = found.count(grade) / len(found) if found else None
    return figures
