"""A Kindred killed mid-work leaves partial files and temporary folders; the next start removes
them, and only them: what a running Kindred is still writing stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

from app import paths
from app.leftovers import owned_prefix, partial_prefix, remove_leftovers
from tests.program import ROOT


def test_what_a_killed_render_and_a_killed_write_left_is_removed_at_the_next_start(
    kindred_home, tmp_path, monkeypatch
):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    outputs = tmp_path / "music"
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    child = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from app.files import atomic_output
        from app.render.speech_cache import SpeechCache
        from app.tts import FakeEngine
        import threading

        def write():
            with atomic_output(Path({str(outputs / "session.wav")!r})) as handle:
                handle.write(b"half a session")
                time.sleep(600)

        threading.Thread(target=write, daemon=True).start()
        cache = SpeechCache(Path({str(paths.cache_dir())!r}) / "speech", FakeEngine(delay=5.0), None, 120)
        cache.fill(["A sentence the slow voice never finishes."])
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(temporary))  # KINDRED_HOME: the fixture's
    process = subprocess.Popen([sys.executable, "-c", child], env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            raw = list(temporary.glob("kindred-speech-*"))
            partial = list(outputs.glob(".session.wav.kindred-*.part")) if outputs.exists() else []
            if raw and partial:
                break
            time.sleep(0.05)
        assert raw and partial, "the child never got to work"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert raw[0].name.startswith(f"kindred-speech-{process.pid}-")
    assert list((paths.cache_dir() / "writing").iterdir()), "the output's folder was not noted"

    # Work of this (running) process in the same places is not touched.
    ours = outputs / (partial_prefix("mine.wav") + "x.part")
    ours.write_bytes(b"in progress")
    our_folder = temporary / (owned_prefix("speech") + "y")
    our_folder.mkdir()

    removed = remove_leftovers()
    assert set(removed) == {raw[0], partial[0]}
    assert ours.exists() and our_folder.exists()
    assert not (outputs / "session.wav").exists()
    assert list((paths.cache_dir() / "writing").iterdir()) == []
