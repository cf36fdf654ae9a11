"""One Kindred per user and home: a second start raises the open window or hands it the session.

The protocol's pieces are tested as functions, the server and the asking side over a real
local socket in this process, and the whole thing with real programs: a first Kindred in a
child process (fake voice, offscreen, this test's KINDRED_HOME) and `python -m app` after it.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QObject
from PySide6.QtNetwork import QLocalServer

from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.main_window import MainWindow
from app.ui.pages.player.page import PLAYING_PAGE
from app.ui.services import instance_protocol as protocol
from app.ui.services.single_instance import (
    ALREADY_OPEN,
    InstanceServer,
    Reached,
    ask,
    become_the_instance,
    current_server_name,
)
from app.ui.window_requests import answer_request
from tests.ui.child_app import ROOT, child_app, kill_hard

#: A sound server that cannot exist: the sessions play silently, whatever this machine has.
NO_SOUND = "unix:/nonexistent/kindred-no-sound-server"
BUNDLED = "pause-before-you-react"
BUNDLED_TITLE = "Pause Before You React"
#: Generous, for a loaded machine; nothing is asserted about speed with these.
START_TIMEOUT_S = 60

SHORT = """---
title: Short Sit
summary: Two breaths.
theme: test
---
# Arriving
Breathe in.
[pause 1s]
Breathe out.
"""


@pytest.fixture(autouse=True)
def fake_voice_no_sound(monkeypatch):
    """For the child programs, which take this process's environment."""
    monkeypatch.setenv("KINDRED_ENGINE", "fake")
    monkeypatch.setenv("PULSE_SERVER", NO_SOUND)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    yield
    # The children are killed, not quit: their socket files would stay in the temporary folder.
    QLocalServer.removeServer(current_server_name())


def socket_path(name: str) -> Path:
    """Where QLocalServer keeps `name` on Unix (a bare name goes to the temporary folder)."""
    return Path(QDir.tempPath()) / name


# -- the protocol's pieces -------------------------------------------------------------------


def test_the_server_name_is_one_per_user_and_home(tmp_path):
    home_a, home_b = tmp_path / "a", tmp_path / "b"
    name = protocol.server_name(home_a, user="ann")
    assert name == protocol.server_name(home_a, user="ann")  # the second start finds the first
    assert name == protocol.server_name(tmp_path / "x" / ".." / "a", user="ann")  # the same folder
    assert name != protocol.server_name(home_b, user="ann")
    assert name != protocol.server_name(home_a, user="bob")
    assert "/" not in name and len(name) < 40  # a socket's path has room for about a hundred bytes


