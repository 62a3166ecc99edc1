"""Chat models behind one small interface, chosen by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.providers.base import Capabilities, ChatMessage, ChatProvider, Provider
from coach.providers.freeform import unconstrained
from coach.providers.registry import (
    build_provider,
    forget_providers,
    get_provider,
    provider_entries,
    provider_names,
    register_provider,
)
from coach.providers.scripted import ScriptedProvider

if TYPE_CHECKING:  # the settings read the registry, so this package does not import them
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


# The one place providers are named: the settings, the flags and the Profile page read these.
register_provider("local", _local, "On this machine (the embedded model, or COACH_MODEL_PATH)")
register_provider("openai", _openai, "An OpenAI-compatible server")
register_provider("scripted", _scripted, "Scripted replies (for tests)", offered=False)

__all__ = [
    "Capabilities",
    "ChatMessage",
    "ChatProvider",
    "Provider",
    "ScriptedProvider",
    "build_provider",
    "forget_providers",
    "get_provider",
    "provider_entries",
    "provider_names",
    "register_provider",
    "unconstrained",
]
