"""The ``coach`` command."""

from coach.cli.main import main

__all__ = ["main"]
