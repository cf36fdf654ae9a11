"""`kindred`: the command line. Never imports PySide6 at module level (only the window and
`play` load Qt, when they run).

The grammar of the commands is in app.cli.arguments; each command is a function that takes
the parsed arguments and returns the exit status, grouped by what it works on:
script_commands (list, check, new), session_commands (render, export, play), history_commands
(history, stats), voice_commands (voices), setup_commands (doctor, install-desktop) and window
(no command). `main` runs one, and turns the errors a person can act on into one line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from app.cli import window
from app.cli.arguments import EXPORT_FORMATS, MAX_RATE_WPM, MIN_RATE_WPM, build_parser
from app.cli.exit_status import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from app.cli.history_commands import history, stats
from app.cli.script_commands import check_scripts, list_scripts, new_script
from app.cli.session_commands import SESSION_COMMANDS, export, play, render, trim_cache_to_setting
from app.cli.setup_commands import doctor, install_desktop
from app.cli.voice_commands import voices
from app.errors import KindredError

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXPORT_FORMATS",
    "MAX_RATE_WPM",
    "MIN_RATE_WPM",
    "build_parser",
    "main",
    "open_window",
]

#: The function that runs each command.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": list_scripts,
    "check": check_scripts,
    "render": render,
    "export": export,
    "play": play,
    "voices": voices,
    "doctor": doctor,
    "history": history,
    "stats": stats,
    "new": new_script,
    "install-desktop": install_desktop,
}


def main(argv: Sequence[str] | None = None) -> int:
    """The `kindred` entry point: runs the command `argv` names and returns its exit status."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        return window.show_window(in_tray=args.tray)
    if args.command in SESSION_COMMANDS:
        from app.leftovers import remove_leftovers

        remove_leftovers()  # what a killed run of these left behind (nobody's work in progress)
    try:
        status = COMMANDS[args.command](args)
        if args.command in SESSION_COMMANDS:
            trim_cache_to_setting()
        sys.stdout.flush()  # here, where a closed pipe is caught below, not at the interpreter's exit
        return status
    except KindredError as error:
        print(f"{error.title}: {error.explanation}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # `kindred voices | head`: the reader has all it wanted. Point stdout at nothing so that
        # the interpreter's final flush cannot complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # A folder Kindred needs (data, cache) is missing or unwritable: say which, not a traceback.
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"Could not use a file: {where}{error.strerror or error}. "
            "Run `kindred doctor` to check Kindred's folders.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return EXIT_INTERRUPTED


def open_window() -> int:
    """The `kindred-window` entry point: the window with no console (pythonw on Windows)."""
    return window.show_window()
