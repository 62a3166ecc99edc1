"""``coach goals``, ``coach status`` and ``coach journal``: the longer arc from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from coach.cli.unlock import unlock
from coach.goals import GoalProblem, GoalStore
from coach.goals.models import GoalPlan
from coach.goals.overview import overview, record_today
from coach.goals.progress import Status
from coach.knowledge import goal_rules
from coach.memory import NoteStore, get_embedder
from coach.notes.due_dates import split_dated
from coach.notes.journal import journal_entry
from coach.records import open_records
from coach.settings import Settings, load_settings
from coach.users import check_user

STATUSES = ["active", "achieved", "paused", "dropped"]


def add_parsers(commands: Any) -> None:
    goals = commands.add_parser("goals", help="a user's milestones, steps and rhythm")
    actions = goals.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="milestones with their steps and progress")
    _user_flags(listing, json_flag=True)
    listing.set_defaults(run=run_list)

    add = actions.add_parser("add", help="add a milestone (at most three are active)")
    _user_flags(add)
    add.add_argument("title", help="the milestone, in your own words")
    add.add_argument("--why", default="", help="why it matters to you")
    add.add_argument(
        "--step",
        action="append",
        default=[],
        metavar="TEXT[|DUE]",
        help='a step, optionally with a due date: "Ask Sam for a chat | next Friday"',
    )
    add.set_defaults(run=run_add)

    update = actions.add_parser("update", help="change a milestone, its steps or the rhythm")
    _user_flags(update)
    update.add_argument("milestone", nargs="?", help="milestone id (see `coach goals list`)")
    update.add_argument("--title")
    update.add_argument("--why")
    update.add_argument("--status", choices=STATUSES)
    update.add_argument("--add-step", metavar="TEXT[|DUE]")
    update.add_argument("--step", metavar="STEP_ID", help="the step --step-status applies to")
    update.add_argument("--step-status", choices=["open", "done", "dropped"])
    update.add_argument(
        "--link", metavar="COMMITMENT_ID", help="count a session commitment towards this milestone"
    )
    update.add_argument(
        "--every",
        metavar="RHYTHM",
        help="how often to meet: " + ", ".join(goal_rules().cadences) + ", or a number of days",
    )
    update.set_defaults(run=run_update)

    state = commands.add_parser(
        "status", help="when the next session is due, what is overdue, progress per milestone"
    )
    _user_flags(state, json_flag=True)
    state.set_defaults(run=run_status)

    journal = commands.add_parser("journal", help="add an entry to the learning journal")
    _user_flags(journal)
    journal.add_argument("text", help="the entry; recalled in later sessions like a note")
    journal.set_defaults(run=run_journal)


def _user_flags(parser: argparse.ArgumentParser, json_flag: bool = False) -> None:
    parser.add_argument("--user", help="profile name (default: COACH_USER or 'default')")
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print JSON")


def _goals(args: argparse.Namespace) -> tuple[GoalStore, Settings]:
    settings = load_settings(user=args.user)
    unlock(settings)
    return GoalStore(open_records(settings), check_user(settings.user)), settings


def _notes(settings: Settings) -> NoteStore:
    return NoteStore.open(settings, get_embedder(settings))


def _step(text: str) -> tuple[str, str | None]:
    words, due = split_dated(text)
    return words, due or None


def _every(text: str) -> int:
    named = goal_rules().cadences
    if text.strip().lower() in named:
        return named[text.strip().lower()]
    if text.strip().isdigit():
        return int(text.strip())
    raise GoalProblem(f'"{text}" is not a rhythm. Use {", ".join(named)}, or a number of days.')


def run_list(args: argparse.Namespace) -> int:
    goals, settings = _goals(args)
    seen = overview(goals, _notes(settings), date.today())
    if args.json:
        print(json.dumps(json.loads(seen.plan.model_dump_json()), indent=2, ensure_ascii=False))
        return 0
    _print_plan(seen.plan, seen.status)
    return 0


def _print_plan(plan: GoalPlan, state: Status) -> None:
    if not plan.milestones:
        print("No milestones yet: `coach goals add` or a goal-setting session adds them.")
    progress = {p.id: p for p in state.milestones}
    for milestone in plan.milestones:
        shown = progress.get(milestone.id)
        share = ""
        if shown:
            share = f" {shown.progress:.0%} ({shown.done} done, {shown.overdue} overdue)"
        print(f"{milestone.id}  [{milestone.status}] {milestone.title}{share}")
        if milestone.why:
            print(f"          why: {milestone.why}")
        for step in milestone.steps:
            due = f" due {step.due.isoformat()}" if step.due else ""
            overdue = step.status == "open" and step.due is not None and step.due < state.today
            late = " OVERDUE" if overdue else ""
            print(f"          {step.id}  [{step.status}] {step.text}{due}{late}")


def run_add(args: argparse.Namespace) -> int:
    goals, _ = _goals(args)
    milestone = goals.add_milestone(args.title, args.why, [_step(s) for s in args.step])
    print(f"Added {milestone.id}: {milestone.title}")
    return 0


def run_update(args: argparse.Namespace) -> int:
    goals, _ = _goals(args)
    done = []
    if args.every:
        cadence = goals.set_cadence(_every(args.every))
        done.append(f"rhythm: every {cadence.every_days} days")
    milestone_edits = [
        args.title,
        args.why,
        args.status,
        args.add_step,
        args.step_status,
        args.link,
    ]
    if any(edit is not None for edit in milestone_edits) and not args.milestone:
        raise GoalProblem("Name the milestone to change (its id from `coach goals list`).")
    if args.milestone:
        if args.title is not None or args.why is not None or args.status is not None:
            goals.update_milestone(
                args.milestone, title=args.title, why=args.why, status=args.status
            )
            done.append("milestone updated")
        if args.add_step:
            step = goals.add_step(args.milestone, *_step(args.add_step))
            done.append(f"step {step.id} added")
        if args.step_status:
            if not args.step:
                raise GoalProblem("Name the step (--step STEP_ID) whose status to set.")
            goals.set_step_status(args.milestone, args.step, args.step_status)
            done.append(f"step {args.step} is {args.step_status}")
        if args.link:
            goals.link_commitment(args.milestone, args.link)
            done.append(f"commitment {args.link} linked")
    if not done:
        raise GoalProblem("Nothing to change: see `coach goals update --help`.")
    print("; ".join(done).capitalize() + ".")
    return 0


def run_status(args: argparse.Namespace) -> int:
    goals, settings = _goals(args)
    seen = overview(goals, _notes(settings), date.today())
    record_today(goals, seen)
    state = seen.status
    if args.json:
        print(json.dumps(json.loads(state.model_dump_json()), indent=2, ensure_ascii=False))
        return 0
    if state.next_session_due is None:
        print("No rhythm set yet: `coach goals update --every weekly` sets one.")
    else:
        days = state.session_due_in_days or 0
        when = "today" if days == 0 else f"in {days} days" if days > 0 else f"{-days} days ago"
        print(f"Next session due {state.next_session_due.isoformat()} ({when}).")
    if state.review_due:
        print("A review of your milestones is due.")
    if state.check_in_due:
        print("The coach will ask how the coaching is working for you at the next session.")
    for progress in state.milestones:
        print(
            f"{progress.progress:>4.0%}  {progress.title}  ({progress.done} done, "
            f"{progress.open} open, {progress.overdue} overdue)"
        )
    for item in state.overdue:
        print(
            f"OVERDUE {item.kind}: {item.text} (due {item.due.isoformat()}, "
            f"{item.days_overdue} days ago)"
        )
    if not state.milestones and not state.overdue:
        print("Nothing overdue.", file=sys.stderr)
    return 0


def run_journal(args: argparse.Namespace) -> int:
    goals, settings = _goals(args)
    entry = journal_entry(goals.user, args.text, date.today())
    _notes(settings).add_note(goals.user, entry)
    print(f"Added to {goals.user}'s journal.")
    return 0
