"""Chat models behind one small interface, chosen by name."""

from __future__ import annotations

from coach.providers.base import ChatMessage, ChatProvider
from coach.providers.freeform import unconstrained
from coach.providers.registry import (
    build_provider,
    forget_providers,
    get_provider,
    provider_names,
    register_provider,
)
from coach.providers.scripted import ScriptedProvider
from coach.settings import Settings


def _local(settings: Settings) -> ChatProvider:
    from coach.providers.local import LocalProvider

    return LocalProvider(
        model_path=settings.model_path, threads=settings.threads, timeout_s=settings.timeout_s
    )


def _openai(settings: Settings) -> ChatProvider:
    from coach.providers.openai_compat import OpenAIProvider

    key = settings.api_key.get_secret_value() if settings.api_key else None
    return OpenAIProvider(settings.model, settings.base_url, key, settings.timeout_s)


def _scripted(settings: Settings) -> ChatProvider:
    if settings.script_file is not None:
        return ScriptedProvider.from_file(settings.script_file)
    return ScriptedProvider()


register_provider("local", _local)
register_provider("openai", _openai)
register_provider("scripted", _scripted)

__all__ = [
    "ChatMessage",
    "ChatProvider",
    "ScriptedProvider",
    "build_provider",
    "forget_providers",
    "get_provider",
    "provider_names",
    "register_provider",
    "unconstrained",
]
