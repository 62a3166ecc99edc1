"""User names, and folders only their owner can read."""

from __future__ import annotations

import os
import re
from pathlib import Path

from coach.errors import ConfigError

_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_user(user: str) -> str:
    """Return the user name, or raise ConfigError saying what a valid one looks like."""
    if not isinstance(user, str) or not _USER_NAME.fullmatch(user) or ".." in user:
        raise ConfigError(
            f"{user!r} cannot be used as a profile name. Use 1 to 64 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit."
        )
    return user


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only, and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
