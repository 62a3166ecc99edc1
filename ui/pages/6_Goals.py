"""Goals: milestones with progress, overdue items, the rhythm, reviews and the learning journal."""

from __future__ import annotations

from datetime import date
from typing import get_args

import streamlit as st
from parts.profile import active_settings, show_profile, visited
from parts.resources import open_note_store

from coach.errors import CoachError
from coach.goals import GoalStore, Preferences
from coach.goals.models import ItemStatus, MilestoneStatus
from coach.goals.overview import overview, record_today
from coach.goals.prompting import wishes
from coach.knowledge import goal_rules
from coach.notes.due_dates import split_dated
from coach.notes.journal import journal_entry
from coach.records import open_records
from coach.text import markdown_literal

st.set_page_config(page_title="Goals", page_icon="🎯")
visited("goals")
st.title("Goals")


def start(mode: str) -> None:
    """Open the Rehearse page on a new session of this kind."""
    st.session_state.requested_mode = mode
    st.switch_page("Rehearse.py")


try:
    settings = active_settings()
    store = open_note_store(settings)
    goals = GoalStore(open_records(settings), settings.user)
    seen = overview(goals, store, date.today())
    record_today(goals, seen)
    commitments = store.commitments(settings.user)
except CoachError as exc:
    st.warning(str(exc))
    st.stop()

show_profile(settings)
plan, state = seen.plan, seen.status
if "goal_message" in st.session_state:
    st.success(st.session_state.pop("goal_message"))

# Where things stand -----------------------------------------------------------------------------
if state.next_session_due is None:
    st.info("Choose a rhythm below, so the coach knows when your next session is due.")
elif (state.session_due_in_days or 0) < 0:
    st.warning(
        f"Your next session was due {state.next_session_due.isoformat()} "
        f"({-(state.session_due_in_days or 0)} days ago)."
    )
else:
    st.info(f"Next session due {state.next_session_due.isoformat()}.")
for item in state.overdue:
    where = f" · {markdown_literal(item.milestone)}" if item.milestone else ""
    st.error(
        f"**Overdue {item.kind}:** {markdown_literal(item.text)} (due "
        f"{item.due.isoformat()}, {item.days_overdue} days ago){where}"
    )
left, right = st.columns(2)
if left.button("Start a goal-setting session", width="stretch"):
    start("goal_setting")
review_label = "Start a review (due)" if state.review_due else "Start a review"
if right.button(
    review_label,
    width="stretch",
    disabled=not plan.active,
    type="primary" if state.review_due else "secondary",
):
    start("review")

milestones_tab, journal_tab, coaching_tab, history_tab = st.tabs(
    ["Milestones", "Learning journal", "How the coach works with you", "Reviews and progress"]
)

# Milestones -----------------------------------------------------------------------------------
with milestones_tab:
    progress = {p.id: p for p in state.milestones}
    linked = {c for m in plan.milestones for c in m.commitments}
    unlinked = [c for c in commitments if c.status == "open" and c.id not in linked]
    statuses = list(get_args(MilestoneStatus))
    shown = [m for m in plan.milestones if m.status in ("active", "paused")]
    if not shown:
        st.caption("No milestones yet. A goal-setting session helps you find them.")
    for milestone in shown:
        with st.container(border=True):
            st.markdown(f"### {markdown_literal(milestone.title)}")
            if milestone.why:
                st.caption(f"Why it matters: {markdown_literal(milestone.why)}")
            bar = progress.get(milestone.id)
            if bar is not None:
                st.progress(
                    bar.progress,
                    text=f"{bar.progress:.0%}: {bar.done} done, "
                    f"{bar.open} open, {bar.overdue} overdue",
                )
            for step in milestone.steps:
                late = step.status == "open" and step.due is not None and step.due < state.today
                due = f" (due {step.due.isoformat()})" if step.due else ""
                text = f"{markdown_literal(step.text)}{due}"
                cols = st.columns([4, 1])
                cols[0].markdown(f":red[**Overdue:** {text}]" if late else text)
                choices = list(get_args(ItemStatus))
                chosen = cols[1].selectbox(
                    "Status",
                    choices,
                    choices.index(step.status),
                    key=f"step-{step.id}",
                    label_visibility="collapsed",
                )
                if chosen != step.status:
                    goals.set_step_status(milestone.id, step.id, chosen)
                    st.rerun()
            for commitment in commitments:
                if commitment.id in milestone.commitments:
                    st.markdown(
                        f"Commitment: {markdown_literal(commitment.text)} ({commitment.status})"
                    )
            with st.form(f"step-{milestone.id}", clear_on_submit=False):
                text = st.text_input("A step you will take")
                due_text = st.text_input("By when (optional)", placeholder="next Friday")
                if st.form_submit_button("Add step"):
                    try:
                        goals.add_step(milestone.id, text, due_text)
                    except CoachError as exc:
                        st.warning(str(exc))  # the typed text stays in the form
                    else:
                        st.rerun()
            cols = st.columns(2)
            status = cols[0].selectbox(
                "Milestone status",
                statuses,
                statuses.index(milestone.status),
                key=f"status-{milestone.id}",
            )
            if status != milestone.status:
                try:
                    goals.update_milestone(milestone.id, status=status)
                except CoachError as exc:
                    st.warning(str(exc))
                else:
                    st.rerun()
            if unlinked:
                picked = cols[1].selectbox(
                    "Count a commitment towards this",
                    [None, *unlinked],
                    format_func=lambda c: "…" if c is None else c.text,
                    key=f"link-{milestone.id}",
                )
                if picked is not None:
                    goals.link_commitment(milestone.id, picked.id)
                    st.rerun()

    with st.form("add-milestone"):
        st.markdown("**Add a milestone**, in your own words")
        title = st.text_input("Milestone")
        why = st.text_input("Why it matters to you")
        steps = st.text_area("Steps, one per line (add ' | next Friday' for a date)")
        if st.form_submit_button("Add milestone"):
            pairs = []
            for line in steps.splitlines():
                if line.strip():
                    words, due = split_dated(line)
                    pairs.append((words, due or None))
            try:
                goals.add_milestone(title, why, pairs)
            except CoachError as exc:
                st.warning(str(exc))  # what was typed stays in the form
                full = len(plan.active) >= goal_rules().max_active_milestones
                st.session_state.offer_review = full
            else:
                st.session_state.goal_message = "Milestone added."
                st.rerun()
    if st.session_state.get("offer_review") and st.button("Review my three milestones"):
        st.session_state.pop("offer_review")
        start("review")

    cadences = goal_rules().cadences
    names = list(cadences)
    every = plan.cadence.every_days if plan.cadence else None
    current = next((name for name, days in cadences.items() if days == every), None)
    rhythm = st.selectbox(
        "How often you want to meet",
        names,
        names.index(current) if current else None,
        placeholder="Choose…",
    )
    if rhythm is not None and rhythm != current:
        goals.set_cadence(cadences[rhythm])
        st.rerun()

