"""`kindred` with no command, and `kindred-window`: the window. Qt is loaded here only, and
only when the window opens, never by the other commands."""

from __future__ import annotations

import sys

from app.cli.exit_status import EXIT_FAILURE, EXIT_OK


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
