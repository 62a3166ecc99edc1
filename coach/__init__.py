"""The mentoring coach: one open, reflective question at a time."""

__version__ = "0.1.0"
