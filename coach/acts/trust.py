"""How far the talk-act judge can be trusted: its agreement with labelled talk, as measured by
``python -m evals.acts report --write`` and stored in ``agreement.json`` beside this module.

The eval report shows these figures beside its own, for the classifier that judged the run, so
a team reading "0% unasked-for advice" can see how much advice the judge finds at all.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pydantic import BaseModel, ValidationError

logger = logging.getLogger(__name__)
AGREEMENT_FILE = Path(__file__).parent / "agreement.json"
# Two expert coders of AnnoMI against each other (its authors' figures).
EXPERTS = {"kappa_main": 0.74, "kappa_question": 0.87, "kappa_open_closed": 0.74}


class Agreement(BaseModel):
    """One classifier against one labelled set."""

    utterances: int
    kappa_main: float
    kappa_question: float
    kappa_open_closed: float
    advice_recall: float
    advice_precision: float


class JudgeTrust(BaseModel):
    """A classifier's agreement on the project's own test split and, where it was measured, on
    expert-coded counselling talk."""

    classifier: str
    corpus_test: Agreement
    expert_coded: Agreement | None = None
    expert_coded_name: str = "AnnoMI dev (expert-coded counselling sessions)"
    experts: dict[str, float] = EXPERTS


class MeasuredAgreement(BaseModel):
    measured_by: str
    corpus: str  # the digest of the corpus the test split came from
    classifiers: dict[str, JudgeTrust]


def measured(path: Path = AGREEMENT_FILE) -> MeasuredAgreement | None:
    """The stored figures, or None (with a warning) when the file cannot be read."""
    try:
        return MeasuredAgreement.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        logger.warning("The talk-act judge's measured agreement is unreadable (%s).", exc)
        return None


def trust_in(classifier: str, path: Path = AGREEMENT_FILE) -> JudgeTrust | None:
    """The figures of the classifier that judged (``rules`` or ``learned``), if measured."""
    found = measured(path)
    return found.classifiers.get(classifier) if found else None
