"""Everything kept for one user, as a whole: history, export, and deleting it all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Literal

from coach.goals.errors import GoalProblem
from coach.goals.markdown import plan_markdown
from coach.goals.models import GoalPlan
from coach.goals.plan_store import GoalStore
from coach.memory.store import NoteStore
from coach.notes.markdown import notes_markdown
from coach.transcripts import TranscriptStore
from coach.users import user_dir


def history(data_dir: Path, user: str) -> list[dict[str, Any]]:
    """Every session of the user's, oldest first, with its turns as plain data."""
    transcripts = TranscriptStore(data_dir, user)
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
    store: NoteStore, data_dir: Path, user: str, fmt: Literal["json", "md"] = "json"
) -> str:
    """Notes, commitments, the plan (milestones, reviews, check-ins) and, in JSON, every
    transcript, notes waiting for the store and the profile, ready to save as a file."""
    plan = _plan(data_dir, user)
    if fmt == "md":
        notes = notes_markdown(user, store.notes(user), store.commitments(user, "open"))
        shown = plan_markdown(plan) if isinstance(plan, GoalPlan) else f"## Plan\n\n{plan}\n"
        return notes + ("\n" + shown if shown else "")
    data = store.export(user)
    data["plan"] = json.loads(plan.model_dump_json()) if isinstance(plan, GoalPlan) else plan
    data["sessions"] = history(data_dir, user)
    folder = user_dir(data_dir, user)
    pending = sorted((folder / "pending-notes").glob("*.json"))
    data["notes_waiting_for_the_store"] = [json.loads(p.read_text("utf-8")) for p in pending]
    choice = folder / "model.json"
    data["profile"] = {
        "model": json.loads(choice.read_text("utf-8")) if choice.is_file() else None,
        "password": "set" if (folder / "password.json").is_file() else None,
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _plan(data_dir: Path, user: str) -> GoalPlan | str:
    """The plan, or, if its file cannot be read, that file's text as it is."""
    goals = GoalStore(data_dir, user)
    try:
        return goals.load()
    except GoalProblem:
        return goals.path.read_text(encoding="utf-8", errors="replace")


def delete_everything(store: NoteStore, data_dir: Path, user: str) -> None:
    """Remove the user's notes, commitments, vectors and transcripts. Cannot be undone."""
    store.delete_user(user)
    shutil.rmtree(user_dir(data_dir, user), ignore_errors=True)
