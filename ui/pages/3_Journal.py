"""Journal: past sessions on a timeline, commitments to track, export, and deleting everything."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import streamlit as st
from parts.profile import active_settings, show_profile, visited
from parts.resources import open_note_store

from coach.errors import CoachError
from coach.memory.account import delete_everything, export_text, history
from coach.notes.markdown import note_markdown
from coach.notes.models import CommitmentStatus
from coach.text import markdown_literal

st.set_page_config(page_title="Journal", page_icon="📓")
visited("journal")
st.title("Journal")


try:
    settings = active_settings()
    user = settings.user
    store = open_note_store(settings)
    notes = {note.session: note for note in store.notes(user)}
    commitments = store.commitments(user)
    sessions = list(reversed(history(settings, user)))
except CoachError as exc:
    st.warning(str(exc))
    st.stop()

show_profile(settings)


def count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


st.caption(f"{count(len(sessions), 'session')} · {count(len(commitments), 'commitment')}")

timeline, tracker, data = st.tabs(["Sessions", "Commitments", "Export or delete"])

with timeline:
    if not sessions:
        st.info("No sessions yet. Rehearse a dilemma, then end the session to keep a note.")
    else:
        labels = {}
        for item in sessions:
            note = notes.get(item["session"])
            title = markdown_literal(note.dilemma) if note else "(no note yet)"
            labels[f"{(item['started'] or '')[:16].replace('T', ' ')} · {title}"] = item
        picked = labels[st.radio("Sessions, newest first", list(labels), key="session")]
        note = notes.get(picked["session"])
        if note:
            st.markdown(note_markdown(note))
        with st.expander("Transcript", expanded=note is None):
            for turn in picked["turns"]:
                with st.chat_message("user" if turn["role"] == "mentee" else "assistant"):
                    st.text(turn["text"])

with tracker:
    if not commitments:
        st.info("No commitments yet.")
    statuses: tuple[CommitmentStatus, ...] = get_args(CommitmentStatus)
    for commitment in commitments:
        due = f" (due {commitment.due.isoformat()})" if commitment.due else ""
        chosen = st.selectbox(
            markdown_literal(commitment.text) + due,
            statuses,
            index=statuses.index(commitment.status),
            key=f"status-{commitment.id}",
        )
        if chosen != commitment.status:
            store.set_status(user, commitment.id, chosen)
            st.toast(f"Marked {chosen}.")
            st.rerun()
    if commitments:
        by_month: dict[str, Counter[str]] = {}
        for commitment in commitments:
            note = notes.get(commitment.session)
            month = note.date if note else commitment.due
            key = month.strftime("%Y-%m") if month else "undated"
            by_month.setdefault(key, Counter())[commitment.status] += 1
        st.subheader("Commitments kept over time")
        st.bar_chart(
            {status: [by_month[m][status] for m in sorted(by_month)] for status in statuses}
            | {"month": sorted(by_month)},
            x="month",
            y=list(statuses),
        )

with data:
    try:
        as_markdown = export_text(store, settings, user, "md")
        as_json = export_text(store, settings, user, "json")
    except CoachError as exc:
        st.warning(f"The export cannot be made just now: {exc}")
        st.stop()
    st.download_button(
        "Export as Markdown", as_markdown, file_name=f"{user}-notes.md", mime="text/markdown"
    )
    st.download_button(
        "Export everything as JSON",
        as_json,
        file_name=f"{user}-coach-data.json",
        mime="application/json",
    )
    st.divider()
    confirm = st.text_input(f"To delete all of {user}'s data, type the profile name")
    if st.button("Delete all my data", type="primary", disabled=confirm.strip() != user):
        try:
            delete_everything(store, settings, user)
        except CoachError as exc:
            st.error(f"Not everything could be deleted: {exc} Try again; nothing is kept twice.")
        else:
            st.success("Deleted every note, commitment and transcript of this profile.")