@pytest.mark.skipif(os.name != "posix", reason="XDG_RUNTIME_DIR is a Unix folder")
def test_the_socket_lives_in_the_users_runtime_folder_when_there_is_one(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    inside = protocol.server_name(tmp_path / "home", user="ann", runtime_dir=str(runtime))
    assert Path(inside).parent == runtime
    bare = protocol.server_name(tmp_path / "home", user="ann", runtime_dir=str(tmp_path / "missing"))
    assert bare == Path(inside).name


def test_a_message_is_one_line_and_comes_back_the_same():
    message = protocol.play_request("Choosing “Compassion”\nline two", 600.5, None)
    line = protocol.encode(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert protocol.decode(line) == message
    assert protocol.decode(line.rstrip(b"\n")) == message


@pytest.mark.parametrize(
    "line",
    [b"not json", b"[1, 2]", b"\xff\xfe", b'"a string"', b"{" + b" " * protocol.MAX_LINE_BYTES + b"}"],
    ids=["text", "list", "not-utf8", "string", "too-long"],
)
def test_what_is_not_a_message_is_refused(line):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(line)


def test_a_line_is_taken_only_when_it_is_complete():
    assert protocol.take_line(b'{"a":1}') == (None, b'{"a":1}')
    assert protocol.take_line(b'{"a":1}\n{"b"') == (b'{"a":1}', b'{"b"')
    assert protocol.take_line(b"") == (None, b"")


@pytest.mark.parametrize(
    "request_",
    [
        {"command": "raise"},
        {"command": "ping"},
        protocol.play_request("silent-sitting", None, None),
        protocol.play_request("/home/ann/mine.md", 600, "rain"),
    ],
)
def test_good_requests_pass(request_):
    assert protocol.check_request(request_) == request_


@pytest.mark.parametrize(
    "request_",
    [
        {},
        {"command": "quit"},
        {"command": "play"},
        {"command": "play", "script": ""},
        {"command": "play", "script": "x", "length": "10m"},
        {"command": "play", "script": "x", "length": True},
        {"command": "play", "script": "x", "ambience": 3},
    ],
)
def test_bad_requests_are_refused(request_):
    with pytest.raises(protocol.ProtocolError):
        protocol.check_request(request_)


# -- the socket, in this process ------------------------------------------------------------


@pytest.fixture
def name(tmp_path):
    """A socket name of this test's own, cleaned up after it."""
    value = f"kindred-test-{os.getpid()}-{tmp_path.name}"[:60]
    QLocalServer.removeServer(value)
    yield value
    QLocalServer.removeServer(value)


#: `ask` in a process of its own: its waits hold the interpreter, so a thread of this process
#: asking would keep the server here from answering.
ASKER = """
import json, sys
from app.ui.services.single_instance import ask
answer = ask(json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
print(json.dumps({"reached": answer.reached.value, "reply": answer.reply}))
"""


class Asking:
    def __init__(self, request: dict, name: str, timeout_ms: int):
        self.process = subprocess.Popen(
            [sys.executable, "-c", ASKER, json.dumps(request), name, str(timeout_ms)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )

    def done(self) -> bool:
        return self.process.poll() is not None

    def result(self) -> tuple[Reached, dict | None]:
        output, _ = self.process.communicate(timeout=30)
        answer = json.loads(output)
        return Reached(answer["reached"]), answer["reply"]


@pytest.fixture
def asker():
    started: list[Asking] = []

    def start(request: dict, name: str, timeout_ms: int = 10_000) -> Asking:
        started.append(Asking(request, name, timeout_ms))
        return started[-1]

    yield start
    for asking in started:
        if not asking.done():
            asking.process.kill()
        asking.process.communicate()


def test_nobody_is_reached_when_no_kindred_runs(name):
    assert ask({"command": "raise"}, name).reached is Reached.NOBODY


@pytest.mark.skipif(os.name != "posix", reason="socket files are a Unix matter")
def test_a_socket_file_left_by_a_crash_reaches_nobody(name):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(socket_path(name)))
    stale.close()  # the file stays; nobody listens on it
    started = time.monotonic()
    assert ask({"command": "raise"}, name).reached is Reached.NOBODY
    assert time.monotonic() - started < 1


@pytest.mark.skipif(os.name != "posix", reason="socket files are a Unix matter")
def test_a_kindred_that_never_answers_is_given_up_on_in_time(name):
    hung = socket.socket(socket.AF_UNIX)
    hung.bind(str(socket_path(name)))
    hung.listen(1)  # connections are taken by the system, but nobody ever reads or answers
    try:
        started = time.monotonic()
        answer = ask({"command": "raise"}, name, timeout_ms=700)
        elapsed = time.monotonic() - started
    finally:
        hung.close()
    assert answer.reached is Reached.SILENT
    assert 0.6 < elapsed < 2


def test_requests_wait_for_the_window_then_are_answered(qtbot, name, asker):
    server = InstanceServer(name)
    assert server.listen()
    try:
        pending = asker({"command": "play", "script": "silent-sitting"}, name)
        qtbot.wait(1_500)  # the request has arrived, but no window answers yet
        assert not pending.done()
        seen = []

        def answerer(request: dict) -> dict:
            seen.append(request)
            return protocol.ok_reply(title="Silent Sitting")

        server.serve(answerer)
        qtbot.waitUntil(pending.done, timeout=10_000)
        assert pending.result() == (Reached.ANSWERED, {"ok": True, "title": "Silent Sitting"})
        assert seen == [{"command": "play", "script": "silent-sitting"}]
        # Once serving, the next one is answered at once.
        later = asker({"command": "raise"}, name)
        qtbot.waitUntil(later.done, timeout=10_000)
        assert later.result() == (Reached.ANSWERED, {"ok": True, "title": "Silent Sitting"})
    finally:
        server.close()


@pytest.mark.skipif(os.name != "posix", reason="socket files are a Unix matter")
def test_a_request_whose_asker_gave_up_is_not_carried_out(qtbot, name):
    server = InstanceServer(name)
    assert server.listen()
    try:
        impatient = socket.socket(socket.AF_UNIX)
        impatient.connect(str(socket_path(name)))
        impatient.sendall(protocol.encode(protocol.play_request("silent-sitting", None, None)))
        qtbot.wait(300)  # the request has arrived while the window is still being built
        impatient.close()  # ... and the asker plays in the terminal instead
        qtbot.wait(300)
        carried_out = []
        server.serve(lambda request: carried_out.append(request) or protocol.ok_reply())
        assert carried_out == []
    finally:
        server.close()


def test_a_request_that_is_not_understood_gets_a_reason(qtbot, name, asker):
    server = InstanceServer(name)
    assert server.listen()
    server.serve(lambda request: pytest.fail(f"answered a bad request {request}"))
    try:
        pending = asker({"command": "format-the-disk"}, name)
        qtbot.waitUntil(pending.done, timeout=10_000)
        reached, reply = pending.result()
        assert reached is Reached.ANSWERED
        assert reply["ok"] is False and reply["title"] == "Not understood"
        assert "format-the-disk" in reply["explanation"]
    finally:
        server.close()


def test_a_slip_in_answering_still_answers(qtbot, name, asker, capsys):
    server = InstanceServer(name)
    assert server.listen()

    def broken(request: dict) -> dict:
        raise RuntimeError("a bug")

    server.serve(broken)
    try:
        pending = asker({"command": "raise"}, name)
        qtbot.waitUntil(pending.done, timeout=10_000)
        reached, reply = pending.result()
        assert reached is Reached.ANSWERED and reply["ok"] is False
    finally:
        server.close()
    assert "RuntimeError: a bug" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="socket files are a Unix matter")
def test_a_start_takes_over_a_stale_socket_and_closing_removes_it(qtbot):
    path = socket_path(current_server_name())
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    parent = QObject()
    server = become_the_instance(parent)
    try:
        assert server is not None and server.is_listening()
        assert ask({"command": "ping"}, server.name, 300).reached is Reached.SILENT  # listening, not serving
    finally:
        server.close()
    assert not path.exists()


# -- the window's answers ------------------------------------------------------------------


@pytest.fixture
def window(qtbot, store):
    widget = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.player.unload()
    widget.player.close()
    widget.preview_player.close()


@pytest.mark.parametrize("put_away", ["hide", "showMinimized"], ids=["in-the-tray", "minimized"])
def test_raise_brings_the_window_back(qtbot, window, put_away):
    getattr(window, put_away)()
    qtbot.waitUntil(lambda: not window.isVisible() or window.isMinimized(), timeout=2_000)
    assert answer_request(window, {"command": "raise"}) == {"ok": True}
    assert window.isVisible() and not window.isMinimized()


def test_play_by_library_name_plays_from_the_start(qtbot, window):
    window.hide()
    reply = answer_request(window, protocol.play_request(BUNDLED_TITLE.upper(), 240.0, None))
    assert reply == {"ok": True, "title": BUNDLED_TITLE}
    assert window.isVisible() and window.pages.currentIndex() == 1
    assert window.player_view.now.key == BUNDLED and window.player_view.now.length == 240.0
    qtbot.waitUntil(window.player.is_playing, timeout=20_000)


def test_play_a_file_keeps_its_listens_under_its_name(qtbot, window, tmp_path):
    script = tmp_path / "my-short-sit.md"
    script.write_text(SHORT, encoding="utf-8")
    reply = answer_request(window, protocol.play_request(str(script), None, "none"))
    assert reply == {"ok": True, "title": "Short Sit"}
    assert window.player_view.now.key == "my-short-sit"
    assert window.player_view.ambience.currentData() is None
    qtbot.waitUntil(window.player.is_playing, timeout=20_000)


def test_play_what_the_window_cannot_play_says_why(window):
    unknown = answer_request(window, protocol.play_request("no-such-meditation", None, None))
    assert unknown["ok"] is False and unknown["title"] == "No such script"
    too_short = answer_request(window, protocol.play_request(BUNDLED, 5.0, None))
    assert too_short["ok"] is False
    assert "5s is too short" in too_short["explanation"]
    assert window.player_view.pages.currentIndex() != PLAYING_PAGE


# -- real programs ---------------------------------------------------------------------------

#: The first Kindred, as `python -m app` starts it, saying on stdout what a test must see.
FIRST = """
import sys
from PySide6.QtCore import QTimer
from app.ui.main_window import MainWindow
from app.ui.app import run

shown = MainWindow.__init__
raised = MainWindow.bring_to_front

def init_and_report(self, *args, **kwargs):
    shown(self, *args, **kwargs)
    self.player_view.sessionStarted.connect(lambda title: print("STARTED", title, flush=True))
    self.player.playingChanged.connect(lambda playing: print("PLAYING", playing, flush=True))
    # Once the window has shown and the loop runs: away in the tray, for a second start to bring back.
    QTimer.singleShot(0, lambda: (self.hide(), print("READY", self.isVisible(), flush=True)))

def bring_to_front_and_report(self):
    raised(self)
    print("RAISED", self.isVisible(), flush=True)

MainWindow.__init__ = init_and_report
MainWindow.bring_to_front = bring_to_front_and_report
sys.exit(run(["kindred"]))
"""
#: The first Kindred with nothing added: `python -m app` itself.
PLAIN = "import sys; from app.cli import main; sys.exit(main([]))"


class Lines:
    """A child's stdout, line by line, waited for with a deadline (a broken child cannot hang us)."""

    def __init__(self, stream):
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self._queue.put(line) for line in stream], daemon=True).start()

    def wait_for(self, prefix: str, timeout: float = START_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left).rstrip("\n")
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line {prefix!r} in {timeout:.0f} s; the child said {self.seen}")


