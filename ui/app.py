"""Rehearse a dilemma with the coach: a chat page over coach/, nothing more."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.providers import ChatProvider, get_provider
from coach.session import CoachSession, Delta, Notice, Retract, TurnResult
from coach.settings import Settings, load_settings

st.set_page_config(page_title="Mentoring coach", page_icon="💬")


@st.cache_resource(show_spinner=False)
def load_provider(_settings: Settings, settings_key: str) -> ChatProvider:
    """Load the model once per process and configuration, shared across browser sessions."""
    return get_provider(_settings)


def start_session() -> CoachSession | None:
    try:
        settings = load_settings()
        with st.spinner("Loading the coach's model..."):
            provider = load_provider(settings, settings.model_dump_json())
        return CoachSession(provider, settings, user=settings.user)
    except CoachError as exc:
        st.error(str(exc))
        return None


if "coach" not in st.session_state:
    session = start_session()
    if session is None:
        st.stop()
    st.session_state.coach = session
    st.session_state.shown = [("assistant", session.opening())]

coach: CoachSession = st.session_state.coach
st.title("Rehearse a dilemma")
st.caption(f"Coach model: {coach.provider.describe()}")

for role, text in st.session_state.shown:
    if role == "notice":
        st.info(text)
        continue
    with st.chat_message(role):
        st.markdown(text)


def show_turn(events: object) -> None:
    """Stream the coach's reply into the page, replacing it if the guard withdraws a draft."""
    with st.chat_message("assistant"):
        placeholder = st.empty()
        shown = ""
        for event in events:  # type: ignore[attr-defined]
            if isinstance(event, Notice):
                st.session_state.shown.append(("notice", event.text))
            elif isinstance(event, Delta):
                shown += event.text
                placeholder.markdown(shown + " ▌")
            elif isinstance(event, Retract):
                shown = ""
                placeholder.markdown("…")
            elif isinstance(event, TurnResult):
                if event.error:
                    placeholder.empty()
                    st.session_state.error = event.error
                else:
                    placeholder.markdown(event.reply or "")
                    st.session_state.shown.append(("assistant", event.reply or ""))
                    st.session_state.pop("error", None)


if coach.pending is not None and "error" in st.session_state:
    st.warning(st.session_state.error)
    if st.button("Try again"):
        show_turn(coach.retry())
        st.rerun()

if message := st.chat_input("Describe your dilemma, or answer the coach"):
    st.session_state.shown.append(("user", message))
    with st.chat_message("user"):
        st.markdown(message)
    show_turn(coach.stream_turn(message))
    st.rerun()
