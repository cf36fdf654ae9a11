"""The streaming output through a real (null) PulseAudio sink, recorded from its monitor: the
session mixed block by block from its timeline is heard as planned, with no underrun."""

from __future__ import annotations

import textwrap

import pytest

from tests.audio_measure import sound_stretches
from tests.pulse import missing_tools, play_recorded

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=f"missing: {', '.join(missing_tools())}")

#: The child: renders a short session with the fake voice, then streams it from its timeline.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from app.render import render_session
    from app.render.levels import pcm_samples
    from app.render.pcm import SESSION_RATE
    from app.render.sounds import decoded_bell
    from app.render.speech_cache import SpeechCache
    from app.render.timeline import plan_timeline
    from app.render.voice_track import SessionSource, VoiceTrack
    from app.script import parse_script
    from app.tts import FakeEngine
    from app.ui.services.stream_output import StreamOutput

    script = parse_script(Path(sys.argv[1]).read_text("utf-8"))
    cache_root = Path(sys.argv[2])
    engine = FakeEngine()
    result = render_session(script, engine, length=16.0, cache_root=cache_root)
    cache = SpeechCache(cache_root / "speech", engine, None, 120)
    clips = {c.text: pcm_samples(cache.path_for(c.text))[0] for c in result.timeline.cues}
    bell = pcm_samples(decoded_bell(None, cache_root))[0]
    timeline = plan_timeline(script, lambda t: len(clips[t]), lambda n: len(bell), SESSION_RATE, 16.0)
    app = QCoreApplication([])
    output = StreamOutput(SESSION_RATE)
    output.start(SessionSource(VoiceTrack(timeline, clips.get, lambda name: bell)))
    deadline = time.monotonic() + 30
    while not output.finished() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    time.sleep(0.8)  # what the sink still holds reaches the speakers
    print("UNDERRUNS", output.underruns(), "FINISHED", output.finished(), flush=True)
    for cue in result.timeline.cues:
        print("CUE", cue.start, cue.end, flush=True)
    output.stop()
    """
)

SCRIPT = """---
title: Streamed
summary: Three sentences and a bell.
theme: test
---
Let your body settle into the chair beneath you.
[pause 1s]
Notice where you are holding on, and let it soften.
[pause 1s+]
Breathe in slowly.
"""


def test_a_session_streamed_from_its_timeline_is_heard_as_planned(tmp_path):
    played, samples, rate = play_recorded(CHILD, SCRIPT, tmp_path, timeout=60)
    assert played.returncode == 0, played.stderr
    report = played.stdout.split()
    assert report[:4] == ["UNDERRUNS", "0", "FINISHED", "True"], played.stdout
    cue_lines = [line.split() for line in played.stdout.splitlines() if line.startswith("CUE")]
    cues = [(float(start), float(end)) for _, start, end in cue_lines]
    assert len(cues) == 3

    heard = sound_stretches(samples, rate)
    assert len(heard) == len(cues), heard
    offset = heard[0][0] - cues[0][0]
    for (start, end), (cue_start, cue_end) in zip(heard, cues, strict=True):
        assert start - offset == pytest.approx(cue_start, abs=0.1)
        assert end - offset == pytest.approx(cue_end, abs=0.1)


#: The child: a steady tone; the UI thread is then kept busy for a second (no events), and
#: the output is closed and opened again on the default device (as when speakers change).
BUSY_CHILD = textwrap.dedent(
    """
    import time
    import numpy as np
    from PySide6.QtCore import QCoreApplication
    from app.ui.services.stream_output import StreamOutput

    class Tone:
        total_frames = 22050 * 6
        def read(self, start, frames):
            t = np.arange(start, start + frames) / 22050.0
            return (np.sin(2 * np.pi * 330 * t) * 6000).astype(np.int16)

    def run(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    app = QCoreApplication([])
    output = StreamOutput(22050)
    output.prepare()
    run(1.6)  # the first stream of a process is slow to get going
    output.start(Tone())
    run(1.0)
    before = output.position_frames()
    busy_until = time.monotonic() + 1.0
    while time.monotonic() < busy_until:
        pass  # the window at work: no events for a second
    print("DURING", output.position_frames() - before, flush=True)
    run(0.5)
    output._follow_default_output()  # closed and opened again, from where it was
    moved = output.position_frames()
    run(1.0)
    print("AFTER", output.position_frames() - moved, flush=True)
    while not output.finished():
        app.processEvents()
        time.sleep(0.01)
    time.sleep(0.6)
    print("LATE", output.underrun_kinds()[1], flush=True)
    output.close()
    """
)


def test_a_busy_window_does_not_stop_the_sound_and_a_new_device_takes_over(tmp_path):
    """The sink reads through its device's thread: with the device on the UI thread, a second
    of work there was a second without a read (a gap the listener hears)."""
    played, samples, rate = play_recorded(BUSY_CHILD, SCRIPT, tmp_path, timeout=60)
    assert played.returncode == 0, played.stderr
    lines = dict(line.split() for line in played.stdout.splitlines())
    session_rate = 22050
    assert int(lines["DURING"]) > 0.8 * session_rate, "the sound stopped while the UI thread was busy"
    assert int(lines["AFTER"]) > 0.5 * session_rate, "the output did not go on after reopening"
    assert lines["LATE"] == "0"
    heard = sound_stretches(samples, rate)
    # One tone from start to end, except at most the reopening's own short break.
    before_reopen = heard[0]
    assert before_reopen[1] - before_reopen[0] > 2.3, heard
