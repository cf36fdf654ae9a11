"""No sleep mid-session and the daily reminder, against stub desktop services on a private bus.

The window runs in a child process: the session bus address must be set before Qt connects.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import paths, reminders
from app.history import ListenLog, NewListen, Store
from app.library import load_catalogue
from tests.ui.dbus_stubs import DBUS_DAEMON, calls, private_bus, stub_services, wait_for

ROOT = Path(__file__).resolve().parents[2]
NO_SOUND_SERVER = "unix:/nonexistent/kindred-no-sound-server"

pytestmark = pytest.mark.skipif(not Path(DBUS_DAEMON).exists(), reason="dbus-daemon is not installed")

#: About 3 s: long enough to pause in, short enough to end within the test.
SHORT = """---
title: Short Sit
summary: Two breaths.
theme: test
---
# Arriving
Breathe in.
[pause 2s]
Breathe out.
"""

WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app import paths
from app.history import Store
from app.library import load_catalogue
from app.tts import create_engine
from app.ui.main_window import MainWindow

app = QApplication([])
store = Store(paths.database_path())
window = MainWindow(store, load_catalogue(), create_engine())
window.show()
QTimer.singleShot(30_000, window.quit)  # never outlives a broken test for long


def say(text):
    print(text, flush=True)
"""

PLAY_PAUSE_END_QUIT = """
from app.script import parse_script

script = parse_script(open(sys.argv[1], encoding="utf-8").read())
player = window.player
player.playingChanged.connect(lambda playing: say(f"playing {playing}"))


def after_end():
    say("finished")
    QTimer.singleShot(500, player.play)  # once more from the start …
    QTimer.singleShot(1500, window.quit)  # … and quit while it plays


player.finished.connect(after_end)
QTimer.singleShot(0, lambda: window.player_view.open_script("test", script, None, ambience="none"))
QTimer.singleShot(1200, player.pause)
QTimer.singleShot(2000, player.play)
sys.exit(app.exec())
"""

WAIT_FOR_REMINDER = """
def opened(slug):
    def report():
        entry = window.library.selected_entry()
        say(f"opened {slug} visible={window.isVisible()} selected={entry.slug if entry else None}")
    QTimer.singleShot(100, report)


window.reminder.openRequested.connect(opened)
say("ready")
sys.exit(app.exec())
"""


