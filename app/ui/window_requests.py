"""The open window's answers to a second start (see app.ui.single_instance)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KindredError
from app.library import find_entry, load_catalogue
from app.script import Script, ScriptErrors, load_script
from app.ui import instance_protocol as protocol
from app.ui.player_view import PROBLEM_PAGE

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
        key, script = find_script(request["script"])
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


def find_script(name: str) -> tuple[str, Script]:
    """The player's key and the script for `name`, resolved as `kindred play` does: a file (sent
    as an absolute path, since the window's working folder is its own), or a library name."""
    path = Path(name)
    if path.is_absolute() and path.is_file():
        return path.stem, load_script(path)  # the key `kindred play` keeps its listens under
    entry = find_entry(name, load_catalogue())
    if entry is None:
        raise KindredError(
            f"“{name}” is neither a file nor a script in the library. See `kindred list`.", "No such script"
        )
    if entry.script is None:
        raise ScriptErrors(entry.errors, str(entry.path))
    return entry.slug, entry.script
