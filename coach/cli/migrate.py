"""``coach migrate-files``: import the files of earlier versions into the records database."""

from __future__ import annotations

import argparse
from typing import Any

from coach.records import open_records
from coach.records.import_files import import_files
from coach.settings import load_settings
from coach.users import check_user


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "migrate-files",
        help="import transcripts, plans and profiles kept as files by earlier versions",
        description="Import the users' folders under COACH_DATA_DIR/users into the records "
        "database (COACH_DATABASE_URL, or SQLite in the data folder). Safe to run again: "
        "nothing is added twice. Every count is checked afterwards. The files are left in "
        "place: delete them once you have checked the app.",
    )
    parser.add_argument("--user", help="import only this user's folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    only = check_user(args.user) if args.user else None
    results = import_files(open_records(settings), settings.data_dir, only)
    if not results:
        print(f"No users' folders to import under {settings.data_dir / 'users'}.")
        return 0
    for result in results:
        print(result.line())
        for problem in result.problems:
            print(f"  not imported: {problem}")
    if all(result.verified and not result.problems for result in results):
        print(
            f"The files stay in {settings.data_dir / 'users'}; delete them once you have "
            "checked your history in the app."
        )
        return 0
    print(
        "Some records were not imported or not verified (see above). Fix or remove those files "
        "and run it again: nothing is added twice."
    )
    return 1
