"""The mentor workbench: critique and rewrite planned questions, measured on labelled drafts."""

from coach.mentor.critique import Critique, Finding, InputProblem
from coach.mentor.lexicon import FLAW_KINDS, FlawKind
from coach.mentor.review import critique

__all__ = ["FLAW_KINDS", "Critique", "Finding", "FlawKind", "InputProblem", "critique"]
