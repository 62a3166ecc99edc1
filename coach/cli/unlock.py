"""Open a password-protected profile from the command line."""

from __future__ import annotations

import getpass
import os
import sys

from coach.profiles import ProfileLocked, check_password, is_protected
from coach.records import open_records
from coach.settings import Settings


def unlock(settings: Settings) -> None:
    """Return if the profile is open to this user; raise ProfileLocked otherwise.

    The password comes from COACH_PASSWORD, or is asked for when a terminal is attached.
    """
    if not is_protected(open_records(settings), settings.user):
        return
    password = os.environ.get("COACH_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise ProfileLocked(
                f"The profile {settings.user!r} has a password: set COACH_PASSWORD, or run "
                "this in a terminal to be asked for it."
            )
        password = getpass.getpass(f"Password for {settings.user}: ")
    check_password(open_records(settings), settings.user, password)
