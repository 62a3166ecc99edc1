"""Free text from a provider that normally constrains its replies to coaching questions."""

from __future__ import annotations

from coach.providers.base import ChatProvider


def unconstrained(provider: ChatProvider) -> ChatProvider:
    """The provider without decoding constraints, where it has any (the embedded model does)."""
    return provider.unconstrained()