def kindred(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    return result, time.monotonic() - started


def wait_until_answering(child: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while ask({"command": "ping"}, current_server_name(), 1_000).reached is not Reached.ANSWERED:
        assert child.poll() is None, "the first Kindred ended before it answered"
        assert time.monotonic() < deadline, "the first Kindred never answered"
        time.sleep(0.2)


def test_a_second_kindred_raises_the_first_and_ends(kindred_home):
    with child_app(FIRST, home=kindred_home) as first:
        lines = Lines(first.stdout)
        assert lines.wait_for("READY") == "READY False"  # in the tray
        result, elapsed = kindred()
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == ALREADY_OPEN
        assert lines.wait_for("RAISED", timeout=10) == "RAISED True"
        assert first.poll() is None  # still the one window
        print(f"the second start ended in {elapsed:.2f} s")
        assert elapsed < 20  # it did not open a window of its own and wait there


def test_kindred_play_hands_the_session_to_the_open_window(kindred_home):
    with child_app(FIRST, home=kindred_home) as first:
        lines = Lines(first.stdout)
        lines.wait_for("READY")
        result, _elapsed = kindred("play", BUNDLED)
        assert result.returncode == 0, result.stderr
        # One line, and no player in the terminal (it would print progress and run for minutes).
        assert result.stdout.splitlines() == [f"Kindred's window is playing “{BUNDLED_TITLE}”."]
        # It plays, and the window is in front, out of the tray (the order of these does not matter).
        lines.wait_for("RAISED", timeout=10)
        assert {f"STARTED {BUNDLED_TITLE}", "PLAYING True", "RAISED True"} <= set(lines.seen)
        # What the window cannot play is refused with its reason, and nothing else starts.
        refused, _elapsed = kindred("play", BUNDLED, "--length", "5s")
        assert refused.returncode == 1
        assert "5s is too short" in refused.stderr and refused.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and socket files are Unix matters")
def test_a_socket_left_by_a_killed_kindred_does_not_block_the_next(kindred_home):
    path = socket_path(current_server_name())
    with child_app(PLAIN, home=kindred_home) as crashed:
        wait_until_answering(crashed)
        kill_hard(crashed)
    assert path.exists(), "the killed Kindred left no socket file: nothing was tested"
    assert ask({"command": "ping"}, current_server_name()).reached is Reached.NOBODY
    with child_app(FIRST, home=kindred_home) as next_start:
        lines = Lines(next_start.stdout)
        assert lines.wait_for("READY").startswith("READY")  # its window opened
        # ... and it is the one a later start finds.
        result, _elapsed = kindred()
        assert result.returncode == 0 and result.stdout.strip() == ALREADY_OPEN, result.stderr
        lines.wait_for("RAISED", timeout=10)


@pytest.mark.skipif(os.name != "posix", reason="SIGSTOP is a Unix matter")
def test_a_hung_kindred_does_not_hang_the_next_start(kindred_home):
    with child_app(PLAIN, home=kindred_home) as hung:
        wait_until_answering(hung)
        os.kill(hung.pid, signal.SIGSTOP)
        second = subprocess.Popen(
            [sys.executable, "-m", "app"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        try:
            started = time.monotonic()
            message = Lines(second.stderr).wait_for("Another Kindred is running", timeout=30)
            waited = time.monotonic() - started
            assert "did not answer" in message
            time.sleep(2)
            assert second.poll() is None  # it went on to open a window of its own
        finally:
            second.kill()
            second.wait()
            os.kill(hung.pid, signal.SIGCONT)
    print(f"gave up on the hung Kindred after {waited:.1f} s")
    assert waited < 15
