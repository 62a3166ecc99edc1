"""Profile: whose data this is, and which model the coach talks to."""

from __future__ import annotations

import streamlit as st
from parts.profile import API_KEY, PROFILE, UNLOCKED, active_profile, active_settings, visited
from parts.resources import load_provider

from coach.errors import CoachError
from coach.profiles import (
    ModelChoice,
    check_connection,
    create_profile,
    is_embedded_demo,
    is_protected,
    list_profiles,
    remove_password,
    save_choice,
    set_password,
)
from coach.providers import provider_entries
from coach.records import open_records
from coach.settings import load_settings

st.set_page_config(page_title="Profile · Mentoring coach", page_icon="👤")
visited("profile")
st.title("Profile")
st.caption("Everything you rehearse, note and commit to is kept under your profile.")

try:
    records = open_records(load_settings())
    current = active_profile()
    names = sorted(set(list_profiles(records)) | {current}, key=str.lower)
except CoachError as exc:
    st.error(str(exc))
    st.stop()

chosen = st.selectbox("Profile", names, index=names.index(current))
if chosen != current:
    st.session_state[PROFILE] = chosen
    st.rerun()

with st.form("new-profile", clear_on_submit=False):
    new_name = st.text_input("New profile name", max_chars=64)
    if st.form_submit_button("Create profile"):
        try:
            st.session_state[PROFILE] = create_profile(records, new_name)
        except CoachError as exc:
            st.warning(str(exc))
        else:
            st.rerun()

st.header("Model")
try:
    settings = active_settings()
except CoachError as exc:
    st.warning(str(exc))
    settings = load_settings(user=current)

try:
    provider = load_provider(settings)
except CoachError as exc:
    st.warning(f"The chosen model cannot be used yet: {exc}")
else:
    st.markdown(f"**In use:** {provider.describe()}")
    if is_embedded_demo(settings):
        habits = (
            "It is trained for the coach's habits (a reflection, then one open question)"
            if getattr(provider, "adapter", None)
            else "It keeps the coach's habits (one open question at a time)"
        )
        st.info(
            f"This is the embedded model: small, private and offline. {habits} but understands "
            "little. For real sessions, connect a capable model below."
        )
    if getattr(provider, "adapter_problem", None):
        st.warning(provider.adapter_problem)  # type: ignore[attr-defined]

if st.session_state.pop("model_saved", False):
    st.success("Saved. New sessions for this profile use this model.")

labels = {entry.name: entry.label for entry in provider_entries(offered_only=True)}
providers = list(labels)
with st.form("model"):
    provider = st.radio(
        "Where the model runs",
        providers,
        index=providers.index(settings.provider) if settings.provider in providers else 0,
        format_func=labels.__getitem__,
    )
    model = st.text_input("Model name (for a server)", settings.model or "")
    base_url = st.text_input(
        "Base URL (empty for api.openai.com)",
        settings.base_url or "",
        placeholder="http://127.0.0.1:11434/v1",
    )
    api_key = st.text_input(
        "API key (kept for this browser session only, never saved)",
        st.session_state.get(API_KEY, ""),
        type="password",
    )
    test, save = st.columns(2)
    testing = test.form_submit_button("Test connection")
    saving = save.form_submit_button("Save for this profile", type="primary")

choice = ModelChoice(
    provider=provider,
    model=model.strip() or None,
    base_url=base_url.strip() or None,
)
if testing or saving:
    st.session_state[API_KEY] = api_key.strip()
    try:
        candidate = load_settings(
            user=current, api_key=api_key.strip() or None, **choice.model_dump()
        )
    except CoachError as exc:
        st.warning(str(exc))
        st.stop()
    if testing:
        with st.spinner("Asking the model for a few words..."):
            check = check_connection(candidate)
        if check.ok:
            st.success(f"Connected to {check.model}. {check.message}")
        else:
            st.warning(f"Could not use {check.model}: {check.message}")
    if saving:
        try:
            save_choice(records, current, choice)
        except CoachError as exc:
            st.warning(f"{exc} Your choice is still in the form above.")
            st.stop()
        st.session_state.model_saved = True
        st.rerun()

with st.expander("Password", expanded=False):
    try:
        protected = is_protected(records, current)
    except CoachError as exc:
        st.error(str(exc))
        st.stop()
    st.caption(
        "A password keeps other people who use this app out of this profile. Only a hash of "
        "it is kept; five wrong tries lock the profile for 15 minutes."
    )
    with st.form("password"):
        old = st.text_input("Current password", type="password") if protected else ""
        new = st.text_input("New password (at least 8 characters)", type="password")
        setting = st.form_submit_button("Change password" if protected else "Set password")
        removing = protected and st.form_submit_button("Remove password")
    if setting or removing:
        try:
            if removing:
                remove_password(records, current, old)
            else:
                set_password(records, current, new, current=old or None)
        except CoachError as exc:
            st.warning(str(exc))
        else:
            st.session_state.setdefault(UNLOCKED, set()).add(current)
            st.success("Password removed." if removing else "Password saved.")
