"""The profile this browser session uses, and the settings that follow from it."""

from __future__ import annotations

import streamlit as st

from coach.profiles import profile_settings
from coach.settings import Settings, load_settings

PROFILE = "profile"
API_KEY = "api_key"


def active_profile() -> str:
    """The profile chosen on the Profile page; the configured user until one is chosen."""
    if PROFILE not in st.session_state:
        st.session_state[PROFILE] = load_settings().user
    return str(st.session_state[PROFILE])


def active_settings() -> Settings:
    """Settings for the active profile. Raises CoachError with a message to show."""
    return profile_settings(active_profile(), st.session_state.get(API_KEY))


def show_profile(settings: Settings) -> None:
    """A line in the sidebar: whose data this page shows."""
    st.sidebar.caption(f"Profile: **{settings.user}** · change it on the Profile page")


def visited(page: str) -> bool:
    """Record that ``page`` is showing; True if the browser session was on another page before."""
    came_back = st.session_state.get("page") != page
    st.session_state["page"] = page
    return came_back
