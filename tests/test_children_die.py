"""Kindred killed outright (SIGKILL): the processes it started end with it, rather than speaking
or encoding on for nobody."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.program import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def children_of(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        if parent == pid:
            found.append((int(entry.name), name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def kill_and_watch(parent: subprocess.Popen, started: list[int], limit_s: float = 5.0) -> list[int]:
    """Kills the parent; returns those of `started` still alive after `limit_s`."""
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and any(alive(pid) for pid in started):
        time.sleep(0.05)
    return [pid for pid in started if alive(pid)]


def start(program: str, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, KINDRED_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(program)], env=env, stdout=subprocess.PIPE, text=True
    )


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def wait_for_children(parent: subprocess.Popen, name: str, count: int, limit_s: float = 60) -> list[int]:
    """Children of `parent` whose command line holds `name`."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        found = [pid for pid, _ in children_of(parent.pid) if name in command_line(pid)]
        if len(found) >= count:
            return found
        assert parent.poll() is None, "the program ended before starting its children"
        time.sleep(0.05)
    raise AssertionError(f"no {name} child within {limit_s} s: {children_of(parent.pid)}")


@pytest.mark.skipif(not Path("/usr/bin/espeak-ng").exists(), reason="needs espeak-ng")
def test_speech_workers_end_when_kindred_is_killed(tmp_path):
    parent = start(
        """
        import time
        from app.tts.pyttsx3_engine import Pyttsx3Engine
        engine = Pyttsx3Engine()
        engine.ensure_ready()
        print("READY", flush=True)
        time.sleep(600)
        """,
        tmp_path,
    )
    try:
        assert parent.stdout.readline().strip() == "READY"
        workers = [pid for pid, _ in children_of(parent.pid)]
        assert workers, "no speech worker was started"
        assert kill_and_watch(parent, workers) == []
    finally:
        parent.kill()


def test_an_exports_ffmpeg_ends_when_kindred_is_killed(tmp_path):
    target = tmp_path / "long.mp3"
    parent = start(
        f"""
        from pathlib import Path
        from app.library import load_catalogue
        from app.render.export import ExportRequest, export_session
        from app.tts import FakeEngine
        entry = next(e for e in load_catalogue() if e.slug == "silent-sitting")
        request = ExportRequest(entry.script, 45 * 60, None, 120, "rain", "mp3", Path({str(target)!r}))
        export_session(request, FakeEngine())
        """,
        tmp_path,
    )
    try:
        encoders = wait_for_children(parent, "long", 1)  # the encoder writing the target, not a decode
        assert kill_and_watch(parent, encoders) == []
    finally:
        parent.kill()
