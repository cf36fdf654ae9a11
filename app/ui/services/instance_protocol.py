"""What two Kindreds of one home say to each other: one JSON object a line, each way.

A second start asks ({"command": "raise"}, or "play" with the script) and the running window
answers ({"ok": true, ...} or {"ok": false, "title": ..., "explanation": ...}). Plain Python,
so that the rules can be tested without a socket; app.ui.services.single_instance carries the lines.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path

PING, RAISE, PLAY = "ping", "raise", "play"
COMMANDS = (PING, RAISE, PLAY)
#: A request is a few hundred bytes; more than this is not a Kindred talking, and is refused
#: before it can fill the window's memory.
MAX_LINE_BYTES = 64 * 1024


class ProtocolError(ValueError):
    """A line that is not a message of this protocol."""


def server_name(data_dir: Path, user: str | None = None, runtime_dir: str | None = None) -> str:
    """The local socket of the Kindred that uses `data_dir`: one per user and per KINDRED_HOME.

    A name, not the folder itself: a socket's path is limited to about a hundred bytes. Under
    XDG_RUNTIME_DIR (the user's own folder, closed to others) when there is one; otherwise Qt
    puts the bare name in the temporary folder, where the user's name in the hash keeps two
    people's Kindreds apart.
    """
    user = user if user is not None else _user_name()
    digest = hashlib.sha256(f"{user}\0{data_dir.expanduser().resolve()}".encode()).hexdigest()[:20]
    name = f"kindred-{digest}"
    if runtime_dir and os.name == "posix" and os.path.isdir(runtime_dir):
        return os.path.join(runtime_dir, name)
    return name


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the number still tells users apart
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def encode(message: dict) -> bytes:
    """One line: compact JSON (which never contains a raw line break) and a newline."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict:
    """The message on `line` (its newline optional); ProtocolError for anything else."""
    if len(line) > MAX_LINE_BYTES:
        raise ProtocolError(f"a line of {len(line)} bytes, more than {MAX_LINE_BYTES}")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"not a JSON line: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message is a JSON object")
    return message


def take_line(buffer: bytes) -> tuple[bytes | None, bytes]:
    """The first complete line of `buffer` (without its newline) and what follows it; (None,
    buffer) while the line is still arriving."""
    line, newline, rest = buffer.partition(b"\n")
    return (line, rest) if newline else (None, buffer)


def check_request(message: dict) -> dict:
    """`message` when it is a request the window can act on; ProtocolError says what is wrong."""
    command = message.get("command")
    if command not in COMMANDS:
        raise ProtocolError(f"unknown command {command!r}")
    if command == PLAY:
        if not isinstance(message.get("script"), str) or not message["script"]:
            raise ProtocolError("play needs the script's name or file")
        length = message.get("length")
        if length is not None and (isinstance(length, bool) or not isinstance(length, int | float)):
            raise ProtocolError("the length is a number of seconds")
        if not isinstance(message.get("ambience"), str | None):
            raise ProtocolError("the ambience is a name")
    return message


def play_request(script: str, length: float | None, ambience: str | None) -> dict:
    """`script` as `kindred play` takes it: a library name, or a file's absolute path."""
    return {"command": PLAY, "script": script, "length": length, "ambience": ambience}


def ok_reply(**details: object) -> dict:
    return {"ok": True, **details}


def error_reply(title: str, explanation: str) -> dict:
    return {"ok": False, "title": title, "explanation": explanation}
