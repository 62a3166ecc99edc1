"""Providers by name. Each is built once per configuration and reused."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from coach.errors import ConfigError
from coach.providers.base import ChatProvider
from coach.settings import Settings

Factory = Callable[[Settings], ChatProvider]

_FACTORIES: dict[str, Factory] = {}
_BUILT: dict[tuple[Hashable, ...], ChatProvider] = {}
_LOCK = threading.Lock()


def register_provider(name: str, factory: Factory) -> None:
    """Make a provider available under ``name``."""
    _FACTORIES[name] = factory


def provider_names() -> list[str]:
    return sorted(_FACTORIES)


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
    factory = _FACTORIES.get(settings.provider)
    if factory is None:
        choices = ", ".join(provider_names())
        raise ConfigError(f"No provider named {settings.provider!r}. Choose one of: {choices}.")
    return factory(settings)


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
        close = getattr(provider, "close", None)
        if callable(close):
            close()
