"""Pass/fail limits for the suite's figures, read from a YAML file."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from coach.errors import ConfigError
from coach.paths import THRESHOLDS_FILE

DEFAULT_THRESHOLDS = THRESHOLDS_FILE


class Limit(BaseModel):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_side_at_least(self) -> Limit:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        return self

    def describe(self) -> str:
        sides = []
        if self.min is not None:
            sides.append(f"≥ {self.min:g}")
        if self.max is not None:
            sides.append(f"≤ {self.max:g}")
        return " and ".join(sides)


class Thresholds(BaseModel):
    thresholds: dict[str, Limit]
    repeat_similarity: float = Field(default=0.85, gt=0, le=1)


class Check(BaseModel):
    """One threshold against the measured figure."""

    metric: str
    limit: str
    bound: float
    value: float | None
    passed: bool
    measured: bool


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> Thresholds:
    try:
        return Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError) as exc:
        raise ConfigError(f"Could not read the thresholds {path}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"The thresholds in {path} are not valid: {problems}.") from None


def check_thresholds(metrics: dict[str, float | None], thresholds: Thresholds) -> list[Check]:
    """Each threshold, in file order. A figure the suite did not measure passes, marked so."""
    unknown = sorted(set(thresholds.thresholds) - set(metrics))
    if unknown:
        raise ConfigError(
            f"The thresholds name figures the suite does not report: {', '.join(unknown)}. "
            f"Known figures: {', '.join(sorted(metrics))}."
        )
    checks = []
    for metric, limit in thresholds.thresholds.items():
        value = metrics[metric]
        passed = value is None or (
            (limit.min is None or value >= limit.min) and (limit.max is None or value <= limit.max)
        )
        checks.append(
            Check(
                metric=metric,
                limit=limit.describe(),
                bound=limit.min if limit.min is not None else float(limit.max or 0),
                value=value,
                passed=passed,
                measured=value is not None,
            )
        )
    return checks
