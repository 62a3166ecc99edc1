"""``coach doctor``: check an installation part by part and say what to fix."""

from coach.doctor.checks import Check, all_checks

__all__ = ["Check", "all_checks"]
