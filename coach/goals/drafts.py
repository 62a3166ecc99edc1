"""Read a goal-setting or review session back into a draft the mentee edits before saving.

The draft uses the mentee's own sentences; a model that writes notes may tidy them, and the
rule-based reading is the floor when it cannot.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from coach.errors import ProviderError
from coach.goals.models import Decision, Milestone
from coach.knowledge import goal_rules
from coach.notes.due_dates import due_date
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.structured import ask_for
from coach.text import split_sentences
from coach.transcripts import TranscriptRecord, is_safety_record


class StepDraft(BaseModel):
    text: str = Field(min_length=1)
    due: date | None = None


class MilestoneDraft(BaseModel):
    title: str = Field(min_length=1)
    why: str = ""
    steps: list[StepDraft] = Field(default_factory=list)


class PlanDraft(BaseModel):
    milestones: list[MilestoneDraft] = Field(default_factory=list, max_length=3)
    every_days: int | None = Field(default=None, ge=1, le=92)


class ReviewDraft(BaseModel):
    wins: list[str] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    decisions: dict[str, Decision] = Field(default_factory=dict, description="By milestone id.")


def _said(records: Sequence[TranscriptRecord], stages: set[str] | None = None) -> list[str]:
    """The mentee's sentences, in order, optionally only from some stages."""
    return [
        sentence.strip()
        for r in records
        if r.role == "mentee" and not is_safety_record(r) and (stages is None or r.stage in stages)
        for sentence in split_sentences(r.text)
        if sentence.strip()
    ]


def _has(sentence: str, cues: list[str]) -> bool:
    lowered = sentence.lower().replace("’", "'")
    return any(cue in lowered for cue in cues)


def cadence_in(text: str) -> int | None:
    """The rhythm the mentee names ("every two weeks"), in days."""
    lowered = text.lower()
    named = sorted(goal_rules().cadences.items(), key=lambda item: -len(item[0]))
    for name, days in named:
        if name in lowered:
            return days
    for word, days in [("fortnight", 14), ("week", 7), ("month", 28)]:
        if word in lowered:
            return days
    return None


def plan_from_words(records: Sequence[TranscriptRecord], today: date) -> PlanDraft:
    """Milestones, their reasons and steps, and the rhythm, from the mentee's sentences."""
    rules = goal_rules()
    milestones: list[MilestoneDraft] = []
    every_days = None
    for sentence in _said(records):
        reason = sentence.lower().startswith(tuple(rules.why_cues))  # "Because ..."
        if _has(sentence, rules.step_cues) and milestones and not reason:
            due = due_date(sentence, today)
            milestones[-1].steps.append(StepDraft(text=sentence, due=due))
        elif reason and milestones:
            milestones[-1].why = milestones[-1].why or sentence
        elif _has(sentence, rules.milestone_cues) and len(milestones) < 3:
            milestones.append(MilestoneDraft(title=sentence))
        elif _has(sentence, rules.why_cues) and milestones and not milestones[-1].why:
            milestones[-1].why = sentence
        every_days = cadence_in(sentence) or every_days
    return PlanDraft(milestones=milestones, every_days=every_days)


def draft_plan(
    provider: ChatProvider | None, records: Sequence[TranscriptRecord], today: date
) -> PlanDraft:
    """The plan the session arrived at, for the mentee to edit. Never raises for the model."""
    floor = plan_from_words(records, today)
    if provider is None or not provider.capabilities.structured_output:
        return floor
    said = "\n".join(json.dumps(s, ensure_ascii=False) for s in _said(records))
    messages = [
        ChatMessage(role="user", content=render("plan_writer", today=today, transcript=said))
    ]
    try:
        drafted = ask_for(provider, messages, PlanDraft, "plan_fix")
    except (ProviderError, ValueError):
        return floor
    return drafted if drafted.milestones else floor


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so "speaking" meets "speak" and "reviews" "review"."""
    return {w[:5] for w in re.findall(r"[a-z']+", text.lower()) if len(w) > 3}


def draft_review(
    records: Sequence[TranscriptRecord], milestones: Sequence[Milestone]
) -> ReviewDraft:
    """Wins, lessons and a decision per milestone, from what the mentee said in each stage."""
    rules = goal_rules()
    decisions: dict[str, Decision] = {m.id: "keep" for m in milestones}
    stems = {m.id: _stems(m.title) for m in milestones}
    for sentence in _said(records, {"recalibrate"}):
        overlap = {mid: len(words & _stems(sentence)) for mid, words in stems.items()}
        best = max(overlap.values(), default=0)
        about = [mid for mid, count in overlap.items() if count == best]
        if best == 0 or len(about) != 1:
            continue  # the sentence names no milestone, or two equally
        if _has(sentence, rules.drop_cues):
            decisions[about[0]] = "drop"
        elif _has(sentence, rules.change_cues):
            decisions[about[0]] = "change"
        elif _has(sentence, rules.keep_cues):
            decisions[about[0]] = "keep"
    return ReviewDraft(
        wins=_said(records, {"wins"}),
        lessons=_said(records, {"setbacks"}),
        decisions=decisions,
    )
