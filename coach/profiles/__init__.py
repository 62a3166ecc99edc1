"""Profiles: who is using the coach, and the model each one has chosen."""

from coach.profiles.connection import ConnectionCheck, check_connection
from coach.profiles.store import (
    ModelChoice,
    create_profile,
    is_embedded_demo,
    list_profiles,
    load_choice,
    profile_settings,
    save_choice,
)

__all__ = [
    "ConnectionCheck",
    "ModelChoice",
    "check_connection",
    "create_profile",
    "is_embedded_demo",
    "list_profiles",
    "load_choice",
    "profile_settings",
    "save_choice",
]
