"""`kindred`: the command line, one of Kindred's two front ends (the window is the other).

It never imports PySide6 at module level: only the window and `play` load Qt, when they run, and
this module is the one place outside app/ui that reaches into it. The grammar of the commands is
in app.commands.arguments; the commands that need no Qt are in app.commands, grouped by what they
work on: script_commands (list, check, new), session_commands (render, export), history_commands
(history, stats), voice_commands (voices), setup_commands (doctor, install-desktop). `main` runs
one, and turns the errors a person can act on into one line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.commands.arguments import EXPORT_FORMATS, MAX_RATE_WPM, MIN_RATE_WPM, build_parser
from app.commands.exit_status import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from app.commands.history_commands import history, stats
from app.commands.script_commands import check_scripts, list_scripts, new_script
from app.commands.session_commands import (
    SESSION_COMMANDS,
    export,
    render,
    resolve_script,
    tell_fallback,
    trim_cache_to_setting,
)
from app.commands.setup_commands import doctor, install_desktop
from app.commands.voice_commands import voices
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


def main(argv: Sequence[str] | None = None) -> int:
    """The `kindred` entry point: runs the command `argv` names and returns its exit status."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        return show_window(in_tray=args.tray)
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
    return show_window()


def show_window(in_tray: bool = False) -> int:
    """Open the window, or bring forward the one already open; `in_tray` starts it hidden."""
    try:
        from app.ui.services.single_instance import Reached, raise_open_window

        # Before the window's modules load (a second or two): a second start ends at once.
        asked = raise_open_window()
        if asked is Reached.ANSWERED:
            return EXIT_OK
        from app.ui.app import run
    except ImportError as error:
        print(
            f"The window cannot open here ({error}). Install the system packages of `make run` "
            "(libegl1, libxkbcommon0, libpulse0 …) and try again; "
            "`kindred --help` lists what works without it.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return run(sys.argv[:1], asked, in_tray=in_tray)


def play(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors

    try:
        script = resolve_script(args.script)
    except ScriptErrors as errors:
        print(errors.format(), file=sys.stderr)
        return EXIT_FAILURE
    try:
        # The one headless command that loads Qt, and only now: the others must stay light.
        from app.terminal.play_options import ambience_for
        from app.ui.services.single_instance import play_in_open_window
        from app.ui.services.terminal_session import play_in_terminal
    except ImportError as error:
        print(
            f"Playback is not available here ({error}). Install the system package libpulse0 "
            "(see `kindred doctor`), or save the session as a file with `kindred render`.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    # With Kindred's window open, the window plays it: one player and one history, not two.
    ambience_for(script, args.ambience)  # an unknown name is refused here too, before anything plays
    # A file is sent by its absolute path: the window's working folder is its own.
    name = str(Path(args.script).resolve()) if Path(args.script).is_file() else args.script
    status = play_in_open_window(name, args.length, args.ambience)
    if status is not None:
        if status == EXIT_OK and (args.voice or args.rate):
            print(
                "Note: the window speaks with the voice and rate chosen in its Settings; "
                "--voice and --rate apply when Kindred plays in the terminal.",
                file=sys.stderr,
            )
        return status
    from app.tts import create_engine
    from app.tts.engine import DEFAULT_RATE_WPM

    with contextlib.closing(create_engine()) as engine:
        tell_fallback(engine, args.voice)
        return play_in_terminal(
            script, args.length, args.voice, args.rate or DEFAULT_RATE_WPM, args.ambience, engine
        )


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
