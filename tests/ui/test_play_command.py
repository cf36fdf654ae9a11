"""`kindred play`: a session played in the terminal by the same Player as the window.

The program runs for real (`python -m app play ...`) with the fake voice, so exit statuses,
what is printed and the handling of Ctrl+C are what a person gets. No sound device is
needed: without one the session plays silently, as it says.
"""

from __future__ import annotations

import io
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.render.sidecar import Chapter, Cue, Sidecar
from app.render.sounds import UnknownSound, ambience_source
from app.script import parse_script
from app.terminal.play_options import ambience_for
from app.terminal.status_line import elide, printable, status_text
from app.time_text import clock_ms
from tests.terminal import read_until_closed

ROOT = Path(__file__).resolve().parents[2]

# About 4.9 s long: two sections, a pause, and a default ambience that --ambience none turns off.
SHORT = """---
title: Short Sit
summary: Two breaths.
theme: test
ambience: rain
---
# Arriving
Breathe in.
[pause 1s]
# Resting
Breathe out.
"""

# Long enough (about 30 s) that it is still playing when it is interrupted.
LONG = """---
title: Long Sit
summary: A breath and a long silence.
theme: test
---
# Arriving
Breathe in.
[pause 30s]
Breathe out.
"""

#: A sound server that cannot exist: the "no sound output" case, whatever this machine has.
NO_SERVER = "unix:/nonexistent/kindred-no-sound-server"
PLAY_LINE = re.compile(r"^▶ (\d+:\d\d) / (\d+:\d\d)  (.*)$")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, KINDRED_ENGINE="fake", PULSE_SERVER=NO_SERVER, PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def kindred(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


# -- playing to the end ------------------------------------------------------------------


def test_play_runs_to_the_end_and_says_so(tmp_path):
    script = write(tmp_path / "short.md", SHORT)
    started = time.monotonic()
    result = kindred("play", script, "--ambience", "none")
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "Session complete."
    shown = [PLAY_LINE.match(line) for line in lines[:-1]]
    assert all(shown), lines
    # Plain lines (not a terminal): one at the start and one as each section begins, the last at the end.
    assert shown[0].group(1) == "0:00"
    assert shown[-1].group(1) == shown[-1].group(2) == "0:04"
    assert any(match.group(3).startswith("Resting") for match in shown)
    assert "\r" not in result.stdout
    # It really played the session through rather than stopping at once.
    assert elapsed > 4
    # No sound server: said once, in plain words, and the session still plays.
    assert result.stderr.count("No sound output was found, so playback is silent") == 1
    assert "qt.multimedia" not in result.stderr and "Traceback" not in result.stderr


def test_play_redraws_one_line_on_a_terminal(tmp_path):
    script = write(tmp_path / "short.md", SHORT)
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "play", str(script), "--ambience", "none"],
            cwd=ROOT,
            env=environment(),
            stdout=terminal,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(terminal)
    shown = read_until_closed(controller)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr.decode()
    text = shown.decode()
    assert "\r▶ 0:0" in text
    redraws = text.split("\r\n")[0].split("\r")  # everything drawn before the first real line break
    assert len(redraws) > 3
    assert any("Arriving — Breathe in." in redraw for redraw in redraws)
    assert text.rstrip().endswith("Session complete.")
    assert "▶ 0:04 / 0:04  Resting\r\nSession complete." in text


# -- stopping ----------------------------------------------------------------------------


def test_ctrl_c_stops_cleanly_with_status_130(tmp_path):
    script = write(tmp_path / "long.md", LONG)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "play", str(script)],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        first = process.stdout.readline()  # the first progress line: it is playing
        assert PLAY_LINE.match(first.rstrip("\n")), first
        time.sleep(1.2)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    last = stdout.splitlines()[-1]
    assert re.fullmatch(r"Stopped at 0:0[1-3]\.", last), stdout
    assert "Session complete." not in stdout
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    # The listen is in the history, with what was heard before Ctrl+C, not completed.
    (listen,) = listens()
    assert listen.title == "Long Sit" and not listen.completed
    assert 0.5 <= listen.heard_s <= 4.0


def listens():
    from app import paths
    from app.history import ListenLog, Store

    store = Store(paths.database_path())
    try:
        return ListenLog(store).listens(limit=10)
    finally:
        store.close()


