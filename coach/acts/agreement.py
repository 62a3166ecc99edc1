"""Agreement between the classifier and expert MI coders (AnnoMI's format)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from coach.acts.classifier import classify
from coach.acts.talk_act import TalkAct
from coach.acts.trust import EXPERTS
from coach.errors import CoachError

MAIN_LABELS = ["question", "reflection", "therapist_input", "other"]


@dataclass(frozen=True)
class CodedUtterance:
    """A therapist utterance as experts coded it, with the client's previous words."""

    transcript_id: str
    mi_quality: str
    text: str
    context: str | None
    main: str
    question: bool
    question_type: str | None
    reflection: bool
    advice: bool


class QualityProfile(BaseModel):
    utterances: int
    reflection_to_question: float | None
    advice_share: float


class AgreementReport(BaseModel):
    utterances: int
    transcripts: int
    kappa_main: float
    kappa_question: float
    kappa_open_closed: float
    open_closed_compared: int
    advice_recall: float
    advice_precision: float
    baseline_question_mark_kappa: float
    confusion: dict[str, dict[str, int]]
    experts_by_quality: dict[str, QualityProfile]
    classifier_by_quality: dict[str, QualityProfile]


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


def load_annomi(path: Path) -> list[CodedUtterance]:
    """Therapist utterances in transcript order, each with the previous client utterance."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CoachError(f"Cannot read {path}: {exc.strerror}.") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CoachError(f"{path} is not a UTF-8 CSV file ({exc}).") from None
    needed = {"transcript_id", "utterance_id", "interlocutor", "utterance_text"}
    if not rows or not needed <= set(rows[0]):
        raise CoachError(
            f"{path} does not look like AnnoMI: it needs the columns {sorted(needed)}."
        )
    try:
        return _coded(rows)
    except (KeyError, ValueError, TypeError) as exc:
        raise CoachError(
            f"{path} does not look like AnnoMI: a row has a missing or malformed field ({exc})."
        ) from None


def _coded(rows: list[dict[str, str]]) -> list[CodedUtterance]:
    rows.sort(key=lambda row: (int(row["transcript_id"]), int(row["utterance_id"])))
    coded, context, transcript = [], None, None
    for row in rows:
        if row["transcript_id"] != transcript:
            transcript, context = row["transcript_id"], None
        if row["interlocutor"] == "client":
            context = row["utterance_text"]
            continue
        subtype = row["question_subtype"]
        coded.append(
            CodedUtterance(
                transcript_id=row["transcript_id"],
                mi_quality=row["mi_quality"],
                text=row["utterance_text"],
                context=context,
                main=row["main_therapist_behaviour"],
                question=_flag(row["question_exists"]),
                question_type=subtype if subtype in {"open", "closed"} else None,
                reflection=_flag(row["reflection_exists"]),
                advice=row["therapist_input_subtype"] == "advice",
            )
        )
    return coded


def as_main(act: TalkAct) -> str:
    """The classifier's act in AnnoMI's four main behaviours."""
    return "therapist_input" if act.act in {"advice", "information"} else act.act


def _profile(mains: list[str], advice: list[bool]) -> QualityProfile:
    counts = Counter(mains)
    ratio = counts["reflection"] / counts["question"] if counts["question"] else None
    return QualityProfile(
        utterances=len(mains),
        reflection_to_question=None if ratio is None else round(ratio, 3),
        advice_share=round(sum(advice) / len(advice), 4) if advice else 0.0,
    )


def _by_quality(
    coded: list[CodedUtterance], mains: list[str], advice: list[bool]
) -> dict[str, QualityProfile]:
    qualities = sorted({u.mi_quality for u in coded})
    return {
        quality: _profile(
            [m for u, m in zip(coded, mains, strict=True) if u.mi_quality == quality],
            [a for u, a in zip(coded, advice, strict=True) if u.mi_quality == quality],
        )
        for quality in qualities
    }


def agreement(
    coded: Iterable[CodedUtterance], classifier: Callable[[str, str | None], TalkAct] = classify
) -> AgreementReport:
    from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_score, recall_score

    coded = list(coded)
    if not coded:
        raise CoachError("No therapist utterances to compare.")
    acts = [classifier(u.text, u.context) for u in coded]
    ours = [as_main(a) for a in acts]
    theirs = [u.main for u in coded]
    both_questions = [
        (u.question_type, a.question_type)
        for u, a in zip(coded, acts, strict=True)
        if u.question_type and a.question_type
    ]
    matrix = confusion_matrix(theirs, ours, labels=MAIN_LABELS)
    return AgreementReport(
        utterances=len(coded),
        transcripts=len({u.transcript_id for u in coded}),
        kappa_main=round(cohen_kappa_score(theirs, ours), 4),
        kappa_question=round(
            cohen_kappa_score([u.question for u in coded], [a.question for a in acts]), 4
        ),
        kappa_open_closed=round(
            cohen_kappa_score([t for t, _ in both_questions], [o for _, o in both_questions]), 4
        ),
        open_closed_compared=len(both_questions),
        advice_recall=round(
            recall_score([u.advice for u in coded], [a.advice for a in acts], zero_division=0), 4
        ),
        advice_precision=round(
            precision_score([u.advice for u in coded], [a.advice for a in acts], zero_division=0),
            4,
        ),
        baseline_question_mark_kappa=round(
            cohen_kappa_score([u.question for u in coded], ["?" in u.text for u in coded]), 4
        ),
        confusion={
            expert: {label: int(n) for label, n in zip(MAIN_LABELS, row, strict=True)}
            for expert, row in zip(MAIN_LABELS, matrix, strict=True)
        },
        experts_by_quality=_by_quality(coded, theirs, [u.advice for u in coded]),
        classifier_by_quality=_by_quality(coded, ours, [a.advice for a in acts]),
    )


def render_markdown(report: AgreementReport) -> str:
    """The report as Markdown, with the human-expert figures beside ours."""
    lines = [
        f"# Agreement with expert coders ({report.utterances} therapist utterances, "
        f"{report.transcripts} transcripts)",
        "",
        "| figure | classifier | human experts |",
        "|---|---|---|",
        f"| kappa, main behaviour (4-way) | {report.kappa_main:.3f} | {EXPERTS.kappa_main} |",
        f"| kappa, question or not | {report.kappa_question:.3f} | {EXPERTS.kappa_question} |",
        f"| kappa, open or closed ({report.open_closed_compared} questions both found) "
        f"| {report.kappa_open_closed:.3f} | {EXPERTS.kappa_open_closed} |",
        f"| advice recall | {report.advice_recall:.3f} | |",
        f"| advice precision | {report.advice_precision:.3f} | |",
        f"| baseline: '?' means question, kappa | {report.baseline_question_mark_kappa:.3f} | |",
        "",
        "| MI quality | R:Q, experts | R:Q, classifier | advice share, experts "
        "| advice share, classifier |",
        "|---|---|---|---|---|",
    ]
    for quality, expert in report.experts_by_quality.items():
        mine = report.classifier_by_quality[quality]
        lines.append(
            f"| {quality} | {expert.reflection_to_question} | {mine.reflection_to_question} "
            f"| {expert.advice_share:.3f} | {mine.advice_share:.3f} |"
        )
    lines += [
        "",
        "Confusion (rows: experts, columns: classifier)",
        "",
        "| | " + " | ".join(MAIN_LABELS) + " |",
        "|---" * (len(MAIN_LABELS) + 1) + "|",
    ]
    for coded_as, row in report.confusion.items():
        cells = " | ".join(str(row[label]) for label in MAIN_LABELS)
        lines.append(f"| {coded_as} | {cells} |")
    return "\n".join(lines) + "\n"