# Learning journal -----------------------------------------------------------------------------
with journal_tab:
    with st.form("journal"):
        entry = st.text_area("What are you learning? The coach can recall entries in sessions.")
        if st.form_submit_button("Add to journal"):
            try:
                store.add_note(settings.user, journal_entry(settings.user, entry, date.today()))
            except CoachError as exc:
                st.warning(str(exc))
            else:
                st.session_state.goal_message = "Added to your journal."
                st.rerun()
    for note in reversed([n for n in seen.notes if "journal" in n.flags]):
        st.markdown(f"**{note.date.isoformat()}** · {markdown_literal(note.dilemma)}")

# Preferences ------------------------------------------------------------------------------------
with coaching_tab:
    st.caption(
        "The coach asks every few sessions whether the coaching helps; your answer sets "
        "these. You can change them here at any time."
    )
    prefs = plan.preferences
    with st.form("preferences"):
        challenge_choices = ["gentler", "as is", "more"]
        challenge = st.radio(
            "Challenge",
            challenge_choices,
            challenge_choices.index(prefs.challenge),
            horizontal=True,
        )
        short = st.toggle("Shorter questions", prefs.question_length == "short")
        options = st.toggle("More time on options before choosing", prefs.more_time_on_options)
        if st.form_submit_button("Save"):
            chosen_prefs = {
                "challenge": challenge,
                "more_time_on_options": options,
                "question_length": "short" if short else "as is",
            }
            goals.set_preferences(Preferences.model_validate(chosen_prefs))
            st.rerun()
    said = wishes(prefs)
    st.markdown("The coach is told: " + ("; ".join(said) if said else "nothing extra") + ".")
    for check_in in reversed(plan.check_ins):
        changed = ", ".join(check_in.changed) or "no change"
        st.markdown(
            f"**{check_in.on.isoformat()}**: “{markdown_literal(check_in.answer)}” ({changed})"
        )

# Reviews and progress over time ---------------------------------------------------------------
with history_tab:
    if plan.history:
        import pandas as pd

        frame = pd.DataFrame([p.model_dump() for p in plan.history])
        chart = frame.pivot_table(index="on", columns="title", values="progress", aggfunc="last")
        st.line_chart(chart, y_label="progress", x_label="date")
    if not plan.reviews:
        st.caption("No reviews yet.")
    titles = {m.id: m.title for m in plan.milestones}
    for review in reversed(plan.reviews):
        with st.expander(f"Review of {review.on.isoformat()}"):
            for mid, decision in review.decisions.items():
                st.markdown(f"- {decision.capitalize()}: {markdown_literal(titles.get(mid, mid))}")
            for win in review.wins:
                st.markdown(f"Win: {markdown_literal(win)}")
            for lesson in review.lessons:
                st.markdown(f"Learned: {markdown_literal(lesson)}")
