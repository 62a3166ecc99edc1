"""Profiles: who is using the coach, and the model each one has chosen."""

from coach.profiles.connection import ConnectionCheck, check_connection
from coach.profiles.password import (
    ProfileLocked,
    check_password,
    is_protected,
    remove_password,
    set_password,
)
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
    "ProfileLocked",
    "check_connection",
    "check_password",
    "create_profile",
    "is_embedded_demo",
    "is_protected",
    "list_profiles",
    "load_choice",
    "profile_settings",
    "remove_password",
    "save_choice",
    "set_password",
]
