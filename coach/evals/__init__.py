"""The eval suite: scenarios, a simulated mentee, metrics, thresholds, record/replay, reports."""

from coach.evals.scenario import Scenario, load_scenarios

__all__ = ["Scenario", "load_scenarios"]
