"""The grounding check against drafts of the embedded model that were labelled by hand."""

import pytest

from evals.grounding import SETS, load_set, measure


@pytest.mark.parametrize("name", sorted(SETS))
def test_most_stray_questions_are_caught_and_most_fitting_ones_kept(name: str) -> None:
    result = measure(load_set(SETS[name]))
    assert result.strays >= 100 and result.fitting >= 30, "the labelled set shrank"
    assert result.catch_rate >= 0.80, result.missed
    assert result.keep_rate >= 0.85, result.wrongly_failed
