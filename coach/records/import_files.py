"""``coach migrate-files``: bring the files of earlier versions into the records database.

Each user's folder is imported in one transaction, so a failure leaves that user's records as
they were. Running it again adds nothing twice: a message already there (by its id), a plan,
model choice, password or pending note the database already holds is kept as it is (it may
have changed since). Afterwards every count is read back from the database and compared with
the files. The files stay where they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select, update

from coach.records.database import Database
from coach.records.legacy import UserFiles, read_user, user_folders
from coach.records.schema import pending_notes, plans, profiles, transcript_records
from coach.records.statements import ensure_profile
from coach.transcripts import insert_record


@dataclass
class Imported:
    """What one user's import did, and whether the database now holds everything."""

    user: str
    messages: int = 0  # distinct messages in the files
    messages_added: int = 0
    messages_found: int = 0  # of the files' messages, how many the database holds afterwards
    kept: dict[str, str] = field(default_factory=dict)  # plan/choice/password -> what happened
    pending: int = 0
    pending_found: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return (
            self.messages_found == self.messages
            and self.pending_found == self.pending
            and "missing" not in self.kept.values()
        )

    def line(self) -> str:
        parts = [
            f"{self.messages_found} of {self.messages} messages ({self.messages_added} added)",
            *(f"{what} {how}" for what, how in self.kept.items()),
            f"{self.pending_found} of {self.pending} notes waiting for the store",
        ]
        state = "verified" if self.verified else "NOT verified"
        return f"{self.user}: " + ", ".join(parts) + f": {state}"


def import_files(records: Database, data_dir: Path, only: str | None = None) -> list[Imported]:
    """Import every user's folder (or only one user's), then verify each."""
    results = []
    for folder in user_folders(data_dir):
        if only is not None and folder.name != only:
            continue
        files = read_user(folder)
        with records.write() as connection:
            result = _import(connection, files)
        _verify(records, files, result)
        results.append(result)
    return results


def _import(connection: Connection, files: UserFiles) -> Imported:
    user = files.user
    result = Imported(user=user, problems=list(files.problems))
    ensure_profile(connection, user)
    for session_id, messages in files.sessions.items():
        have = _message_ids(connection, user, session_id)
        for record in messages:
            if record.id in have:
                continue
            have.add(record.id)
            insert_record(connection, user, session_id, record)
            result.messages_added += 1
    if files.plan is not None:
        stored = connection.execute(select(plans.c.body).where(plans.c.user_id == user)).scalar()
        if stored is None:
            connection.execute(
                plans.insert().values(user_id=user, body=files.plan, updated_at=func.now())
            )
            result.kept["plan"] = "added"
        else:
            result.kept["plan"] = "already there" if stored == files.plan else "newer kept"
    profile = connection.execute(select(profiles).where(profiles.c.user_id == user)).one()
    if files.choice is not None:
        result.kept["model choice"] = _set_once(
            connection, user, profile.model_choice, files.choice, {"model_choice": files.choice}
        )
    if files.password is not None:
        lock = files.password
        values = {
            "password_hash": lock.hash,
            "password_failures": lock.failures,
            "locked_until": lock.locked_until,
        }
        result.kept["password"] = _set_once(
            connection, user, profile.password_hash, lock.hash, values
        )
    for session_id, body in files.pending.items():
        found = connection.execute(
            select(pending_notes.c.session_id).where(
                pending_notes.c.user_id == user, pending_notes.c.session_id == session_id
            )
        ).first()
        if found is None:
            connection.execute(
                pending_notes.insert().values(
                    user_id=user, session_id=session_id, body=body, kept_at=func.now()
                )
            )
    return result


def _message_ids(connection: Connection, user: str, session_id: str) -> set[str]:
    """The ids of the messages the database holds for one of the user's sessions."""
    query = select(transcript_records.c.record_id).where(
        transcript_records.c.user_id == user, transcript_records.c.session_id == session_id
    )
    return set(connection.execute(query).scalars())


def _set_once(
    connection: Connection, user: str, stored: str | None, wanted: str, values: dict[str, object]
) -> str:
    if stored is None:
        connection.execute(update(profiles).where(profiles.c.user_id == user).values(**values))
        return "added"
    return "already there" if stored == wanted else "newer kept"


def _verify(records: Database, files: UserFiles, result: Imported) -> None:
    """Read back what the files hold, count by count."""
    user = files.user
    with records.read() as connection:
        for session_id, messages in files.sessions.items():
            ids = {record.id for record in messages}
            result.messages += len(ids)
            result.messages_found += len(ids & _message_ids(connection, user, session_id))
        result.pending = len(files.pending)
        result.pending_found = len(
            set(files.pending)
            & set(
                connection.execute(
                    select(pending_notes.c.session_id).where(pending_notes.c.user_id == user)
                ).scalars()
            )
        )
        profile = connection.execute(select(profiles).where(profiles.c.user_id == user)).one()
        plan = connection.execute(select(plans.c.body).where(plans.c.user_id == user)).scalar()
    for what, wanted, held in (
        ("plan", files.plan, plan),
        ("model choice", files.choice, profile.model_choice),
        ("password", files.password, profile.password_hash),
    ):
        if wanted is not None and held is None:
            result.kept[what] = "missing"
