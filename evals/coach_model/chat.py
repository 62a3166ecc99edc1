"""Conversations as the model reads them: ChatML text (SmolLM2's chat template, as llama.cpp
applies it) with a loss mask over the coach's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coach.providers import ChatMessage
from coach.session.prompting import trained_messages
from evals.coach_model.corpus import Conversation

START, END = "<|im_start|>", "<|im_end|>"
# The whole conversation is one sequence, never shortened (``encode`` checks it).
MAX_PROMPT_CHARS = 1_000_000


def chatml(message: ChatMessage) -> str:
    return f"{START}{message.role}\n{message.content}{END}\n"


@dataclass
class Example:
    """Token ids of one conversation, and which of them the model learns (-100: read only)."""

    family: str
    ids: list[int]
    labels: list[int]

    @property
    def targets(self) -> int:
        return sum(1 for label in self.labels if label != -100)


def conversation_messages(conversation: Conversation) -> list[ChatMessage]:
    """The product's prompt for the whole conversation; each coach reply after its stage."""
    return trained_messages(None, conversation.records(), MAX_PROMPT_CHARS)


def encode(conversation: Conversation, tokenizer: Any, max_tokens: int) -> Example:
    """Every coach turn is a target, read after everything before it (the fixed follow-up
    opening is read, not learned). Conversations longer than ``max_tokens`` keep their start."""
    ids: list[int] = []
    labels: list[int] = []
    messages = conversation_messages(conversation)
    replies = [m for m in messages if m.role == "assistant"]
    coach = [t for t in conversation.turns if t.role == "coach"]
    if [m.content for m in replies] != [t.text for t in coach]:
        raise ValueError(f"{conversation.family}: the prompt does not hold every coach turn")
    learned = iter(t.source is None for t in coach)
    for message in messages:
        if message.role == "assistant" and next(learned):
            head = tokenizer(f"{START}assistant\n", add_special_tokens=False)["input_ids"]
            body = tokenizer(f"{message.content}{END}", add_special_tokens=False)["input_ids"]
            tail = tokenizer("\n", add_special_tokens=False)["input_ids"]
            ids += head + body + tail
            labels += [-100] * len(head) + body + [-100] * len(tail)
        else:
            piece = tokenizer(chatml(message), add_special_tokens=False)["input_ids"]
            ids += piece
            labels += [-100] * len(piece)
    return Example(conversation.family, ids[:max_tokens], labels[:max_tokens])


def prompt_text(messages: Sequence[ChatMessage]) -> str:
    """The text llama.cpp renders for a reply to ``messages`` (for checking the two agree)."""
    return "".join(chatml(m) for m in messages) + f"{START}assistant\n"
