"""``coach chat``: a coaching session in the terminal, or over a pipe one line per message."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from coach.cli.flags import add_model_flags
from coach.cli.unlock import unlock
from coach.errors import CoachError
from coach.goals import GoalStore
from coach.goals.check_in import adjusted, check_in_record
from coach.goals.drafts import draft_plan, draft_review
from coach.goals.overview import MODES, overview
from coach.memory.recall import open_session_memory
from coach.notes.markdown import note_markdown
from coach.prompts import render
from coach.providers import get_provider
from coach.records import open_records
from coach.session import (
    CoachSession,
    Delta,
    Notice,
    Retract,
    TurnResult,
    keep_plan,
    keep_review,
    open_session,
)
from coach.settings import load_settings
from coach.users import check_user

END_WORDS = {"/quit", "/exit", "/end"}
RETRY_WORD = "/retry"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "chat",
        help="talk a dilemma through with the coach",
        description=(
            "Talk a dilemma through with the coach. In a terminal, type a message and press "
            "Enter; /quit or Ctrl-D ends the session, and /retry asks again for a reply that "
            "failed (the message is always saved). When input is piped, each line is one "
            "mentee message; the coach's opening and each reply are printed on their own line. "
            "When the session ends, its note is saved, and the next session follows up on "
            "what the mentee committed to."
        ),
    )
    add_model_flags(parser)
    parser.add_argument("--user", help="profile name (default: COACH_USER or 'default')")
    parser.add_argument("--session", help="resume the session with this id")
    parser.add_argument(
        "--mode",
        choices=list(MODES),
        default="coaching",
        help="coaching (one dilemma), goal-setting (find your milestones) or "
        "review (look back at them); goal-setting and review save the plan "
        "they arrive at",
    )
    parser.set_defaults(run=run)


def _stdin_lines() -> Iterator[str]:
    """Lines from stdin as text; invalid UTF-8 is replaced, never fatal."""
    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    for line in stream:
        yield line.rstrip("\n")


def _interactive_lines() -> Iterator[str]:
    while True:
        try:
            yield input("you> ")
        except EOFError:
            print()
            return


def run(args: argparse.Namespace) -> int:
    settings = load_settings(
        provider=args.provider, model=args.model, base_url=args.base_url, user=args.user
    )
    unlock(settings)
    interactive = sys.stdin.isatty()
    if interactive and settings.provider == "local":
        print("Loading the embedded model...", file=sys.stderr, flush=True)
    provider = get_provider(settings)
    if getattr(provider, "adapter_problem", None):
        print(f"[{provider.adapter_problem}]", file=sys.stderr)  # type: ignore[attr-defined]
    memory, memory_off = open_session_memory(settings, check_user(settings.user))
    if memory_off:
        print(f"[{memory_off}]", file=sys.stderr)
    mode = MODES[args.mode]
    goals = GoalStore(open_records(settings), check_user(settings.user))
    arc = overview(goals, memory.store if memory else None, date.today())
    session = open_session(
        provider, settings, mode=mode, memory=memory, arc=arc, session_id=args.session
    )
    print(("coach> " if interactive else "") + session.opening(), flush=True)
    if session.pending is not None:  # resumed after a reply that failed: answer it first
        print("[Answering your last message, which was saved without a reply.]", file=sys.stderr)
        _answer(session, session.retry(), interactive)
    lines = _interactive_lines() if interactive else _stdin_lines()
    for line in lines:
        if line.strip().lower() in END_WORDS:
            break
        if line.strip().lower() == RETRY_WORD:
            _answer(session, session.retry(), interactive)
            continue
        _answer(session, session.stream_turn(line), interactive)
    if session.mode == "goal_setting":
        _save_plan(session, goals)
        return 0
    if session.mode == "review":
        review = draft_review(session.records, arc.plan.active)
        keep_review(session, review, arc, date.today())
        print(
            f"Review saved for {session.user}: "
            + "; ".join(f"{review.decisions[m.id]} {m.title!r}" for m in arc.plan.active)
            + ".",
            file=sys.stderr,
        )
        return 0
    note = session.close()
    saved = " with its note" if note and memory and memory.available else ""
    print(f"Session {session.session_id} saved for {session.user}{saved}.", file=sys.stderr)
    if note is not None and memory is not None and memory.lost is note:
        print(
            "The note could not be kept (memory and the records database are not answering):",
            file=sys.stderr,
        )
        print(note_markdown(note), file=sys.stderr)
    if interactive and arc.status.check_in_due:
        _check_in(session, goals)
    return 1 if session.pending is not None else 0  # a message was left without a reply


def _save_plan(session: CoachSession, goals: GoalStore) -> None:
    draft = draft_plan(session.provider, session.records, date.today())
    if not draft.milestones:
        print("No milestones were named; `coach goals add` adds one.", file=sys.stderr)
        return
    try:
        added = keep_plan(session, draft, date.today())
    except CoachError as exc:
        print(f"The plan was not saved: {exc}", file=sys.stderr)
        return
    for milestone in added:
        print(
            f"Milestone {milestone.id}: {milestone.title} ({len(milestone.steps)} steps)",
            file=sys.stderr,
        )
    print("Edit it with `coach goals update` or on the Goals page.", file=sys.stderr)


def _check_in(session: CoachSession, goals: GoalStore) -> None:
    print("coach> " + render("check_in"), flush=True)
    try:
        answer = input("you> ")
    except EOFError:
        return
    if not answer.strip():
        return
    preferences, changed = adjusted(goals.load().preferences, answer)
    goals.record_check_in(
        check_in_record(answer, session.session_id, date.today(), changed), preferences
    )
    print(
        "[" + ("Noted: " + "; ".join(changed) if changed else "Thank you.") + "]", file=sys.stderr
    )


def _answer(session: CoachSession, events: Iterator[Any], interactive: bool) -> None:
    """Print one turn; after a failed reply, say how to get it answered."""
    _print_turn(events, interactive)
    if session.pending is None:
        return
    again = "type /retry to try again, or " if interactive else ""
    print(
        f"[Your message is saved: {again}resume with `coach chat --session {session.session_id}`.]",
        file=sys.stderr,
    )


def _print_turn(events: Iterator[Any], interactive: bool) -> None:
    if interactive:
        print("coach> ", end="", flush=True)
    for event in events:
        if isinstance(event, Notice):
            print(f"[{event.text}]", file=sys.stderr)
        elif isinstance(event, Delta) and interactive:
            print(event.text, end="", flush=True)
        elif isinstance(event, Retract) and interactive:
            print("\ncoach> ", end="", flush=True)
        elif isinstance(event, TurnResult):
            if event.error:
                print(("\n" if interactive else "") + event.error, flush=True)
                if event.unsaved is not None:
                    print(f"Not saved: {event.unsaved}", flush=True)
            elif interactive:
                print(flush=True)
            else:
                print(" ".join((event.reply or "").split()), flush=True)
