"""The end of a goal-setting or review session, and the check-in: drafts the mentee edits."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach.errors import CoachError
from coach.goals import GoalStore
from coach.goals.check_in import adjusted, check_in_record
from coach.goals.dates import parse_due
from coach.goals.drafts import MilestoneDraft, PlanDraft, StepDraft, draft_plan, draft_review
from coach.goals.overview import Overview
from coach.goals.prompting import wishes
from coach.knowledge import goal_rules
from coach.notes.due_dates import split_dated
from coach.prompts import render
from coach.records import open_records
from coach.session import CoachSession, keep_plan, keep_review


def _goals(coach: CoachSession) -> GoalStore:
    return GoalStore(open_records(coach.settings), coach.user)


def _step_lines(steps: list[StepDraft]) -> str:
    return "\n".join(s.text + (f" | {s.due.isoformat()}" if s.due else "") for s in steps)


def _steps(text: str) -> list[StepDraft]:
    steps = []
    for line in text.splitlines():
        if line.strip():
            words, due = split_dated(line)
            steps.append(StepDraft(text=words, due=parse_due(due, date.today())))
    return steps


def plan_panel(coach: CoachSession) -> None:
    """End a goal-setting session: the milestones in the mentee's words, edited, then saved."""
    if st.button("End and write my plan", disabled="plan_draft" in st.session_state):
        with st.spinner("Reading your milestones back..."):
            st.session_state.plan_draft = draft_plan(coach.provider, coach.records, date.today())
    draft: PlanDraft | None = st.session_state.get("plan_draft")
    if draft is None:
        return
    if st.session_state.get("plan_saved"):
        st.success("Your plan is saved. The Goals page shows it.")
        return
    cadences = goal_rules().cadences
    names = list(cadences)
    with st.form("edit-plan"):
        st.markdown("**Your milestones**, in your words. Leave a title empty to skip it.")
        edited = []
        for index in range(goal_rules().max_active_milestones):
            old = draft.milestones[index] if index < len(draft.milestones) else None
            title = st.text_input(f"Milestone {index + 1}", old.title if old else "")
            why = st.text_input("Why it matters", old.why if old else "", key=f"why-{index}")
            steps = st.text_area(
                "Steps, one per line (add ' | next Friday' for a date)",
                _step_lines(old.steps) if old else "",
                key=f"steps-{index}",
            )
            edited.append((title, why, steps))
        every = next((n for n, d in cadences.items() if d == draft.every_days), None)
        rhythm = st.selectbox("How often to meet", names, names.index(every) if every else 0)
        if st.form_submit_button("Save my plan"):
            try:
                milestones = [
                    MilestoneDraft(title=t.strip(), why=w, steps=_steps(s))
                    for t, w, s in edited
                    if t.strip()
                ]
                plan = PlanDraft(milestones=milestones, every_days=cadences[rhythm])
                keep_plan(coach, plan, date.today())
            except CoachError as exc:
                st.warning(str(exc))  # everything typed stays in the form
            else:
                st.session_state.plan_saved = True
                st.rerun()


def review_panel(coach: CoachSession, arc: Overview) -> None:
    """End a review: keep, change or drop each milestone, wins and lessons, then save."""
    if st.button("End and save the review", disabled="review_draft" in st.session_state):
        st.session_state.review_draft = draft_review(coach.records, arc.plan.active)
    draft = st.session_state.get("review_draft")
    if draft is None:
        return
    if st.session_state.get("review_saved"):
        st.success("Review saved, with a note of your updated plan.")
        return
    with st.form("edit-review"):
        decisions = {}
        for milestone in arc.plan.active:
            options = ["keep", "change", "drop"]
            decisions[milestone.id] = st.radio(
                milestone.title,
                options,
                options.index(draft.decisions.get(milestone.id, "keep")),
                horizontal=True,
                key=f"decide-{milestone.id}",
            )
        wins = st.text_area("Wins, one per line", "\n".join(draft.wins))
        lessons = st.text_area("What you learned, one per line", "\n".join(draft.lessons))
        if st.form_submit_button("Save review"):
            review = draft.model_copy(
                update={
                    "decisions": decisions,
                    "wins": [w.strip() for w in wins.splitlines() if w.strip()],
                    "lessons": [x.strip() for x in lessons.splitlines() if x.strip()],
                }
            )
            try:
                keep_review(coach, review, arc, date.today())
            except CoachError as exc:
                st.warning(str(exc))
            else:
                st.session_state.review_saved = True
                st.rerun()
    st.caption("Milestones marked 'change' can be reworded on the Goals page.")


def check_in_panel(coach: CoachSession, arc: Overview) -> None:
    """Every few sessions: is the coaching helping, and what should change?"""
    if st.session_state.get("check_in_done"):
        st.success(st.session_state.check_in_done)
        return
    with st.form("check-in"):
        answer = st.text_area(render("check_in"))
        if st.form_submit_button("Answer"):
            if not answer.strip():
                st.warning("Write a few words, or leave this for next time.")
                return
            preferences, changed = adjusted(arc.plan.preferences, answer)
            record = check_in_record(answer, coach.session_id, date.today(), changed)
            try:
                _goals(coach).record_check_in(record, preferences)
            except CoachError as exc:
                st.warning(str(exc))
                return
            now = wishes(preferences)
            st.session_state.check_in_done = (
                "Thank you. From now on the coach is told: " + "; ".join(now) + "."
                if now
                else "Thank you. Nothing changes; the Goals page lets you adjust this."
            )
            st.rerun()
