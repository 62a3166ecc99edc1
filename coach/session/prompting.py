"""Build the chat prompt for one turn from templates, the stage and the transcript."""

from __future__ import annotations

from collections.abc import Sequence

from coach.knowledge import stage_book
from coach.prompts import load_examples, render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.base import Role
from coach.text import shorten
from coach.transcripts import TranscriptRecord


def stage_prompt(stage_id: str) -> str:
    """Where the conversation is, and what this stage is for."""
    stage = stage_book().get(stage_id)
    return render("coach_stage", stage_name=stage.name, stage_purpose=stage.purpose)


def build_messages(
    stage_id: str,
    records: Sequence[TranscriptRecord],
    max_chars: int,
    memory: str | None = None,
    guidance: str | None = None,
) -> list[ChatMessage]:
    """Rules, few-shot examples, as much recent conversation as fits, then memory and stage.

    Everything that changes from turn to turn comes last, so a local model reuses its cache of
    the rules, the examples and the conversation so far, and evaluates only the new words.
    The latest message is always included (shortened if it is too long on its own).
    """
    messages = [ChatMessage(role="system", content=render("coach_system"))]
    for example in load_examples():
        messages.append(ChatMessage(role="user", content=example.mentee))
        messages.append(ChatMessage(role="assistant", content=example.coach))
    for record in recent_records(records, max_chars):
        role: Role = "user" if record.role == "mentee" else "assistant"
        messages.append(ChatMessage(role=role, content=record.text))
    messages += session_context(guidance, memory)
    messages.append(ChatMessage(role="system", content=stage_prompt(stage_id)))
    return messages


def recent_records(records: Sequence[TranscriptRecord], max_chars: int) -> list[TranscriptRecord]:
    """As much of the recent conversation as fits in ``max_chars``, oldest first. The latest
    message is always kept (shortened if it is too long on its own)."""
    kept: list[TranscriptRecord] = []
    budget = max_chars
    for record in reversed(records):
        text = shorten(record.text, max_chars) if not kept else record.text
        if kept and len(text) > budget:
            break
        budget -= len(text)
        kept.append(record if text == record.text else record.model_copy(update={"text": text}))
    return kept[::-1]


def session_context(guidance: str | None, memory: str | None) -> list[ChatMessage]:
    """The kind of session and the mentee's wishes, then what is recalled from earlier ones."""
    return [ChatMessage(role="system", content=text) for text in (guidance, memory) if text]


def turn_messages(
    provider: ChatProvider,
    stage_id: str,
    records: Sequence[TranscriptRecord],
    max_chars: int,
    memory: str | None = None,
    guidance: str | None = None,
) -> list[ChatMessage]:
    """The prompt for the provider: the short trained form for a model with the coaching
    adapter, the rules and few-shot examples for any other."""
    build = trained_messages if provider.capabilities.trained_prompt else build_messages
    return build(stage_id, records, max_chars, memory, guidance)


def trained_messages(
    stage_id: str | None,
    records: Sequence[TranscriptRecord],
    max_chars: int,
    memory: str | None = None,
    guidance: str | None = None,
) -> list[ChatMessage]:
    """The prompt the coaching adapter was trained on: short rules, then the recent
    conversation with each coach reply preceded by its stage, then the stage of the reply to
    draft (None when ``records`` end with a coach reply: the form of a whole training
    conversation).

    The stage lines of earlier replies never change, so a local model keeps its cache of the
    conversation from turn to turn.
    """
    messages = [ChatMessage(role="system", content=render("coach_system_trained"))]
    for record in recent_records(records, max_chars):
        if record.role == "coach":
            messages.append(ChatMessage(role="system", content=trained_stage(record.stage)))
            messages.append(ChatMessage(role="assistant", content=record.text))
        else:
            messages.append(ChatMessage(role="user", content=record.text))
    messages += session_context(guidance, memory)
    if stage_id is not None:
        messages.append(ChatMessage(role="system", content=trained_stage(stage_id)))
    return messages


def trained_stage(stage_id: str) -> str:
    return render("coach_stage_trained", stage_name=stage_book().get(stage_id).name)


def repair_messages(messages: Sequence[ChatMessage], draft: str, reasons: str) -> list[ChatMessage]:
    """The same prompt, plus the rejected draft and what was wrong with it."""
    return [
        *messages,
        ChatMessage(role="assistant", content=draft),
        ChatMessage(role="user", content=render("repair", reasons=reasons)),
    ]
