"""A question plan for a conversation: two or three questions for each coaching stage."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field

from coach.errors import ProviderError
from coach.guard.fallback import mentee_phrase
from coach.knowledge import stage_book
from coach.mentor.critique import InputProblem
from coach.mentor.rewrite import acceptable, trim_phrase
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.structured import ask_for
from coach.text import clean

QUESTIONS_PER_STAGE = 3
MAX_SITUATION_CHARS = 2000


class StagePlan(BaseModel):
    stage: str
    name: str
    purpose: str
    questions: list[str]


class QuestionPlan(BaseModel):
    situation: str
    stages: list[StagePlan]


class _ModelPlan(BaseModel):
    stages: dict[str, list[str]] = Field(min_length=1)


def _from_knowledge(stage_id: str, phrase: str | None) -> list[str]:
    stage = stage_book().get(stage_id)
    # One question per stage quotes the situation; the rest stand alone, so the plan reads well.
    quoted = [stage.quoting_stems[0].format(quote=phrase)] if phrase and stage.quoting_stems else []
    return [q for q in [*quoted, *stage.plain_stems] if acceptable(q)]


def _from_model(provider: ChatProvider, situation: str) -> dict[str, list[str]]:
    stages = ", ".join(stage.id for stage in stage_book().stages)
    prompt = render(
        "mentor_plan", situation=json.dumps(situation, ensure_ascii=False), stages=stages
    )
    try:
        plan = ask_for(
            provider, [ChatMessage(role="user", content=prompt)], _ModelPlan, "mentor_rewrite_fix"
        )
    except (ValueError, ProviderError):
        return {}
    return {
        stage: [q.strip() for q in questions if acceptable(q.strip())]
        for stage, questions in plan.stages.items()
    }


def question_plan(situation: str, provider: ChatProvider | None = None) -> QuestionPlan:
    """Questions by stage from the knowledge bank, quoting the situation; a capable model's
    questions, adapted to it and checked by the guard, come first."""
    text = clean(situation)
    if not text:
        raise InputProblem("Describe the mentee's situation in a sentence or two (--situation).")
    if len(text) > MAX_SITUATION_CHARS:
        raise InputProblem(
            f"The situation is {len(text):,} characters; keep it under {MAX_SITUATION_CHARS:,}."
        )
    adapted = (
        _from_model(provider, text)
        if provider is not None and provider.capabilities.structured_output
        else {}
    )
    found = mentee_phrase(text)
    phrase = trim_phrase(found) if found else None
    stages = []
    for stage in stage_book().stages:
        questions: list[str] = []
        for question in [*adapted.get(stage.id, []), *_from_knowledge(stage.id, phrase)]:
            if question not in questions:
                questions.append(question)
        stages.append(
            StagePlan(
                stage=stage.id,
                name=stage.name,
                purpose=stage.purpose,
                questions=questions[:QUESTIONS_PER_STAGE],
            )
        )
    return QuestionPlan(situation=text, stages=stages)
