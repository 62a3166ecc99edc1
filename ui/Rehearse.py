"""Rehearse a dilemma with the coach: a chat page over coach/, nothing more."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

import streamlit as st
from parts.goal_panels import check_in_panel, plan_panel, review_panel
from parts.profile import active_settings, show_profile, visited
from parts.resources import load_provider, open_note_store

from coach.errors import CoachError
from coach.goals import GoalStore
from coach.goals.overview import Overview, overview
from coach.knowledge import SessionMode, stage_book
from coach.memory.recall import PendingNotes, SessionMemory
from coach.notes.editing import commitment_lines, edited_note
from coach.notes.markdown import note_markdown
from coach.prompts import render
from coach.records import open_records
from coach.session import CoachSession, Delta, Notice, Retract, TurnEvent, TurnResult, open_session
from coach.settings import Settings
from coach.text import markdown_literal

st.set_page_config(page_title="Rehearse · Mentoring coach", page_icon="💬")
SESSION_KEYS = (
    "coach",
    "coach_for",
    "shown",
    "draft",
    "saved_note",
    "error",
    "memory_off",
    "goals_off",
    "arc",
    "check_in_done",
    "plan_draft",
    "plan_saved",
    "review_draft",
    "review_saved",
)


MODES: dict[str, SessionMode] = {
    "Coaching": "coaching",
    "Goal setting": "goal_setting",
    "Review": "review",
}


def the_longer_arc(settings: Settings) -> Overview | None:
    """The mentee's plan and where it stands, or None if it cannot be read (said on the page)."""
    try:
        store = open_note_store(settings) if settings.memory else None
        return overview(GoalStore(open_records(settings), settings.user), store, date.today())
    except CoachError as exc:
        st.session_state.goals_off = str(exc)
        return None


def start_session(settings: Settings, mode: SessionMode, arc: Overview | None) -> CoachSession:
    provider = load_provider(settings)
    memory = None
    if settings.memory:
        try:
            store = open_note_store(settings)
            pending = PendingNotes(open_records(settings), settings.user)
            pending.flush(store)
            memory = SessionMemory(store, settings.user, settings.recall_threshold, pending)
        except CoachError as exc:
            st.session_state.memory_off = render("memory_off", problem=str(exc).rstrip("."))
    return open_session(provider, settings, mode=mode, memory=memory, arc=arc)


def read_ahead(coach: CoachSession) -> None:
    """Let the model read the conversation so far while the mentee types, so the next reply
    starts sooner (a background thread; a model that cannot do this ignores it)."""
    threading.Thread(target=coach.warm_up, name="coach-warm-up", daemon=True).start()


def forget_session() -> None:
    for key in SESSION_KEYS:
        st.session_state.pop(key, None)


def show_where_things_stand(arc: Overview) -> None:
    """The first screen's reminder: the next session, overdue items, a review that is due."""
    state = arc.status
    parts = []
    if state.next_session_due is not None:
        days = state.session_due_in_days or 0
        when = "today" if days == 0 else f"in {days} days" if days > 0 else f"{-days} days ago"
        parts.append(f"Next session due {state.next_session_due.isoformat()} ({when}).")
    if state.overdue:
        parts.append(
            f"{len(state.overdue)} overdue: "
            + "; ".join(markdown_literal(item.text) for item in state.overdue[:3])
            + "."
        )
    if state.review_due:
        parts.append("A review of your milestones is due.")
    if parts:
        (st.warning if state.overdue or state.review_due else st.info)(" ".join(parts))


came_back = visited("rehearse")
st.title("Rehearse a dilemma")
if "requested_mode" in st.session_state:  # from the Goals page
    requested = st.session_state.pop("requested_mode")
    st.session_state.mode_choice = next(label for label, m in MODES.items() if m == requested)
talking = (
    "coach" in st.session_state
    and st.session_state.coach.pending is None
    and any(r.role == "mentee" for r in st.session_state.coach.records)
)
choice = (
    st.segmented_control(
        "Kind of session",
        list(MODES),
        key="mode_choice",
        disabled=talking,
        help="Coaching works through one dilemma; goal setting finds your milestones; a review "
        "looks back at them.",
    )
    or "Coaching"
)
mode = MODES[choice]
try:
    settings = active_settings()
    wanted = (settings.user, settings.provider, settings.model, settings.base_url, mode)
    ended = came_back and "saved_note" in st.session_state
    if st.session_state.get("coach_for") != wanted or ended:  # a new profile, or a new visit
        forget_session()
        arc = the_longer_arc(settings)
        coach = start_session(settings, mode, arc)
        st.session_state.arc = arc
        st.session_state.coach = coach
        st.session_state.coach_for = wanted
        st.session_state.shown = [("assistant", coach.opening())]
        read_ahead(coach)  # the rules and examples, while the mentee types the first message
except CoachError as exc:
    st.error(str(exc))
    st.stop()

coach: CoachSession = st.session_state.coach
arc: Overview | None = st.session_state.arc
show_profile(settings)
if arc is not None:
    show_where_things_stand(arc)
elif "goals_off" in st.session_state:
    st.warning(st.session_state.goals_off)
