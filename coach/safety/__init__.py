"""Safety: risk in a mentee's words, recognised by a learned classifier, and a graded response."""

from coach.safety.classifier import SafetyClassifier, default_classifier, screen
from coach.safety.flow import SafetyStep, decide
from coach.safety.messages import crisis_message
from coach.safety.result import CATEGORIES, LEVELS, Category, Level, SafetyResult

__all__ = [
    "CATEGORIES",
    "LEVELS",
    "Category",
    "Level",
    "SafetyClassifier",
    "SafetyResult",
    "SafetyStep",
    "crisis_message",
    "decide",
    "default_classifier",
    "screen",
]
