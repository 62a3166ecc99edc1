"""Structured output: a pydantic model is the contract, with one corrective retry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.prompts import render
from coach.providers.base import ChatMessage, ChatProvider

Model = TypeVar("Model", bound=BaseModel)
ATTEMPTS = 2


def parse_json_object(reply: str, model: type[Model]) -> Model:
    """The first-to-last brace span of a reply, validated. Raises ValueError or ValidationError."""
    start, end = reply.find("{"), reply.rfind("}")
    if start < 0 or end < start:
        raise ValueError("there is no JSON object in the reply")
    return model.model_validate_json(reply[start : end + 1])


def ask_for(
    provider: ChatProvider,
    messages: Sequence[ChatMessage],
    model: type[Model],
    fix_prompt: str,
    attempts: int = ATTEMPTS,
) -> Model:
    """Ask for a JSON object; a reply that does not validate is sent back with the problem.

    ``fix_prompt`` names a template with a ``{problem}`` slot. Raises ValueError when every
    attempt fails; ProviderError passes through.
    """
    conversation = list(messages)
    problem = ""
    for _ in range(attempts):
        reply = "".join(provider.stream(conversation))
        try:
            return parse_json_object(reply, model)
        except (ValueError, ValidationError) as exc:
            problem = str(exc).splitlines()[0]
            conversation += [
                ChatMessage(role="assistant", content=reply),
                ChatMessage(role="user", content=render(fix_prompt, problem=problem)),
            ]
    raise ValueError(f"the model's reply was not valid {attempts} times ({problem})")