def run_window(code: str, address: str, home: Path, *args: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DBUS_SESSION_BUS_ADDRESS=address,
        KINDRED_HOME=str(home),
        KINDRED_ENGINE="fake",
        QT_QPA_PLATFORM="offscreen",
        PULSE_SERVER=NO_SOUND_SERVER,
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return subprocess.Popen(
        [sys.executable, "-c", WINDOW + code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def finish(child: subprocess.Popen, timeout: float = 30) -> tuple[str, str]:
    try:
        return child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()


# -- no sleep mid-session -------------------------------------------------------------------------


def play_through(tmp_path: Path, kindred_home: Path, *services: str) -> tuple[list[dict], str, str]:
    script = tmp_path / "short.md"
    script.write_text(SHORT, encoding="utf-8")
    log = tmp_path / "calls.jsonl"
    with private_bus() as address, stub_services(address, log, *services):
        child = run_window(PLAY_PAUSE_END_QUIT, address, kindred_home, str(script))
        out, err = finish(child)
        assert child.returncode == 0, err
        return calls(log), out, err


def test_the_portal_inhibits_while_playing_and_is_released_at_pause_end_and_quit(tmp_path, kindred_home):
    recorded, out, _err = play_through(tmp_path, kindred_home, "portal")
    # The child played, paused, played on to the end, played again and quit while playing.
    assert out.splitlines().count("playing True") == 3, out
    assert "finished" in out
    kinds = [call["call"] for call in recorded]
    assert kinds == ["Inhibit", "Request.Close"] * 3, recorded
    for inhibit, close in zip(recorded[::2], recorded[1::2], strict=True):
        assert inhibit["flags"] == 4 | 8  # suspend and idle
        assert inhibit["window"] == "" and inhibit["reason"]
        assert close["handle"] == inhibit["handle"]  # each inhibition's own request is closed
    assert len({call["handle"] for call in recorded}) == 3


def test_without_a_portal_the_screensaver_is_inhibited_and_uninhibited(tmp_path, kindred_home):
    recorded, _out, _err = play_through(tmp_path, kindred_home, "screensaver")
    kinds = [call["call"] for call in recorded]
    assert kinds == ["ScreenSaver.Inhibit", "ScreenSaver.UnInhibit"] * 3, recorded
    assert all(call["cookie"] == 41 for call in recorded)
    assert recorded[0]["application"] == "Kindred"


def test_without_any_service_a_session_plays_and_nothing_is_said(tmp_path, kindred_home):
    recorded, out, err = play_through(tmp_path, kindred_home)  # a bus, but nobody on it
    assert recorded == []
    assert "finished" in out
    assert "dbus" not in err.lower() and "Traceback" not in err


# -- the daily reminder ---------------------------------------------------------------------------


def set_up_reminder(due: datetime, played_today: bool) -> str:
    """A reminder due at `due`, a listen of a bundled session yesterday (or today); its slug."""
    slug = load_catalogue()[0].slug
    store = Store(paths.database_path())
    try:
        store.set_setting(reminders.ENABLED_KEY, True)
        store.set_setting(reminders.TIME_KEY, due.strftime("%H:%M:%S"))
        store.set_setting(reminders.DAYS_KEY, list(range(7)))
        started = due - timedelta(seconds=10) if played_today else due - timedelta(days=1)
        started = started.astimezone()
        ListenLog(store).add_listens(
            [
                NewListen(
                    slug,
                    "A session",
                    "test",
                    600,
                    started,
                    None,
                    600,
                    started + timedelta(minutes=10),
                    True,
                    False,
                    None,
                )
            ]
        )
    finally:
        store.close()
    return slug


def reminder_moment() -> datetime:
    due = (datetime.now() + timedelta(seconds=3)).replace(microsecond=0)  # stored to the second
    if not (due - timedelta(seconds=10)).date() == due.date() == (due + timedelta(seconds=20)).date():
        pytest.skip("too close to midnight for a reminder later today")
    return due


def test_a_reminder_due_now_notifies_and_its_action_opens_the_last_session(tmp_path, kindred_home):
    due = reminder_moment()
    slug = set_up_reminder(due, played_today=False)
    log = tmp_path / "calls.jsonl"
    with private_bus() as address, stub_services(address, log, "notifications", invoke="open"):
        child = run_window(WAIT_FOR_REMINDER, address, kindred_home)
        try:
            assert child.stdout.readline().strip() == "ready"
            recorded = wait_for(log, 1, timeout=15)
            shown_at = datetime.now()
            line = child.stdout.readline().strip()
        finally:
            child.kill()
            child.communicate()
    (notify,) = [call for call in recorded if call["call"] == "Notify"]
    assert notify["summary"] == "A few minutes for yourself?"
    assert "Open Kindred" in notify["actions"] and "open" in notify["actions"]
    assert notify["hints"]["desktop-entry"] == paths.APP_ID
    assert shown_at >= due  # not before its time
    assert line == f"opened {slug} visible=True selected={slug}"
    store = Store(paths.database_path())
    try:
        assert store.get_setting(reminders.SHOWN_KEY) == due.date().isoformat()
    finally:
        store.close()


def test_no_reminder_when_a_session_was_played_that_day(tmp_path, kindred_home):
    due = reminder_moment()
    set_up_reminder(due, played_today=True)
    log = tmp_path / "calls.jsonl"
    with private_bus() as address, stub_services(address, log, "notifications"):
        child = run_window(WAIT_FOR_REMINDER, address, kindred_home)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(max(0.0, (due - datetime.now()).total_seconds()) + 2.5)
            assert child.poll() is None  # it was running, and checked, past the reminder's time
        finally:
            child.kill()
            child.communicate()
    assert calls(log) == []
