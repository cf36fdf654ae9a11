"""The desktop's media controls (MPRIS), driven by a real client on a private session bus.

A private `dbus-daemon` runs for this module (its own configuration, ended by its pid). The
whole window runs in a child process on that bus with the fake voice, playing a three-chapter
session silently (no sound server); `gdbus call` then does what a panel or a media key would.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from tests.ui.dbus_stubs import private_bus

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "org.mpris.MediaPlayer2.kindred"
PATH = "/org/mpris/MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
NO_SOUND_SERVER = "unix:/nonexistent/kindred-no-sound-server"
NO_BUS = "unix:path=/nonexistent/kindred-no-session-bus"
TOOLS = ("dbus-daemon", "gdbus")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]

# Three chapters, each a sentence and a pause: Resting starts some 8 s in, Returning some 16 s.
SCRIPT = """---
title: Three Rooms
summary: A sentence and a rest in each of three chapters.
theme: test
---
# Arriving
Breathe in.
[pause 8s]
# Resting
Breathe out.
[pause 8s]
# Returning
Open your eyes.
[pause 8s]
"""

# The window app as `kindred` runs it, playing SCRIPT; it reports its MPRIS name and what it shows.
CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app import paths
from app.history import Store
from app.library import load_catalogue
from app.script import parse_script
from app.tts import FakeEngine
from app.ui.main_window import MainWindow

app = QApplication([])
store = Store(paths.database_path())
window = MainWindow(store, load_catalogue(), FakeEngine())
controls = window.media_controls
print("SERVICE", controls.service if controls is not None else None, flush=True)
if "--show" in sys.argv:
    window.show()
window.player_view.open_script("three-rooms", parse_script(sys.argv[1]), None, ambience="none")
shown = [None]

def report():
    if window.isVisible() != shown[0]:
        shown[0] = window.isVisible()
        print("VISIBLE", shown[0], flush=True)
    if window.player.is_playing():
        print("PLAYING", flush=True)

ticker = QTimer()
ticker.timeout.connect(report)
ticker.start(100)
app.exec()
"""

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class Child:
    """The running window app; its printed lines are read on a thread so a test never blocks."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
        raise AssertionError(f"the app never printed {prefix!r}")


def start_child(home: Path, bus_address: str, *options: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        KINDRED_HOME=str(home),
        KINDRED_ENGINE="fake",
        QT_QPA_PLATFORM="offscreen",
        PULSE_SERVER=NO_SOUND_SERVER,
        DBUS_SESSION_BUS_ADDRESS=bus_address,
    )
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, SCRIPT, *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def end(process: subprocess.Popen) -> str:
    """Ends a process this module started (by its own handle) and returns what it wrote to stderr."""
    if process.poll() is None:
        process.kill()
    _out, err = process.communicate(timeout=30)
    return err or ""


@pytest.fixture(scope="module")
def bus(tmp_path_factory) -> Iterator[str]:
    """A private session bus; its address."""
    folder = tmp_path_factory.mktemp("bus")
    config = folder / "session.conf"
    config.write_text(BUS_CONFIG.format(folder=folder), encoding="utf-8")
    with private_bus(config) as address:  # eavesdropping allowed: `gdbus monitor` sees the signals
        yield address


@pytest.fixture(scope="module")
def app(bus, tmp_path_factory) -> Iterator[Child]:
    """The window app playing SCRIPT, published on the private bus."""
    process = start_child(tmp_path_factory.mktemp("home"), bus)
    child = Child(process)
    try:
        assert child.wait_for("SERVICE") == f"SERVICE {SERVICE}"
        child.wait_for("PLAYING")
        yield child
    finally:
        end(process)


def gdbus(bus: str, method: str, *args: str, dest: str = SERVICE, path: str = PATH) -> str:
    """`gdbus call` on the private bus (by default to Kindred's player object); its printed answer."""
    result = subprocess.run(
        ["gdbus", "call", "--session", "--dest", dest, "--object-path", path, "--method", method, *args],
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def get(bus: str, name: str, interface: str = PLAYER) -> str:
    return gdbus(bus, "org.freedesktop.DBus.Properties.Get", interface, name)


def status(bus: str) -> str:
    return re.fullmatch(r"\(<'(\w+)'>,\)", get(bus, "PlaybackStatus")).group(1)


def position_s(bus: str) -> float:
    answer = get(bus, "Position")
    match = re.fullmatch(r"\(<int64 (-?\d+)>,\)", answer)
    assert match, f"Position is not a 64-bit integer: {answer}"
    return int(match.group(1)) / 1e6


def chapter(bus: str) -> str:
    return re.search(r"'xesam:album': <'([^']*)'>", get(bus, "Metadata")).group(1)


def track_id(bus: str) -> str:
    return re.search(r"'mpris:trackid': <objectpath '([^']+)'>", get(bus, "Metadata")).group(1)


def until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Monitor:
    """`gdbus monitor` on Kindred's name: the signals a panel would receive."""

    def __init__(self, bus: str):
        self.process = subprocess.Popen(
            ["gdbus", "monitor", "--session", "--dest", SERVICE],
            env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus),
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        assert until(lambda: any("is owned by" in line for line in self.lines)), "gdbus monitor did not start"

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def seen(self, pattern: str, timeout: float = 5) -> bool:
        return until(lambda: any(re.search(pattern, line) for line in self.lines), timeout)

    def close(self) -> None:
        end(self.process)


pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"missing: {', '.join(MISSING)}")


def test_a_client_sees_kindred_and_reads_what_it_plays(bus, app):
    daemon = "org.freedesktop.DBus"
    names = gdbus(bus, f"{daemon}.ListNames", dest=daemon, path="/org/freedesktop/DBus")
    assert f"'{SERVICE}'" in names

    root = gdbus(bus, "org.freedesktop.DBus.Properties.GetAll", "org.mpris.MediaPlayer2")
    assert "'Identity': <'Kindred'>" in root
    assert f"'DesktopEntry': <'{paths.APP_ID}'>" in root
    assert "'CanRaise': <true>" in root

    player = gdbus(bus, "org.freedesktop.DBus.Properties.GetAll", PLAYER)
    assert "'PlaybackStatus': <'Playing'>" in player
    assert "'CanPlay': <true>" in player and "'CanPause': <true>" in player and "'CanSeek': <true>" in player
    assert "'CanControl': <true>" in player
    # In the first chapter: there is a next one, and nothing before it.
    assert "'CanGoNext': <true>" in player and "'CanGoPrevious': <false>" in player
    assert re.search(r"'Position': <int64 \d+>", player)

    metadata = get(bus, "Metadata")
    assert "'xesam:title': <'Three Rooms'>" in metadata
    assert "'xesam:artist': <['Kindred']>" in metadata
    assert "'xesam:album': <'Arriving'>" in metadata
    assert re.search(r"'mpris:trackid': <objectpath '/io/github/kindred/Kindred/session/\d+'>", metadata)
    # 64-bit as the specification says, although the session is short enough for 32 bits.
    length_s = int(re.search(r"'mpris:length': <int64 (\d+)>", metadata).group(1)) / 1e6
    assert 24 < length_s < 40  # three 8 s pauses and three short sentences
    art = re.search(r"'mpris:artUrl': <'(file://[^']+)'>", metadata).group(1)
    assert art.endswith("/kindred.svg") and Path(art.removeprefix("file://")).is_file()


def test_play_pause_stop_and_play_again(bus, app):
    monitor = Monitor(bus)
    try:
        gdbus(bus, f"{PLAYER}.PlayPause")
        assert until(lambda: status(bus) == "Paused")
        assert monitor.seen(rf"PropertiesChanged \('{PLAYER}', \{{'PlaybackStatus': <'Paused'>")
        paused_at = position_s(bus)
        time.sleep(0.5)
        assert abs(position_s(bus) - paused_at) < 0.05  # paused means the place holds
        gdbus(bus, f"{PLAYER}.PlayPause")
        assert until(lambda: status(bus) == "Playing")
        assert monitor.seen(r"'PlaybackStatus': <'Playing'>")
        assert until(lambda: position_s(bus) > paused_at + 0.3)

        gdbus(bus, f"{PLAYER}.Stop")
        assert until(lambda: status(bus) == "Stopped")
        assert position_s(bus) < 0.05
        gdbus(bus, f"{PLAYER}.Play")
        assert until(lambda: status(bus) == "Playing")
        gdbus(bus, f"{PLAYER}.Pause")
        assert until(lambda: status(bus) == "Paused")
    finally:
        monitor.close()


def test_next_and_previous_jump_between_chapters(bus, app):
    gdbus(bus, f"{PLAYER}.Pause")
    gdbus(bus, f"{PLAYER}.SetPosition", track_id(bus), "1000000")
    assert chapter(bus) == "Arriving"
    monitor = Monitor(bus)
    try:
        gdbus(bus, f"{PLAYER}.Next")
        assert until(lambda: chapter(bus) == "Resting")
        resting_start = position_s(bus)
        assert 6 < resting_start < 14
        assert monitor.seen(r"'xesam:album': <'Resting'>")  # the metadata change is announced
        assert monitor.seen(r"'mpris:length': <int64 \d+>")  # typed in the signal as in a reply
        assert monitor.seen(rf"Seeked \(int64 {round(resting_start * 1e6)},\)")
        assert get(bus, "CanGoPrevious") == "(<true>,)"

        gdbus(bus, f"{PLAYER}.Next")
        assert until(lambda: chapter(bus) == "Returning")
        assert position_s(bus) > resting_start + 6
        assert get(bus, "CanGoNext") == "(<false>,)"
        last_start = position_s(bus)
        gdbus(bus, f"{PLAYER}.Next")  # there is no chapter after the last: nothing happens
        assert chapter(bus) == "Returning" and position_s(bus) == last_start

        gdbus(bus, f"{PLAYER}.Previous")
        assert until(lambda: chapter(bus) == "Resting")
        assert position_s(bus) == resting_start
        gdbus(bus, f"{PLAYER}.Previous")
        assert until(lambda: chapter(bus) == "Arriving")
        assert position_s(bus) == 0
    finally:
        monitor.close()


def test_seek_and_set_position_move_the_place(bus, app):
    gdbus(bus, f"{PLAYER}.Pause")
    track = track_id(bus)
    monitor = Monitor(bus)
    try:
        gdbus(bus, f"{PLAYER}.SetPosition", track, "2000000")
        assert abs(position_s(bus) - 2) < 0.05
        assert monitor.seen(r"Seeked \(int64 2000000,\)")

        gdbus(bus, f"{PLAYER}.Seek", "5000000")
        assert abs(position_s(bus) - 7) < 0.05
        assert monitor.seen(r"Seeked \(int64 7000000,\)")
        gdbus(bus, f"{PLAYER}.Seek", "--", "-3000000")
        assert abs(position_s(bus) - 4) < 0.05
        gdbus(bus, f"{PLAYER}.Seek", "--", "-60000000")  # before the start is the start
        assert position_s(bus) < 0.05

        # The TrackId rule: a position for another track, or outside this one, is ignored.
        gdbus(bus, f"{PLAYER}.SetPosition", "/io/github/kindred/Kindred/session/999", "3000000")
        assert position_s(bus) < 0.05
        gdbus(bus, f"{PLAYER}.SetPosition", track, "3600000000")
        assert position_s(bus) < 0.05
        gdbus(bus, f"{PLAYER}.SetPosition", track, "3000000")
        assert abs(position_s(bus) - 3) < 0.05
    finally:
        monitor.close()


def test_raise_shows_the_hidden_window(bus, app):
    # The window starts hidden in the child (it never called show()): as if closed to the tray.
    gdbus(bus, "org.mpris.MediaPlayer2.Raise")
    assert app.wait_for("VISIBLE True", timeout=10) == "VISIBLE True"


def test_without_a_session_bus_the_window_starts_and_plays_quietly(tmp_path):
    process = start_child(tmp_path / "home", NO_BUS, "--show")
    child = Child(process)
    try:
        assert child.wait_for("SERVICE") == "SERVICE None"
        child.wait_for("VISIBLE True")
        child.wait_for("PLAYING")
        assert process.poll() is None
    finally:
        errors = end(process)
    assert not re.search(r"d-?bus|mpris", errors, re.IGNORECASE), errors
