"""Agreement of a talk-act classifier with the corpus's labels, in the figures the issue sets
targets on (the same ones ``coach agree`` reports on expert-coded transcripts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel
from sklearn.metrics import cohen_kappa_score, precision_score, recall_score

from coach.acts.agreement import CodedUtterance, agreement, as_main
from coach.acts.talk_act import TalkAct
from coach.acts.trust import ClassifierAgreement, LabelAgreement
from evals.acts.corpus import Utterance

Classifier = Callable[[str, str | None], TalkAct]


class Figures(BaseModel):
    utterances: int
    kappa_act: float  # the five acts
    kappa_main: float  # the four main behaviours of MI coding (advice and information as one)
    kappa_question: float
    kappa_open_closed: float
    advice_recall: float
    advice_precision: float


def main_of(u: Utterance) -> str:
    """The label in MI coding's four main behaviours."""
    return "therapist_input" if u.act in {"advice", "information"} else u.act


def measure(utterances: Sequence[Utterance], classifier: Classifier) -> Figures:
    acts = [classifier(u.text, u.context) for u in utterances]
    both = [
        (u.question_type, a.question_type)
        for u, a in zip(utterances, acts, strict=True)
        if u.question_type and a.question_type
    ]
    truth_advice = [u.advice for u in utterances]
    said_advice = [a.advice for a in acts]
    return Figures(
        utterances=len(utterances),
        kappa_act=round(cohen_kappa_score([u.act for u in utterances], [a.act for a in acts]), 4),
        kappa_main=round(
            cohen_kappa_score(
                [main_of(u) for u in utterances],
                [as_main(a) for a in acts],
            ),
            4,
        ),
        kappa_question=round(
            cohen_kappa_score([u.question for u in utterances], [a.question for a in acts]), 4
        ),
        kappa_open_closed=round(cohen_kappa_score([t for t, _ in both], [o for _, o in both]), 4),
        advice_recall=round(recall_score(truth_advice, said_advice, zero_division=0), 4),
        advice_precision=round(precision_score(truth_advice, said_advice, zero_division=0), 4),
    )


TABLE_HEAD = (
    "| classifier | kappa, 5 acts | kappa, main (4) | kappa, question | kappa, open/closed "
    "| advice recall | advice precision |\n|---|---|---|---|---|---|---|"
)


def table_row(name: str, f: Figures) -> str:
    return (
        f"| {name} | {f.kappa_act:.3f} | {f.kappa_main:.3f} | {f.kappa_question:.3f} "
        f"| {f.kappa_open_closed:.3f} | {f.advice_recall:.3f} | {f.advice_precision:.3f} |"
    )


def expert_agreement(coded: Sequence[CodedUtterance], classifier: Classifier) -> LabelAgreement:
    """A classifier's agreement with expert coders, in the stored form."""
    found = agreement(coded, classifier)
    return LabelAgreement(**found.model_dump(include=set(LabelAgreement.model_fields)))


def classifier_agreement(
    name: str, corpus_test: Figures, expert_coded: LabelAgreement | None
) -> ClassifierAgreement:
    """What the eval report shows of a classifier: the corpus's test split and, where measured,
    expert-coded talk."""
    return ClassifierAgreement(
        classifier=name,
        corpus_test=LabelAgreement(
            **corpus_test.model_dump(include=set(LabelAgreement.model_fields))
        ),
        expert_coded=expert_coded,
    )
