"""One Kindred per user and home: a second start hands its request to the window already open.

The running window listens on a QLocalServer (app.ui.services.instance_protocol names it and defines
the lines). `kindred` asks it to come to the front, `kindred play NAME` asks it to play; the
asking side gives up after ANSWER_TIMEOUT_MS, so a hung Kindred never hangs the next start.
A socket file left by a crashed Kindred is removed once nobody answers on it.
"""

from __future__ import annotations

import enum
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from PySide6.QtCore import QDir, QLockFile, QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app import paths
from app.ui.services import instance_protocol as protocol

#: Connecting and the answer together. The window answers at once (a play request takes a
#: tenth of a second); this leaves room for a window busy for a moment, and no more.
ANSWER_TIMEOUT_MS = 3_000
#: A connection that sends no complete request in this time is dropped (not a Kindred).
IDLE_CONNECTION_MS = 10_000

EXIT_OK, EXIT_FAILURE = 0, 1

ALREADY_OPEN = "Kindred is already open: its window is in front now."
NOT_ANSWERING = (
    "Another Kindred is running but did not answer within {seconds:.0f} s; "
    "opening a window of its own. If it is stuck, end it (Quit, or `kill` it)."
)


#: What connecting says when no Kindred runs: no socket file, or one nobody listens on.
_NOBODY_THERE = (
    QLocalSocket.LocalSocketError.ServerNotFoundError,
    QLocalSocket.LocalSocketError.ConnectionRefusedError,
)


class Reached(enum.Enum):
    NOBODY = "nobody"  # no socket, or a stale one: no Kindred of this home runs
    SILENT = "silent"  # someone holds the name but gave no answer in time
    ANSWERED = "answered"


@dataclass(frozen=True)
class Answer:
    reached: Reached
    reply: dict | None = None


def current_server_name() -> str:
    return protocol.server_name(paths.data_dir(), runtime_dir=os.environ.get("XDG_RUNTIME_DIR"))


def ask(request: dict, name: str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> Answer:
    """Sends `request` to the Kindred listening on `name` and waits for its one-line reply.

    Blocking, and needs no Qt application: it runs before one exists (the CLI, a second start).
    """
    deadline = time.monotonic() + timeout_ms / 1000

    def remaining_ms() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(remaining_ms()):
        return Answer(Reached.NOBODY if socket.error() in _NOBODY_THERE else Reached.SILENT)
    try:
        socket.write(protocol.encode(request))
        socket.waitForBytesWritten(remaining_ms())
        buffer = b""
        while True:
            line, _rest = protocol.take_line(buffer)
            if line is not None:
                break
            if len(buffer) > protocol.MAX_LINE_BYTES or not socket.waitForReadyRead(remaining_ms()):
                return Answer(Reached.SILENT)  # timed out, or hung up without a word
            buffer += bytes(socket.readAll().data())
        try:
            return Answer(Reached.ANSWERED, protocol.decode(line))
        except protocol.ProtocolError:
            return Answer(Reached.SILENT)  # not a Kindred that can be talked to: as good as silent
    finally:
        socket.abort()


class InstanceServer(QObject):
    """Listens for later starts; their requests wait until `serve` gives the window's answerer."""

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # No UserAccessOption: on Unix it replaces any socket file of the name, a live
        # Kindred's too, where plain listen() refuses and lets the stale check decide.
        self._server.newConnection.connect(self._accept)
        self._answerer: Callable[[dict], dict] | None = None
        self._waiting: list[_Conversation] = []

    def is_listening(self) -> bool:
        return self._server.isListening()

    def listen(self) -> bool:
        return self._server.listen(self.name)

    def replace_stale_socket(self) -> bool:
        """Removes the socket file nobody answered on and listens in its place."""
        QLocalServer.removeServer(self.name)
        return self.listen()

    def serve(self, answerer: Callable[[dict], dict]) -> None:
        """From now on each request is answered by `answerer` (which must not raise for a bad
        request: it returns protocol.error_reply); those that came while starting first."""
        self._answerer = answerer
        waiting, self._waiting = self._waiting, []
        for conversation in waiting:
            conversation.answer(answerer)

    def close(self) -> None:
        """Stops listening and removes the socket file, so the next start need not wonder."""
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            _Conversation(self._server.nextPendingConnection(), self._on_request)

    def _on_request(self, conversation: _Conversation) -> None:
        if self._answerer is None:
            self._waiting.append(conversation)
        else:
            conversation.answer(self._answerer)


class _Conversation(QObject):
    """One connection: reads the request line, sends the reply line, hangs up."""

    def __init__(self, socket: QLocalSocket, on_request: Callable[[_Conversation], None]):
        super().__init__(socket)  # lives and dies with its socket
        self.socket = socket
        self.request: dict | None = None
        self.gone = False
        self._buffer = b""
        self._on_request = on_request
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._hang_up)
        QTimer.singleShot(IDLE_CONNECTION_MS, self, self._drop_if_idle)
        self._read()  # what arrived with the connection

    def _read(self) -> None:
        if self.request is not None:
            return
        self._buffer += bytes(self.socket.readAll().data())
        line, _rest = protocol.take_line(self._buffer)
        if line is None:
            if len(self._buffer) > protocol.MAX_LINE_BYTES:
                self._reply(protocol.error_reply("Not understood", "The request is too long."))
            return
        try:
            self.request = protocol.check_request(protocol.decode(line))
        except protocol.ProtocolError as error:
            self._reply(protocol.error_reply("Not understood", str(error)))
            return
        self._on_request(self)

    def answer(self, answerer: Callable[[dict], dict]) -> None:
        assert self.request is not None
        if self.gone:
            # The asker stopped waiting (and plays in the terminal, or opened a window of its
            # own): doing it now as well would play the session twice.
            return
        try:
            reply = answerer(self.request)
        except Exception:  # noqa: BLE001 - a slip in answering must not leave the asker waiting
            traceback.print_exc()
            reply = protocol.error_reply("Something went wrong", "The open window could not do it.")
        self._reply(reply)

    def _reply(self, reply: dict) -> None:
        self.request = self.request or {}  # answered: later bytes are ignored
        self.socket.write(protocol.encode(reply))
        self.socket.disconnectFromServer()  # after the reply has been written

    def _hang_up(self) -> None:
        self.gone = True
        self.socket.deleteLater()

    def _drop_if_idle(self) -> None:
        if self.request is None:
            self.socket.abort()


