"""The open window's answers to a second start (see app.ui.services.single_instance)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KindredError
from app.library import resolve_script
from app.script import ScriptErrors
from app.ui.pages.player.page import PROBLEM_PAGE
from app.ui.services import instance_protocol as protocol

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def answer_request(window: MainWindow, request: dict) -> dict:
    """The reply to a checked request (protocol.check_request); never raises for a bad one."""
    command = request["command"]
    if command == protocol.RAISE:
        window.bring_to_front()
    elif command == protocol.PLAY:
        return _play(window, request)
    return protocol.ok_reply()


def _play(window: MainWindow, request: dict) -> dict:
    try:
        # A file comes as an absolute path (the window's working folder is its own); anything
        # else is a library name, resolved as `kindred play` does.
        name = request["script"]
        key, script = resolve_script(name, files=Path(name).is_absolute())
    except KindredError as error:
        return protocol.error_reply(error.title, error.explanation)
    except ScriptErrors as errors:
        return protocol.error_reply("The script has errors", errors.format())
    except OSError as error:
        return protocol.error_reply("Could not read the script", f"{request['script']}: {error.strerror}")
    # `kindred play` starts a session from its beginning, in the window as in the terminal.
    ambience = request.get("ambience")
    window.play_from_command_line(key, script, request.get("length"), ambience or "default")
    player_view = window.player_view
    if player_view.pages.currentIndex() == PROBLEM_PAGE:  # a length too short for it, a voice missing
        return protocol.error_reply(player_view.problem_title.text(), player_view.problem_text.text())
    return protocol.ok_reply(title=script.meta.title)
