"""Reading the files earlier versions kept under ``COACH_DATA_DIR/users/<name>/``.

- ``sessions/<id>.jsonl``: a transcript, one record per line (a line a crash cut short is left
  out);
- ``goals.json``: the plan; ``model.json``: the model choice; ``password.json``: the password
  hash and lockout;
- ``pending-notes/<session>.json``: notes that had not reached the note store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from coach.errors import ConfigError
from coach.transcripts import TranscriptRecord, check_session_id
from coach.users import check_user


class PasswordLock(BaseModel):
    hash: str
    failures: int = 0
    locked_until: float = 0.0


@dataclass
class UserFiles:
    """What one user's folder holds, read and checked; ``problems`` names what could not be."""

    user: str
    sessions: dict[str, list[TranscriptRecord]] = field(default_factory=dict)
    plan: str | None = None  # JSON, as the plan store keeps it
    choice: str | None = None
    password: PasswordLock | None = None
    pending: dict[str, str] = field(default_factory=dict)  # session id -> note JSON
    problems: list[str] = field(default_factory=list)


def user_folders(data_dir: Path) -> list[Path]:
    """The users' folders under ``data_dir`` whose names are profile names."""
    folder = data_dir / "users"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        try:
            check_user(path.name)
        except ConfigError:
            continue
        if path.is_dir():
            found.append(path)
    return found


def read_transcript(path: Path) -> list[TranscriptRecord]:
    """Every record of a JSON Lines transcript that was completely written, in order."""
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            records.append(TranscriptRecord.model_validate(json.loads(line)))
        except (ValueError, ValidationError):
            continue  # a line cut short by a crash
    return records


def read_user(folder: Path) -> UserFiles:
    from coach.goals.models import GoalPlan
    from coach.notes.models import SessionNote
    from coach.profiles.store import ModelChoice

    found = UserFiles(user=folder.name)
    transcripts = sorted((folder / "sessions").glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    for path in transcripts:
        try:
            found.sessions[check_session_id(path.stem)] = read_transcript(path)
        except (ConfigError, OSError) as exc:
            found.problems.append(f"{path}: {exc}")
    for name, model in (("goals.json", GoalPlan), ("model.json", ModelChoice)):
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = model.model_validate_json(path.read_text(encoding="utf-8")).model_dump_json()
        except (OSError, ValidationError, UnicodeDecodeError) as exc:
            found.problems.append(f"{path} cannot be read: {str(exc).splitlines()[0]}")
            continue
        if name == "goals.json":
            found.plan = text
        else:
            found.choice = text
    password = folder / "password.json"
    if password.is_file():
        try:
            found.password = PasswordLock.model_validate_json(password.read_text("utf-8"))
        except (OSError, ValidationError, UnicodeDecodeError) as exc:
            found.problems.append(f"{password} cannot be read: {str(exc).splitlines()[0]}")
    for path in sorted((folder / "pending-notes").glob("*.json")):
        try:
            note = SessionNote.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError, UnicodeDecodeError) as exc:
            found.problems.append(f"{path} cannot be read: {str(exc).splitlines()[0]}")
            continue
        found.pending[note.session] = note.model_dump_json()
    return found
