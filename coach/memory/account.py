"""Everything kept for one user, as a whole: history, export, and deleting it all."""

from __future__ import annotations

import json
import shutil
from typing import Any, Literal

from sqlalchemy import delete

from coach.goals.errors import GoalProblem
from coach.goals.markdown import plan_markdown
from coach.goals.models import GoalPlan
from coach.goals.plan_store import GoalStore
from coach.memory.recall import PendingNotes
from coach.memory.store import NoteStore
from coach.notes.markdown import notes_markdown
from coach.profiles.password import is_protected
from coach.profiles.store import load_choice
from coach.records import Database, open_records
from coach.records.schema import profiles
from coach.settings import Settings
from coach.transcripts import TranscriptStore
from coach.users import check_user


def history(settings: Settings, user: str) -> list[dict[str, Any]]:
    """Every session of the user's, oldest first, with its turns as plain data."""
    transcripts = TranscriptStore(open_records(settings), user)
    sessions = []
    for session_id in transcripts.sessions():
        records = transcripts.load(session_id)
        sessions.append(
            {
                "session": session_id,
                "started": records[0].at if records else None,
                "turns": [json.loads(r.model_dump_json()) for r in records],
            }
        )
    return sessions


def export_text(
    store: NoteStore, settings: Settings, user: str, fmt: Literal["json", "md"] = "json"
) -> str:
    """Notes, commitments, the plan (milestones, reviews, check-ins) and, in JSON, every
    transcript, notes waiting for the store and the profile, ready to save as a file."""
    records = open_records(settings)
    plan = _plan(records, user)
    if fmt == "md":
        notes = notes_markdown(user, store.notes(user), store.commitments(user, "open"))
        shown = plan_markdown(plan) if isinstance(plan, GoalPlan) else f"## Plan\n\n{plan}\n"
        return notes + ("\n" + shown if shown else "")
    data = store.export(user)
    data["plan"] = json.loads(plan.model_dump_json()) if isinstance(plan, GoalPlan) else plan
    data["sessions"] = history(settings, user)
    waiting = PendingNotes(records, user).waiting()
    data["notes_waiting_for_the_store"] = [json.loads(n.model_dump_json()) for n in waiting]
    choice = load_choice(records, user)
    data["profile"] = {
        "model": json.loads(choice.model_dump_json()) if choice is not None else None,
        "password": "set" if is_protected(records, user) else None,
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _plan(records: Database, user: str) -> GoalPlan | str:
    """The plan, or, if it cannot be read, its stored text as it is."""
    goals = GoalStore(records, user)
    try:
        return goals.load()
    except GoalProblem:
        return goals.raw() or ""


def delete_everything(store: NoteStore, settings: Settings, user: str) -> None:
    """Remove the user's notes, commitments, vectors, transcripts, plan and profile, and any
    files kept from before the records database. Cannot be undone."""
    store.delete_user(user)
    with open_records(settings).write() as connection:
        connection.execute(delete(profiles).where(profiles.c.user_id == check_user(user)))
    shutil.rmtree(settings.data_dir / "users" / check_user(user), ignore_errors=True)
