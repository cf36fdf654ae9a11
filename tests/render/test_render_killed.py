"""A render killed mid-way leaves no file in the cache."""

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from pathlib import Path
from app.render import render_session
from app.script import load_script
from app.tts import FakeEngine
script = load_script("scripts/choosing-compassion.md")
render_session(script, FakeEngine(delay=0.05), length=1800, cache_root=Path(sys.argv[1]))
print("finished")
"""


def test_killing_a_render_leaves_only_whole_clips_and_no_session(tmp_path):
    cache = tmp_path / "cache"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(cache)], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(cache.glob("speech/*/*.wav"))) < 5:
            time.sleep(0.02)
        assert child.poll() is None, "the render finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert list(cache.glob("renders/*")) == []
    clips = [p for p in cache.rglob("*") if p.is_file()]
    assert len(clips) >= 5
    for clip in clips:
        assert clip.suffix == ".wav", clip
        with wave.open(str(clip)) as reader:  # a whole file: its header agrees with its size
            assert reader.getnframes() * 2 + 44 == clip.stat().st_size
