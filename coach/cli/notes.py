"""``coach notes`` and ``coach history``: what the coach remembers, and every session's turns."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from coach.cli.flags import path_arg
from coach.cli.unlock import unlock
from coach.errors import CoachError
from coach.memory import NoteStore, get_embedder
from coach.memory.account import delete_everything, export_text, history
from coach.notes.markdown import note_markdown
from coach.settings import Settings, load_settings
from coach.users import check_user


def add_parsers(commands: Any) -> None:
    notes = commands.add_parser("notes", help="list, show, export or delete a user's notes")
    actions = notes.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in [("list", "one line per session note"), ("show", "one session's note")]:
        action = actions.add_parser(name, help=text)
        _user_flags(action)
        if name == "show":
            action.add_argument("session", help="the session id (see `coach notes list`)")
        action.set_defaults(run=run_list if name == "list" else run_show)
    export = actions.add_parser("export", help="everything remembered, as JSON or Markdown")
    _user_flags(export)
    export.add_argument("--format", choices=["json", "md"], default="json")
    export.add_argument("--out", type=path_arg, help="write to this file instead of stdout")
    export.set_defaults(run=run_export)
    delete = actions.add_parser(
        "delete", help="delete everything of the user's: notes, commitments, transcripts, vectors"
    )
    _user_flags(delete)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=run_delete)

    history = commands.add_parser("history", help="a user's sessions with their turns")
    _user_flags(history)
    history.set_defaults(run=run_history)


def _user_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="profile name (default: COACH_USER or 'default')")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _open(args: argparse.Namespace) -> tuple[NoteStore, str, Settings]:
    settings = load_settings(user=args.user)
    unlock(settings)
    return NoteStore.open(settings, get_embedder(settings)), check_user(settings.user), settings


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def run_list(args: argparse.Namespace) -> int:
    store, user, _ = _open(args)
    notes = store.notes(user)
    if args.json:
        _print_json([json.loads(n.model_dump_json()) for n in notes])
    if not notes and not args.json:
        print(f"No notes for {user} yet: end a session to keep one.", file=sys.stderr)
    for note in [] if args.json else notes:
        open_count = sum(1 for c in note.commitments if c.status == "open")
        print(f"{note.session}  {note.date}  {note.dilemma}  ({open_count} open commitments)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    store, user, _ = _open(args)
    note = store.note(user, args.session)
    if note is None:
        raise CoachError(f"{user} has no note for session {args.session}.")
    if args.json:
        _print_json(json.loads(note.model_dump_json()))
    else:
        print(note_markdown(note), end="")
    return 0


def run_export(args: argparse.Namespace) -> int:
    store, user, settings = _open(args)
    markdown = args.format == "md" and not args.json
    text = export_text(store, settings, user, "md" if markdown else "json")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}.", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    store, user, settings = _open(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CoachError(f"Deleting {user}'s data cannot be undone; add --yes to confirm.")
        answer = input(f"Delete every note, commitment and transcript of {user}'s? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("Nothing deleted.")
            return 1
    delete_everything(store, settings, user)
    print(f"Deleted all of {user}'s data.")
    return 0


def run_history(args: argparse.Namespace) -> int:
    settings = load_settings(user=args.user)
    unlock(settings)
    sessions = history(settings, check_user(settings.user))
    if args.json:
        _print_json(sessions)
        return 0
    if not sessions:
        print(f"No sessions for {settings.user} yet.", file=sys.stderr)
    for session in sessions:
        mentee_turns = sum(1 for t in session["turns"] if t["role"] == "mentee")
        print(f"{session['session']}  {session['started']}  {mentee_turns} mentee messages")
    return 0
