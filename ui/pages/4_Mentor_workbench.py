"""Mentor workbench: critique a planned question, plan questions by stage, check a request."""

from __future__ import annotations

import streamlit as st
from parts.profile import active_settings, visited
from parts.resources import load_provider

from coach.errors import CoachError
from coach.evals.scenario import load_scenarios
from coach.mentor import critique
from coach.mentor.lexicon import mentor_lexicon
from coach.mentor.plan import question_plan
from coach.mentor.practice import PracticeMentee, Scorecard, scorecard
from coach.mentor.request import critique_request
from coach.paths import SCENARIOS_DIR
from coach.text import markdown_literal

st.set_page_config(page_title="Mentor workbench", page_icon="🧭")
visited("workbench")
st.title("Mentor workbench")
st.caption("Draft better questions before a conversation: ask, don't tell.")

critique_tab, plan_tab, request_tab, practice_tab = st.tabs(
    ["Critique a question", "Plan questions", "Check a request for advice", "Practise"]
)

with critique_tab, st.form("critique"):
    question = st.text_area("The question you plan to ask", max_chars=2000)
    situation = st.text_input("The mentee's situation (optional)")
    if st.form_submit_button("Critique"):
        try:
            result = critique(question, situation or None)
        except CoachError as exc:
            st.warning(str(exc))
        else:
            if result.good:
                st.success(mentor_lexicon().good)
            for finding in result.findings:
                st.markdown(f"**{finding.kind}**: {finding.explanation}")
            st.markdown("**Try instead:**" if result.findings else "**Other ways to ask it:**")
            for rewrite in result.rewrites:
                st.text(rewrite)

with plan_tab, st.form("plan"):
    plan_situation = st.text_area("The mentee's situation, in their words", max_chars=2000)
    if st.form_submit_button("Build a plan"):
        try:
            plan = question_plan(plan_situation)
        except CoachError as exc:
            st.warning(str(exc))
        else:
            for stage in plan.stages:
                st.subheader(stage.name)
                st.caption(stage.purpose)
                for planned in stage.questions:
                    st.text(planned)

with request_tab, st.form("request"):
    draft = st.text_area("The message the mentee plans to send", max_chars=4000)
    if st.form_submit_button("Check"):
        try:
            checked = critique_request(draft)
        except CoachError as exc:
            st.warning(str(exc))
        else:
            for finding in checked.findings:
                if finding.met:
                    st.success(f"{finding.quality.capitalize()}: yes")
                else:
                    st.warning(f"{finding.quality.capitalize()}: not yet. {finding.advice}")
            st.markdown("**A tighter version:**")
            st.text(checked.tighter)


def share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def show_scorecard(card: Scorecard) -> None:
    st.subheader("Scorecard")
    left, middle, right = st.columns(3)
    left.metric("Open questions, of your questions", share(card.open_question_share))
    ratio = card.reflection_to_question
    middle.metric("Reflections per question", "–" if ratio is None else f"{ratio:.2f}")
    right.metric("Mentee's share of the talking", share(card.mentee_talk_share))
    left.metric("Turns with advice", card.advice_turns)
    middle.metric("Turns with stacked questions", card.stacked_turns)
    right.metric("Your turns", card.turns)
    if card.worst:
        st.markdown(
            f"**Your weakest turn** ({', '.join(card.worst.problems)}): "
            f"{markdown_literal(card.worst.mentor)}"
        )
        st.markdown(f"**A better one:** {markdown_literal(card.worst.better)}")


with practice_tab:
    st.caption("You play the mentor; a mentee from the eval scenarios answers. Ask, don't tell.")
    practice: PracticeMentee | None = st.session_state.get("practice")
    if practice is None:
        scenarios = {s.id: s for s in load_scenarios(SCENARIOS_DIR)}
        picked = st.selectbox(
            "Mentee", list(scenarios), format_func=lambda i: f"{scenarios[i].persona} ({i})"
        )
        if scenarios[picked].simulated is not None:
            st.caption("This mentee is played by the profile's model, so answers vary.")
        if st.button("Start practising"):
            try:
                simulated = scenarios[picked].simulated is not None
                provider = load_provider(active_settings()) if simulated else None
                st.session_state.practice = PracticeMentee(scenarios[picked], provider)
            except CoachError as exc:
                st.warning(str(exc))
            else:
                st.rerun()
    else:
        for mentee_said, mentor_said in practice.exchanges:
            st.chat_message("user").markdown(markdown_literal(mentee_said))
            st.chat_message("assistant", avatar="🧭").markdown(markdown_literal(mentor_said))
        done = practice.finished or "scorecard" in st.session_state
        if not done:
            st.chat_message("user").markdown(markdown_literal(practice.current))
            with st.form("practice-turn", clear_on_submit=True):
                turn = st.text_area("Your reply as the mentor", max_chars=2000)
                if st.form_submit_button("Send"):
                    if not turn.strip():
                        st.warning("Type your reply first.")
                    else:
                        try:
                            with st.spinner("The mentee is thinking..."):
                                practice.reply(turn)
                        except CoachError as exc:
                            st.warning(f"{exc} Your turn is kept; press Finish and score.")
                        else:
                            st.rerun()
        if practice.exchanges and (done or st.button("Finish and score")):
            card = scorecard(practice.scenario, practice.exchanges)
            st.session_state.scorecard = card
            show_scorecard(card)
        if st.button("Practise with another mentee"):
            st.session_state.pop("practice", None)
            st.session_state.pop("scorecard", None)
            st.rerun()
