"""The profile this browser session uses, and the settings that follow from it."""

from __future__ import annotations

import streamlit as st

from coach.profiles import ProfileLocked, check_password, is_protected, profile_settings
from coach.records import open_records
from coach.settings import Settings, load_settings

PROFILE = "profile"
API_KEY = "api_key"
UNLOCKED = "unlocked_profiles"


def active_profile() -> str:
    """The profile chosen on the Profile page; the configured user until one is chosen."""
    if PROFILE not in st.session_state:
        st.session_state[PROFILE] = load_settings().user
    return str(st.session_state[PROFILE])


def active_settings() -> Settings:
    """Settings for the active profile, once it is open in this browser session.

    A password-protected profile shows its password form and stops the page until it opens.
    Raises CoachError with a message to show.
    """
    settings = profile_settings(active_profile(), st.session_state.get(API_KEY))
    require_unlocked(settings)
    return settings


def is_unlocked(settings: Settings) -> bool:
    opened = st.session_state.setdefault(UNLOCKED, set())
    return settings.user in opened or not is_protected(open_records(settings), settings.user)


def require_unlocked(settings: Settings) -> None:
    if is_unlocked(settings):
        return
    st.info(f"The profile **{settings.user}** is protected by a password.")
    with st.form("unlock"):
        password = st.text_input("Password", type="password")
        if st.form_submit_button("Open profile"):
            try:
                check_password(open_records(settings), settings.user, password)
            except ProfileLocked as exc:
                st.warning(str(exc))
            else:
                st.session_state[UNLOCKED].add(settings.user)
                st.rerun()
    st.stop()


def show_profile(settings: Settings) -> None:
    """A line in the sidebar: whose data this page shows."""
    st.sidebar.caption(f"Profile: **{settings.user}** · change it on the Profile page")


def visited(page: str) -> bool:
    """Record that ``page`` is showing; True if the browser session was on another page before."""
    came_back = st.session_state.get("page") != page
    st.session_state["page"] = page
    return came_back
