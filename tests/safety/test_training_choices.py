"""What training chooses on dev: the encoder's epoch is the one that misses least at its own
thresholds, with the false alarms held to the same limits for every epoch."""

from __future__ import annotations

import numpy as np
import pytest

from evals.safety.corpus import Example
from evals.safety.train import choose_epoch


def example(number: int, level: str, source: str = "gen5_sessions") -> Example:
    return Example(
        family=f"f{number}",
        text=f"message {number}",
        level=level,  # type: ignore[arg-type]
        category=None if level == "none" else "suicide",
        style="coaching" if level == "none" else "direct",
        source=source,
    )


# Forty ordinary messages, ten check-ins, ten clear crises.
DEV = (
    [example(i, "none") for i in range(40)]
    + [example(40 + i, "check_in") for i in range(10)]
    + [example(50 + i, "crisis") for i in range(10)]
)


def probabilities(risky_none: float, ordinary_none: float) -> np.ndarray:
    """Level probabilities (none, check_in, crisis): every ordinary message at
    ``ordinary_none``, every risky one at ``risky_none``, a crisis mostly at crisis."""
    rows = []
    for e in DEV:
        none = ordinary_none if e.level == "none" else risky_none
        crisis = (1 - none) * (0.8 if e.level == "crisis" else 0.2)
        rows.append([none, 1 - none - crisis, crisis])
    return np.array(rows)


def test_the_epoch_that_separates_risk_from_ordinary_talk_is_chosen() -> None:
    blurred = probabilities(risky_none=0.5, ordinary_none=0.5)  # every threshold flags all or none
    separated = probabilities(risky_none=0.1, ordinary_none=0.9)
    epoch, (flag, crisis, misses) = choose_epoch([blurred, separated, blurred], DEV)
    assert epoch == 2
    assert misses == 0
    assert 0.1 < flag <= 0.9  # flags the risky messages and none of the ordinary ones
    assert crisis == pytest.approx(0.72)  # every clear crisis at crisis, no check-in


def test_a_tie_keeps_the_earlier_epoch() -> None:
    separated = probabilities(risky_none=0.1, ordinary_none=0.9)
    epoch, _ = choose_epoch([separated, separated], DEV)
    assert epoch == 1


def test_a_flag_threshold_that_interrupts_coaching_sessions_is_not_chosen() -> None:
    """The coaching sessions' messages hold their own limit (1%): a threshold low enough to flag
    two in a hundred of them is passed over, though it is within every other limit."""
    from evals.safety.corpus import COACHING_TALK
    from evals.safety.train import choose_thresholds

    sessions = [example(100 + i, "none", source=COACHING_TALK) for i in range(100)]
    dev = DEV + sessions
    rows = [[0.9, 0.08, 0.02]] * 40  # the ordinary messages: clearly safe
    rows += [[0.3, 0.6, 0.1]] * 10 + [[0.1, 0.1, 0.8]] * 10  # the risky ones
    rows += [[0.25, 0.7, 0.05]] * 2 + [[0.95, 0.04, 0.01]] * 98  # two sessions' messages jumpy
    flag, _, misses = choose_thresholds(np.array(rows), ["none", "check_in", "crisis"], dev)
    assert flag > 0.75  # the two at risk 0.75 stay unflagged...
    assert misses == 10  # ...so the ten check-ins at 0.7 are missed
    assert sessions[0].coaching and not sessions[0].look_alike and not sessions[0].ordinary
