"""Profiles on disk: one private folder each, with the model the profile chose.

Order of settings, later wins: defaults, ``.env``, ``COACH_*`` variables, then the profile's
saved choice (an explicit choice made in the app). API keys are never written to disk: a key
typed in the app lives for that browser session only.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from coach.errors import ConfigError
from coach.providers.embedded_model import is_demo_model
from coach.settings import Settings, load_settings
from coach.users import check_user, user_dir, write_private

CHOICE_FILE = "model.json"


class ModelChoice(BaseModel):
    """The model a profile talks to."""

    model_config = ConfigDict(extra="forbid")

    provider: str = "local"
    model: str | None = None
    base_url: str | None = None


def list_profiles(data_dir: Path) -> list[str]:
    """Names of the profiles that have a folder, sorted."""
    folder = data_dir / "users"
    if not folder.is_dir():
        return []
    names = []
    for path in folder.iterdir():
        try:
            names.append(check_user(path.name))
        except ConfigError:
            continue  # not a profile folder
    return sorted(names, key=str.lower)


def create_profile(data_dir: Path, name: str) -> str:
    """Create the profile's folder (if new) and return its name; ConfigError if the name is bad."""
    name = check_user(name.strip())
    user_dir(data_dir, name)
    return name


def load_choice(data_dir: Path, user: str) -> ModelChoice | None:
    """The profile's saved model choice, or None if it has not chosen one."""
    path = user_dir(data_dir, user) / CHOICE_FILE
    if not path.is_file():
        return None
    try:
        return ModelChoice.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        raise ConfigError(
            f"The model settings saved in {path} cannot be read. Choose the model again "
            "on the Profile page, or delete that file."
        ) from None


def save_choice(data_dir: Path, user: str, choice: ModelChoice) -> None:
    """Save the profile's model choice; it applies from the next session."""
    write_private(user_dir(data_dir, user) / CHOICE_FILE, choice.model_dump_json(indent=2))


def profile_settings(user: str, api_key: str | None = None) -> Settings:
    """Settings for ``user``: the environment's, with the profile's saved model choice on top."""
    base = load_settings(user=check_user(user))
    choice = load_choice(base.data_dir, base.user)
    if choice is None and not api_key:
        return base
    flags = choice.model_dump() if choice is not None else {}
    return load_settings(user=base.user, api_key=api_key or None, **flags)


def is_embedded_demo(settings: Settings) -> bool:
    """Whether the settings choose the small embedded model the coach ships with."""
    return settings.provider == "local" and is_demo_model(settings.model_path)
