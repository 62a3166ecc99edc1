"""The floor: a few high-precision expressions that escalate whatever the classifier says."""

from __future__ import annotations

from collections.abc import Sequence

from coach.safety.knowledge import FloorExpression, safety_knowledge
from coach.safety.result import NONE, SafetyResult
from coach.safety.text import normalise


def floor_match(text: str) -> FloorExpression | None:
    """The first floor expression found in the (normalised) text, if any."""
    for expression in safety_knowledge().floor:
        if expression.regex.search(text):
            return expression
    return None


def floor_screen(text: str, context: Sequence[str] = ()) -> SafetyResult:
    """A screen of the floor alone (``COACH_SAFETY_SCREEN=floor``): crisis or none."""
    return floor_result(normalise(text)) or NONE


def floor_result(text: str) -> SafetyResult | None:
    """``crisis`` with the expression's category when the floor matches, else None."""
    found = floor_match(text)
    if found is None:
        return None
    return SafetyResult(level="crisis", category=found.category, score=1.0, via="floor")