def raise_open_window(out: TextIO | None = None, err: TextIO | None = None) -> Reached:
    """Asks the open Kindred of this home to come to the front, and says what came of it.

    Needs no Qt application: `kindred` asks before the window's modules load (a second or
    two), so that a second start ends at once.
    """
    out, err = out or sys.stdout, err or sys.stderr
    answer = ask({"command": protocol.RAISE}, current_server_name())
    if answer.reached is Reached.ANSWERED:
        print(ALREADY_OPEN, file=out, flush=True)
    elif answer.reached is Reached.SILENT:
        print(NOT_ANSWERING.format(seconds=ANSWER_TIMEOUT_MS / 1000), file=err, flush=True)
    return answer.reached


def become_the_instance(
    parent: QObject, asked: Reached | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> InstanceServer | None:
    """A window's start. None when a Kindred of this home is already open: it came to the front
    and this start ends. Otherwise the server to `serve` once the window exists (not listening
    when the name is held by a Kindred that does not answer: this one then runs on its own).

    `asked` is what raise_open_window found just before, so as not to ask (and wait) twice.
    """
    reached = asked if asked is not None else raise_open_window(out, err)
    if reached is Reached.ANSWERED:
        return None
    server = InstanceServer(current_server_name(), parent)
    if reached is Reached.SILENT or server.listen():
        return server
    # The name is taken after all: by a Kindred started a moment ago, or by the socket file a
    # crashed one left. The lock keeps two starts from both removing it (the second would
    # remove the first one's new socket); the second then finds the first answering.
    lock = QLockFile(os.path.join(QDir.tempPath(), server.name) + ".lock")
    locked = lock.tryLock(ANSWER_TIMEOUT_MS)
    try:
        reached = raise_open_window(out, err)
        if reached is Reached.ANSWERED:
            return None
        if reached is Reached.NOBODY and not server.replace_stale_socket():
            print(
                f"Kindred could not listen for a second start ({server.name}); "
                "starting Kindred again will open a second window.",
                file=err or sys.stderr,
            )
        return server
    finally:
        if locked:
            lock.unlock()


def play_in_open_window(
    script: str,
    length: float | None,
    ambience: str | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int | None:
    """`kindred play` while the window is open: the window plays the session (one player, one
    history), and this returns the exit status. None when no window took it: play here.

    `script` is a library name or a file's absolute path (the window has its own folder).
    """
    out, err = out or sys.stdout, err or sys.stderr
    answer = ask(protocol.play_request(script, length, ambience), current_server_name())
    if answer.reached is Reached.NOBODY:
        return None
    if answer.reached is Reached.SILENT or answer.reply is None:
        print(
            f"The open Kindred window did not answer within {ANSWER_TIMEOUT_MS / 1000:.0f} s; "
            "playing here in the terminal instead.",
            file=err,
            flush=True,
        )
        return None
    reply = answer.reply
    if reply.get("ok"):
        print(f"Kindred's window is playing “{reply.get('title', script)}”.", file=out, flush=True)
        return EXIT_OK
    print(f"{reply.get('title', 'Not played')}: {reply.get('explanation', '')}", file=err, flush=True)
    return EXIT_FAILURE
