"""How far the talk-act classifier can be trusted as a judge: its agreement with labelled talk,
as measured by ``python -m evals.acts report --write`` and stored in ``agreement.json`` beside
this module.

The eval report shows these figures beside its own, for the classifier that judged the run, so
a team reading "0% unasked-for advice" can see how much advice the classifier finds at all.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pydantic import BaseModel, ValidationError

logger = logging.getLogger(__name__)
AGREEMENT_FILE = Path(__file__).parent / "agreement.json"
EXPERT_CODED_SET = "AnnoMI dev (expert-coded counselling sessions)"


class ExpertAgreement(BaseModel):
    """Two expert coders of AnnoMI against each other (its authors' figures)."""

    kappa_main: float = 0.74
    kappa_question: float = 0.87
    kappa_open_closed: float = 0.74


EXPERTS = ExpertAgreement()


class LabelAgreement(BaseModel):
    """One classifier against one labelled set."""

    utterances: int
    kappa_main: float
    kappa_question: float
    kappa_open_closed: float
    advice_recall: float
    advice_precision: float


class ClassifierAgreement(BaseModel):
    """A classifier's agreement on the project's own test split and, where it was measured, on
    expert-coded counselling talk; with the experts' own agreement for scale."""

    classifier: str
    corpus_test: LabelAgreement
    expert_coded: LabelAgreement | None = None
    expert_coded_set: str = EXPERT_CODED_SET
    experts: ExpertAgreement = EXPERTS


class MeasuredAgreement(BaseModel):
    measured_by: str
    corpus: str  # the digest of the corpus the test split came from
    classifiers: dict[str, ClassifierAgreement]


def measured(path: Path = AGREEMENT_FILE) -> MeasuredAgreement | None:
    """The stored figures, or None (with a warning) when the file cannot be read."""
    try:
        return MeasuredAgreement.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        logger.warning("The talk-act classifier's measured agreement is unreadable (%s).", exc)
        return None


def agreement_of(classifier: str, path: Path = AGREEMENT_FILE) -> ClassifierAgreement | None:
    """The figures of the classifier that judged (``rules`` or ``learned``), if measured."""
    found = measured(path)
    return found.classifiers.get(classifier) if found else None
