"""Rehearse a dilemma with the coach: a chat page over coach/, nothing more."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.knowledge import stage_book
from coach.memory import NoteStore, get_embedder
from coach.memory.recall import SessionMemory
from coach.notes.editing import commitment_lines, edited_note
from coach.notes.markdown import note_markdown
from coach.prompts import render
from coach.providers import ChatProvider, get_provider
from coach.session import CoachSession, Delta, Notice, Retract, TurnResult
from coach.settings import Settings, load_settings
from coach.users import check_user

st.set_page_config(page_title="Mentoring coach", page_icon="💬")


@st.cache_resource(show_spinner=False)
def load_provider(_settings: Settings, settings_key: str) -> ChatProvider:
    """Load the model once per process and configuration, shared across browser sessions."""
    return get_provider(_settings)


@st.cache_resource(show_spinner=False)
def load_memory_store(_settings: Settings, settings_key: str) -> NoteStore:
    """Open the note store once per process; its embedder loads in the background."""
    return NoteStore.open(_settings, get_embedder(_settings))


def start_session() -> CoachSession | None:
    try:
        settings = load_settings()
        with st.spinner("Loading the coach's model..."):
            provider = load_provider(settings, settings.model_dump_json())
        memory = None
        if settings.memory:
            try:
                store = load_memory_store(settings, settings.model_dump_json())
                memory = SessionMemory(store, check_user(settings.user), settings.recall_threshold)
            except CoachError as exc:
                st.session_state.memory_off = render("memory_off", problem=str(exc).rstrip("."))
        return CoachSession(provider, settings, user=settings.user, memory=memory)
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
stages = stage_book().stages
st.markdown(
    " → ".join(f"**{s.name}**" if s.id == coach.stage else s.name for s in stages),
    help="Where the conversation is: the coach moves on when your words show you are ready.",
)
st.caption(f"Coach model: {coach.provider.describe()}")
if "memory_off" in st.session_state:
    st.info(st.session_state.memory_off)

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

with st.sidebar:
    if st.button("End session", disabled="draft" in st.session_state):
        with st.spinner("Writing the session note..."):
            st.session_state.draft = coach.draft_note()
    if "draft" in st.session_state:
        draft = st.session_state.draft
        if draft is None:
            st.markdown("Nothing to note yet.")
        elif "saved_note" in st.session_state:
            st.markdown(note_markdown(st.session_state.saved_note))
            st.success("Saved. Next time, the coach will ask how it went.")
        else:
            with st.form("edit-note"):
                st.markdown("**Your note.** Edit it, then save it.")
                dilemma = st.text_input("Dilemma", draft.dilemma)
                insights = st.text_area("Insights, one per line", "\n".join(draft.insights))
                commitments = st.text_area(
                    "Commitments, one per line (add ' | due 2026-12-01' for a date)",
                    commitment_lines(draft),
                )
                questions = st.text_area(
                    "Open questions, one per line", "\n".join(draft.open_questions)
                )
                if st.form_submit_button("Save note"):
                    try:
                        note = edited_note(draft, dilemma, insights, commitments, questions)
                    except CoachError as exc:
                        st.warning(str(exc))
                    else:
                        coach.keep_note(note)
                        st.session_state.saved_note = note
                        st.rerun()
