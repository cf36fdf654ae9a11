"""`kindred history` and `kindred stats`: the listening log, listed, exported, imported, summed."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.commands.exit_status import EXIT_OK
from app.errors import KindredError

if TYPE_CHECKING:
    from app.history import ListenLog


def history(args: argparse.Namespace) -> int:
    from app.history import csv_listens, export_csv
    from app.history.csv_io import check_import_file, import_summary

    if args.import_file is not None:
        if args.month or args.theme:
            raise KindredError(
                "--month and --theme choose what to list; an import adds every row of its file."
            )
        check_import_file(args.import_file)  # every row checked before the database is touched
        with _listen_log() as log:
            added, already = log.add_listens(csv_listens(args.import_file))
        # The History page's Import CSV… says the same (app/ui/pages/history/csv_buttons.py).
        print(import_summary(added, already, args.import_file))
        return EXIT_OK
    with _listen_log() as log:
        listens = log.listens(month=args.month, theme=args.theme, limit=None)
    if args.csv:
        export_csv(listens, sys.stdout)
        return EXIT_OK
    if not listens:
        print("No listens yet." if not (args.month or args.theme) else "No listens match.")
        return EXIT_OK
    width = min(40, max(len(listen.title) for listen in listens))
    for listen in listens:
        # A practice entered by hand has a day, not a time: leave the time blank, not a made-up noon.
        when = listen.started_at.strftime("%Y-%m-%d" if listen.manual else "%Y-%m-%d %H:%M")
        state = "completed" if listen.completed else ("in progress" if listen.in_progress else "stopped")
        line = f"{when:<16}  {listen.title[:width]:<{width}}  {listen.minutes_heard:5.1f} min  {state:<11}"
        if listen.note:
            line += "  " + " ".join(listen.note.split())  # one line per listen, whatever the note holds
        print(line.rstrip())
    return EXIT_OK


def stats(args: argparse.Namespace) -> int:
    import json

    from app.history import statistics

    with _listen_log() as log:
        summary = statistics(log.practice())
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
        return EXIT_OK
    themes = ", ".join(f"{theme} ({count})" for theme, count in summary.favourite_themes) or "none yet"
    print(f"Total time:          {summary.total_minutes:.0f} min")
    print(f"Sessions completed:  {summary.sessions_completed}")
    print(f"Current streak:      {summary.current_streak} day{'s' if summary.current_streak != 1 else ''}")
    print(f"Longest streak:      {summary.longest_streak} day{'s' if summary.longest_streak != 1 else ''}")
    print(f"Favourite themes:    {themes}")
    return EXIT_OK


@contextlib.contextmanager
def _listen_log() -> Iterator[ListenLog]:
    """The log in the user's database; a damaged data file set aside on opening is told of first."""
    from app import paths
    from app.history import ListenLog, Store

    store = Store(paths.database_path())
    recovered = store.recovery_message()
    if recovered is not None:
        print(recovered, file=sys.stderr)
    try:
        yield ListenLog(store)
    finally:
        store.close()
