"""Builders for hand-made transcripts, and the real embedder for the repeated-question metric."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from coach.evals.metrics import Embed
from coach.evals.records import EvalTurn, ScenarioRun, TurnOutcome
from coach.evals.scenario import Scenario
from coach.memory import get_embedder
from coach.settings import load_settings

OPENING = "Hello. What is the one specific dilemma you would like to think through today?"


@pytest.fixture(scope="session")
def embed() -> Embed:
    return get_embedder(load_settings()).embed


def scenario(**overrides: Any) -> Scenario:
    fields: dict[str, Any] = {
        "id": "hand-built",
        "domain": "manager takes credit",
        "behaviours": ["cooperative"],
        "persona": "A data analyst.",
        "dilemma": "My manager presents my work as his.",
        "turns": ["placeholder"],
    }
    fields.update(overrides)
    return Scenario.model_validate(fields)


def transcript(
    exchanges: Sequence[tuple[str, str] | tuple[str, str, TurnOutcome]],
    opening: str = OPENING,
    opening_outcome: TurnOutcome = "opening",
    **scenario_fields: Any,
) -> ScenarioRun:
    """A run from (mentee, coach[, outcome]) pairs, after the coach's opening."""
    turns = [EvalTurn(index=0, coach=opening, outcome=opening_outcome)]
    for index, exchange in enumerate(exchanges, start=1):
        mentee, coach = exchange[0], exchange[1]
        outcome: TurnOutcome = exchange[2] if len(exchange) == 3 else "model"  # type: ignore[misc]
        turns.append(
            EvalTurn(index=index, mentee=mentee, coach=coach, outcome=outcome, seconds=0.5)
        )
    fields = {"turns": [m for m, *_ in exchanges] or ["placeholder"], **scenario_fields}
    return ScenarioRun(scenario=scenario(**fields), turns=turns)
