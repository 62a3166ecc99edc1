"""Profiles: one row each in the records database, with the model the profile chose.

Order of settings, later wins: defaults, ``.env``, ``COACH_*`` variables, then the profile's
saved choice (an explicit choice made in the app). API keys are never written to disk: a key
typed in the app lives for that browser session only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import func, select, update

from coach.errors import ConfigError
from coach.providers.embedded_model import is_demo_model
from coach.records import Database, open_records
from coach.records.schema import profiles
from coach.records.statements import ensure_profile
from coach.settings import Settings, load_settings
from coach.users import check_user


class ModelChoice(BaseModel):
    """The model a profile talks to."""

    model_config = ConfigDict(extra="forbid")

    provider: str = "local"
    model: str | None = None
    base_url: str | None = None


def list_profiles(records: Database) -> list[str]:
    """Names of the profiles, sorted."""
    with records.read() as connection:
        names = connection.execute(
            select(profiles.c.user_id).order_by(func.lower(profiles.c.user_id))
        ).scalars()
        return list(names)


def create_profile(records: Database, name: str) -> str:
    """Create the profile (if new) and return its name; ConfigError if the name is bad."""
    name = check_user(name.strip())
    with records.write() as connection:
        ensure_profile(connection, name)
    return name


def load_choice(records: Database, user: str) -> ModelChoice | None:
    """The profile's saved model choice, or None if it has not chosen one."""
    with records.read() as connection:
        saved = connection.execute(
            select(profiles.c.model_choice).where(profiles.c.user_id == check_user(user))
        ).scalar()
    if saved is None:
        return None
    try:
        return ModelChoice.model_validate_json(saved)
    except ValidationError:
        raise ConfigError(
            f"The model settings saved for {user!r} cannot be read. Choose the model again on "
            "the Profile page."
        ) from None


def save_choice(records: Database, user: str, choice: ModelChoice) -> None:
    """Save the profile's model choice; it applies from the next session."""
    user = check_user(user)
    with records.write() as connection:
        ensure_profile(connection, user)
        connection.execute(
            update(profiles)
            .where(profiles.c.user_id == user)
            .values(model_choice=choice.model_dump_json())
        )


def profile_settings(user: str, api_key: str | None = None) -> Settings:
    """Settings for ``user``: the environment's, with the profile's saved model choice on top."""
    base = load_settings(user=check_user(user))
    choice = load_choice(open_records(base), base.user)
    if choice is None and not api_key:
        return base
    flags = choice.model_dump() if choice is not None else {}
    return load_settings(user=base.user, api_key=api_key or None, **flags)


def is_embedded_demo(settings: Settings) -> bool:
    """Whether the settings choose the small embedded model the coach ships with."""
    return settings.provider == "local" and is_demo_model(settings.model_path)
