"""Providers by name: each is registered once (``coach.providers``), with what the settings,
the command-line flags and the Profile page say about it, and built once per configuration."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.errors import ConfigError
from coach.providers.base import ChatProvider

if TYPE_CHECKING:  # the settings read this registry, so it must not import them
    from coach.settings import Settings

Factory = Callable[["Settings"], ChatProvider]


@dataclass(frozen=True)
class ProviderEntry:
    """A registered provider."""

    name: str
    factory: Factory
    label: str
    """What the Profile page calls it, and the flags' help."""
    offered: bool = True
    """Whether people choose it on the Profile page (the scripted provider is for tests)."""


_ENTRIES: dict[str, ProviderEntry] = {}
_BUILT: dict[tuple[Hashable, ...], ChatProvider] = {}
_LOCK = threading.Lock()


def register_provider(name: str, factory: Factory, label: str, *, offered: bool = True) -> None:
    """Make a provider available under ``name``."""
    _ENTRIES[name] = ProviderEntry(name, factory, label, offered)


def provider_names() -> list[str]:
    return list(_ENTRIES)


def provider_entries(*, offered_only: bool = False) -> list[ProviderEntry]:
    """The registered providers, in the order they were registered."""
    return [entry for entry in _ENTRIES.values() if entry.offered or not offered_only]


def _cache_key(settings: Settings) -> tuple[Hashable, ...]:
    key = settings.api_key.get_secret_value() if settings.api_key else None
    return (
        settings.provider,
        settings.model,
        settings.base_url,
        key,
        settings.model_path,
        settings.threads,
        settings.timeout_s,
        settings.script_file,
    )


def build_provider(settings: Settings) -> ChatProvider:
    """A new, uncached instance of the provider the settings choose (for parallel workers)."""
    entry = _ENTRIES.get(settings.provider)
    if entry is None:
        choices = ", ".join(provider_names())
        raise ConfigError(f"No provider named {settings.provider!r}. Choose one of: {choices}.")
    return entry.factory(settings)


def get_provider(settings: Settings) -> ChatProvider:
    """The provider the settings choose, built on first use. Raises ConfigError with a fix."""
    key = _cache_key(settings)
    with _LOCK:
        if key not in _BUILT:
            _BUILT[key] = build_provider(settings)
        return _BUILT[key]


def forget_providers() -> None:
    """Drop every built provider, stopping any model process it runs (tests start clean)."""
    with _LOCK:
        built = list(_BUILT.values())
        _BUILT.clear()
    for provider in built:
        provider.close()