def test_a_session_played_in_the_terminal_is_kept_in_the_history(tmp_path):
    script = write(tmp_path / "short.md", SHORT)
    result = kindred("play", script, "--ambience", "none")
    assert result.returncode == 0, result.stderr
    (listen,) = listens()
    assert listen.title == "Short Sit" and listen.theme == "test" and listen.completed
    assert listen.heard_s == pytest.approx(listen.length_s, abs=1.0)


# -- wrong use ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["play"], "required: SCRIPT", id="no-script"),
        pytest.param(["play", "x.md", "--length", "ten"], "invalid length 'ten'", id="bad-length"),
        pytest.param(["play", "x.md", "--rate", "fast"], "invalid rate 'fast'", id="bad-rate"),
        pytest.param(["play", "x.md", "extra"], "unrecognized arguments: extra", id="two-scripts"),
        pytest.param(["play", "x.md", "--ambience"], "expected one argument", id="ambience-without-name"),
    ],
)
def test_wrong_usage_exits_2_with_one_line(args, expected):
    result = kindred(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and lines[0].startswith("kindred")
    assert result.stdout == ""


def test_an_unknown_ambience_is_refused_before_rendering(tmp_path, kindred_home):
    script = write(tmp_path / "short.md", SHORT)
    result = kindred("play", script, "--ambience", "thunder")
    assert result.returncode == 1
    assert "There is no ambience called “thunder”" in result.stderr
    assert "rain" in result.stderr  # the ones there are
    assert not (kindred_home / "cache" / "renders").exists()
    assert "Traceback" not in result.stderr


def test_an_unknown_script_fails_clearly():
    result = kindred("play", "no-such-meditation")
    assert result.returncode == 1
    assert "neither a file nor a script in the library" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_play():
    result = kindred("--help")
    assert re.search(r"^\s+play\s", result.stdout, re.MULTILINE)


# -- the pieces of the display -----------------------------------------------------------


def test_the_ambience_is_the_scripts_unless_named_or_none():
    script = parse_script(SHORT)
    assert ambience_for(script, None) == ambience_source("rain")
    assert ambience_for(script, "none") is None
    assert ambience_for(script, "None") is None
    assert ambience_for(script, "ocean") == ambience_source("ocean")
    assert ambience_for(parse_script(LONG), None) is None  # the script has none of its own
    with pytest.raises(UnknownSound):
        ambience_for(script, "thunder")


def test_clock_and_status_line():
    assert clock_ms(0) == "0:00"
    assert clock_ms(192_400) == "3:12"
    assert clock_ms(3_723_000) == "1:02:03"
    timeline = Sidecar(
        title="Test",
        length=600.0,
        natural_length=600.0,
        sample_rate=22050,
        sections=(Chapter("Arriving", 0.5), Chapter("Resting", 100.0)),
        cues=(Cue(0.5, 3.0, "Breathe in.", 0, 0), Cue(100.0, 104.0, "Breathe out.", 1, 1)),
    )
    assert status_text(timeline, 1_000, 600_000) == "▶ 0:01 / 10:00  Arriving — Breathe in."
    assert status_text(timeline, 50_000, 600_000) == "▶ 0:50 / 10:00  Arriving"  # a silence: no caption
    assert status_text(timeline, 192_000, 600_000) == "▶ 3:12 / 10:00  Resting"
    silent = Sidecar(title="Untitled", length=5.0, natural_length=5.0, sample_rate=22050)
    assert status_text(silent, 0, 5_000, "Untitled") == "▶ 0:00 / 0:05  Untitled"
    assert elide("Breathe in slowly", 10) == "Breathe i…"
    assert len(elide("x" * 200, 40)) == 40
    assert elide("short", 40) == "short"


def test_a_terminal_that_cannot_show_the_symbols_gets_plain_ones():
    class Ascii(io.StringIO):
        encoding = "ascii"

    assert (
        printable("▶ 0:01 / 10:00  Arriving — Breathe…", Ascii()) == "> 0:01 / 10:00  Arriving - Breathe..."
    )
    assert printable("▶ 0:01", io.StringIO()) == "▶ 0:01"