stages = stage_book().arc(coach.mode)
st.markdown(
    " → ".join(f"**{s.name}**" if s.id == coach.stage else s.name for s in stages),
    help="Where the conversation is: the coach moves on when your words show you are ready.",
)
st.caption(f"Coach model: {coach.provider.describe()}")
if getattr(coach.provider, "adapter_problem", None):
    st.warning(coach.provider.adapter_problem)
if "memory_off" in st.session_state:
    st.info(st.session_state.memory_off)


def show(role: str, text: str) -> None:
    if role == "notice":
        st.info(text)
    elif role == "crisis":
        with st.chat_message("assistant", avatar="🛟"):
            st.error(text)
    elif role == "safety":  # the coach's safety question, and what follows the answer
        with st.chat_message("assistant", avatar="🛟"):
            st.markdown(markdown_literal(text))
    else:
        with st.chat_message(role):
            st.markdown(markdown_literal(text))


for role, text in st.session_state.shown:
    show(role, text)


def show_turn(events: Iterable[TurnEvent]) -> None:
    """Stream the coach's reply into the page, replacing it if the guard withdraws a draft."""
    with st.chat_message("assistant"):
        placeholder = st.empty()
        shown = ""
        for event in events:
            if isinstance(event, Notice):
                st.session_state.shown.append(("notice", event.text))
            elif isinstance(event, Delta):
                shown += event.text
                placeholder.markdown(markdown_literal(shown) + " ▌")
            elif isinstance(event, Retract):
                shown = ""
                placeholder.markdown("…")
            elif isinstance(event, TurnResult):
                finish_turn(event, placeholder)


def finish_turn(result: TurnResult, placeholder: st.delta_generator.DeltaGenerator) -> None:
    if result.error:
        placeholder.empty()
        st.session_state.error = result.error
        if result.unsaved is not None:  # not saved: keep it on the page to send again
            st.session_state.unsent = result.unsaved
            if st.session_state.shown and st.session_state.shown[-1] == ("user", result.unsaved):
                st.session_state.shown.pop()
        return
    st.session_state.pop("unsent", None)
    roles = {"crisis": "crisis", "check_in": "safety", "safety": "safety"}
    role = roles.get(result.outcome, "assistant")
    st.session_state.shown.append((role, result.reply or ""))
    st.session_state.pop("error", None)


if "unsent" in st.session_state and "error" in st.session_state:
    st.warning(st.session_state.error)
    unsent = st.text_area("Your message, not saved yet", st.session_state.unsent)
    if st.button("Send again"):
        st.session_state.unsent = unsent
        st.session_state.shown.append(("user", unsent))
        show("user", unsent)
        show_turn(coach.stream_turn(unsent))
        st.rerun()
elif coach.pending is not None and "error" in st.session_state:
    st.warning(st.session_state.error)
    if st.button("Try again"):
        show_turn(coach.retry())
        read_ahead(coach)
        st.rerun()

closed = "saved_note" in st.session_state
if message := st.chat_input(
    "This session has ended" if closed else "Describe your dilemma, or answer the coach",
    disabled=closed,
):
    st.session_state.shown.append(("user", message))
    show("user", message)
    show_turn(coach.stream_turn(message))
    read_ahead(coach)  # the reply just given, while the mentee types the next message
    st.rerun()


def remembered_panel() -> None:
    """What the coach brings from earlier sessions, each item with a way to leave it out."""
    if coach.memory is None:
        return
    notes, commitments = coach.remembered()
    with st.expander("What the coach remembers", expanded=bool(notes or commitments)):
        if not notes and not commitments:
            st.caption("Nothing from earlier sessions yet.")
        for commitment in commitments:
            due = f" (due {commitment.due.isoformat()})" if commitment.due else ""
            st.markdown(f"**Open commitment:** {markdown_literal(commitment.text)}{due}")
            if st.button("Hide from this session", key=f"hide-{commitment.id}"):
                coach.hide(commitment.id)
                st.rerun()
        for note in notes:
            st.markdown(f"**Note from {note.date.isoformat()}:** {markdown_literal(note.dilemma)}")
            if st.button("Hide from this session", key=f"hide-{note.session}"):
                coach.hide(note.session)
                st.rerun()


def note_panel() -> None:
    """End session: the draft note, which the mentee edits before it is kept."""
    if st.button("End session", disabled="draft" in st.session_state):
        with st.spinner("Writing the session note..."):
            st.session_state.draft = coach.draft_note()
    if "draft" not in st.session_state:
        return
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
                    if coach.memory is not None and coach.memory.lost is note:
                        st.warning(
                            "Neither memory nor the records database is answering, so the note "
                            "is not kept yet. It is still in the form: save it again in a moment."
                        )
                        st.stop()
                    st.session_state.saved_note = note
                    st.rerun()
    if st.button("Start a new session"):
        forget_session()
        st.rerun()


with st.sidebar:
    remembered_panel()
    if coach.mode == "goal_setting":
        plan_panel(coach)
    elif coach.mode == "review" and arc is not None:
        review_panel(coach, arc)
    else:
        note_panel()
        if arc is not None and arc.status.check_in_due and "saved_note" in st.session_state:
            check_in_panel(coach, arc)
