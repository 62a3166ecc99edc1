"""How to retry a draft the guard failed: tell the model why, or draw again."""

from __future__ import annotations

from collections.abc import Sequence

from coach.providers import ChatMessage, ChatProvider
from coach.session.drafting import Draft, RepairBuilder
from coach.session.prompting import repair_messages


def repair_with_reasons(messages: Sequence[ChatMessage], draft: Draft) -> list[ChatMessage]:
    return repair_messages(messages, draft.text, draft.verdict.explain())


def draw_again(messages: Sequence[ChatMessage], draft: Draft) -> list[ChatMessage]:
    return list(messages)


def retry_for(provider: ChatProvider) -> RepairBuilder:
    """The reasons for most models; for one too small to act on them (no
    ``follows_feedback`` capability), a fresh draw from the same prompt, which its cache holds."""
    return repair_with_reasons if provider.capabilities.follows_feedback else draw_again
