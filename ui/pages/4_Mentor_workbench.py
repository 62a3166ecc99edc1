"""Mentor workbench: critique a planned question, plan questions by stage, check a request."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.mentor import critique
from coach.mentor.lexicon import mentor_lexicon
from coach.mentor.plan import question_plan
from coach.mentor.request import critique_request

st.set_page_config(page_title="Mentor workbench", page_icon="🧭")
st.title("Mentor workbench")
st.caption("Draft better questions before a conversation: ask, don't tell.")

critique_tab, plan_tab, request_tab = st.tabs(
    ["Critique a question", "Plan questions", "Check a request for advice"]
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
