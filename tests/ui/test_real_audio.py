"""What the player plays is really heard: a session played by `kindred play` into a private
PulseAudio null sink is recorded, and its sound and silences are compared with the timeline.

Needs `pulseaudio` and `parec` (`make test` installs them with tools/install-system-packages.sh).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.render import render_session
from app.script import load_script
from app.tts import FakeEngine
from tests.pulse import missing_tools, private_pulse, read_recording

pytestmark = pytest.mark.skipif(
    bool(missing_tools()),
    reason=f"needs {', '.join(missing_tools())} (Debian: apt-get install pulseaudio pulseaudio-utils, "
    "which `make test` does through tools/install-system-packages.sh test)",
)

ROOT = Path(__file__).resolve().parents[2]

# Three sentences, a fixed, a natural and a flexible silence; 13 s at the chosen length.
SCRIPT = """---
title: Heard Aloud
summary: Three sentences and the silences between them.
theme: test
---
# Arriving
Breathe in slowly.
[pause 2s]
Feel the ground.
# Letting go
And let it go.
[pause 1s+]
"""
LENGTH_S = 13

#: How far the recording may stray from the timeline (capture start, buffering, clocks).
TOLERANCE_S = 0.150
WINDOW_S = 0.010
#: Speech from the fake voice at the default volume measures about -30 dBFS; a null sink's
#: silence is digital zero. Anything louder than this counts as sound.
SOUND_DB = -50.0
SPEECH_DB = -42.0
SILENCE_DB = -65.0


def levels_db(samples: np.ndarray, rate: int, window_s: float) -> np.ndarray:
    """RMS level of each window, in dBFS."""
    size = max(1, int(rate * window_s))
    count = len(samples) // size
    frames = samples[: count * size].reshape(count, size)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def sound_blocks(levels: np.ndarray, window_s: float, bridge_s: float = 0.3) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch of sound; gaps shorter than bridge_s are inside a block."""
    loud = np.flatnonzero(levels > SOUND_DB)
    blocks: list[list[float]] = []
    for index in loud:
        start, end = index * window_s, (index + 1) * window_s
        if blocks and start - blocks[-1][1] < bridge_s:
            blocks[-1][1] = end
        else:
            blocks.append([start, end])
    return [(start, end) for start, end in blocks]


def level_between(samples: np.ndarray, rate: int, start: float, end: float, window_s: float) -> np.ndarray:
    piece = samples[int(start * rate) : int(end * rate)]
    return levels_db(piece, rate, window_s)


def test_speech_is_heard_where_the_timeline_speaks_and_silence_where_it_pauses(tmp_path):
    script_path = tmp_path / "heard-aloud.md"
    script_path.write_text(SCRIPT, encoding="utf-8")
    # Rendered here for its timeline; the player's own render finds it in the (same) cache.
    timeline = render_session(load_script(script_path), FakeEngine(), length=LENGTH_S).timeline
    cues, pauses = timeline.cues, timeline.pauses
    assert len(cues) == 3 and len(pauses) == 2

    capture = tmp_path / "captured.wav"
    with private_pulse() as pulse, pulse.record(capture):
        env = pulse.client_env({**os.environ, "KINDRED_ENGINE": "fake"})
        played = subprocess.run(
            [sys.executable, "-m", "app", "play", str(script_path), "--length", f"{LENGTH_S}s"]
            + ["--ambience", "none"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=40,
        )
        time.sleep(0.4)  # the last buffered audio reaches the sink after the player has finished

    assert played.returncode == 0, played.stderr
    assert "Session complete." in played.stdout
    assert "No sound output" not in played.stderr  # it played into the sink, not silently

    samples, rate = read_recording(capture)
    levels = levels_db(samples, rate, WINDOW_S)
    blocks = sound_blocks(levels, WINDOW_S)
    assert blocks, "nothing was heard in the recording"

    # The recording started before the player: align its first sound with the first cue.
    offset = blocks[0][0] - cues[0].start
    assert len(blocks) == len(cues), f"heard {blocks}, expected {len(cues)} stretches of speech"
    for (heard_start, heard_end), cue in zip(blocks, cues, strict=True):
        assert heard_start - offset == pytest.approx(cue.start, abs=TOLERANCE_S), cue.text
        assert heard_end - offset == pytest.approx(cue.end, abs=TOLERANCE_S), cue.text
        # Speech all the way through, not a burst with dropouts (50 ms windows ride over syllables).
        inside = level_between(
            samples, rate, cue.start + offset + TOLERANCE_S, cue.end + offset - TOLERANCE_S, 0.05
        )
        assert inside.min() > SPEECH_DB, cue.text

    # Every silence the timeline has (pauses and the natural gap between paragraphs) is silent.
    gaps = [(a.end, b.start) for a, b in zip(cues, cues[1:], strict=False)]
    gaps.append((cues[-1].end, timeline.length))
    for pause in pauses:
        assert any(start <= pause.start and pause.end <= end for start, end in gaps)
    for start, end in gaps:
        quiet = level_between(samples, rate, start + offset + TOLERANCE_S, end + offset - TOLERANCE_S, 0.05)
        assert quiet.size > 0
        assert quiet.max() < SILENCE_DB, f"sound in the silence from {start:.2f} s to {end:.2f} s"

    # Speech is well above the floor, and the session was played whole (the recording reaches its end).
    speech = level_between(samples, rate, cues[0].start + offset, cues[0].end + offset, 0.05)
    assert np.median(speech) > SILENCE_DB + 25
    assert len(samples) / rate >= offset + timeline.length
