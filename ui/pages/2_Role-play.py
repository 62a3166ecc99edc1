"""Role-play: rehearse a hard conversation against a simulated counterpart, then a debrief."""

from __future__ import annotations

from collections.abc import Iterator

import streamlit as st
from parts.profile import active_settings, show_profile, visited
from parts.resources import load_provider

from coach.errors import CoachError
from coach.roleplay import Rehearsal, debrief, roleplay_book
from coach.safety import crisis_message
from coach.text import markdown_literal

st.set_page_config(page_title="Role-play · Mentoring coach", page_icon="🎭")
visited("role-play")
st.title("Role-play a hard conversation")

try:
    settings = active_settings()
except CoachError as exc:
    st.error(str(exc))
    st.stop()
show_profile(settings)

book = roleplay_book()
play: Rehearsal | None = st.session_state.get("rehearsal")

if play is None:
    st.caption("Practise the words before the real conversation. Afterwards, a few questions.")
    titles = {scenario.title: scenario for scenario in book.scenarios}
    scenario = titles[st.radio("Which conversation?", list(titles))]
    person = scenario.counterpart
    st.markdown(f"**Your goal:** {scenario.goal}\n\n**{person.name}** is {person.role}.")
    if st.button("Start", type="primary"):
        try:
            st.session_state.rehearsal = Rehearsal(scenario, load_provider(settings))
        except CoachError as exc:
            st.error(str(exc))
            st.stop()
        st.rerun()
    st.stop()

person = play.scenario.counterpart
st.caption(f"{play.scenario.title}: {play.scenario.goal}")


def bubble(role: str) -> st.delta_generator.DeltaGenerator:
    if role in ("mentee", "withheld"):  # a paused message stays on the page
        return st.chat_message("user")
    return st.chat_message("assistant", avatar="🗣️")


def show(role: str, text: str) -> None:
    with bubble(role):
        st.markdown(markdown_literal(text))


for role, text in play.turns:
    show(role, text)


def stream_reply(events: Iterator[str]) -> None:
    with bubble("counterpart"):
        placeholder = st.empty()
        shown = ""
        try:
            for piece in events:
                shown += piece
                placeholder.markdown(markdown_literal(shown) + " ▌")
        except CoachError as exc:
            placeholder.empty()
            st.session_state.rehearsal_error = str(exc)
        else:
            st.session_state.pop("rehearsal_error", None)


if play.stopped_for_safety:
    st.error(crisis_message(settings.crisis_message_file))
elif play.safety_question is not None:
    with st.chat_message("assistant", avatar="🛟"):
        st.markdown(markdown_literal(play.safety_question))
    safe, support = st.columns(2)
    if safe.button("No, I'm safe: carry on the rehearsal"):
        play.carry_on()
        st.rerun()
    if support.button("Yes, or I'm not sure: show me support"):
        play.stop_for_safety()
        st.rerun()
elif "debrief" not in st.session_state:
    if "rehearsal_error" in st.session_state:
        st.warning(st.session_state.rehearsal_error)
        if st.button("Try again"):
            stream_reply(play.retry())
            st.rerun()
    if message := st.chat_input(f"What do you say to {person.name}?"):
        show("mentee", message)
        stream_reply(play.answer(message))
        st.rerun()
    if play.said and st.button("Finish and debrief"):
        st.session_state.debrief = debrief(play.scenario, play.said)
        st.rerun()

if "debrief" in st.session_state:
    st.subheader("Debrief")
    st.caption("No verdicts: a few questions about what you said, to think over.")
    for question in st.session_state.debrief:
        st.markdown(f"- {markdown_literal(question)}")

if st.button("Choose another conversation"):
    for key in ("rehearsal", "debrief", "rehearsal_error"):
        st.session_state.pop(key, None)
    st.rerun()
