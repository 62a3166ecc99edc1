"""Simple reflections: the mentee's own words told back."""

from coach.reflections.simple import simple_reflection

__all__ = ["simple_reflection"]
