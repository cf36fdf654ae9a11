"""The streaming player through a real (null) PulseAudio sink, recorded: an uncached session
starts after a short "preparing", a seek into what the voice has not spoken yet plays from
there, and the session finishes with no underrun."""

from __future__ import annotations

import textwrap
import time

import pytest

from tests.audio_measure import sound_stretches
from tests.pulse import missing_tools, play_recorded

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=f"missing: {', '.join(missing_tools())}")

SEEK_MS = 18_000

CHILD = textwrap.dedent(
    f"""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from app.render.streaming import StreamingSession
    from app.script import parse_script
    from app.tts import FakeEngine
    from app.ui.services.stream_player import StreamPlayer

    app = QCoreApplication([])
    script = parse_script(Path(sys.argv[1]).read_text("utf-8"))
    # A slow voice (0.3 s a sentence): the start and the seek have to wait for it.
    session = StreamingSession(
        script, FakeEngine(delay=0.3), length=32.0, voice=None, rate=120, cache_root=Path(sys.argv[2])
    )
    player = StreamPlayer()
    events = []
    player.preparingChanged.connect(lambda on: events.append(("PREPARING", on)))
    player.finished.connect(lambda: events.append(("FINISHED", True)))

    def run_until(condition, limit):
        deadline = time.monotonic() + limit
        while not condition() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    player.load(session)
    run_until(lambda: player.position() >= 6000, 20)  # past the first sentence
    player.seek({SEEK_MS})
    print("SEEKED", player.position(), flush=True)
    run_until(lambda: ("FINISHED", True) in events, 40)
    time.sleep(0.8)
    for name, value in events:
        print(name, value, flush=True)
    print("UNDERRUNS", player.underruns(), flush=True)
    for event in session.timeline.speech():
        print("CUE", event.start / 22050, event.end / 22050, flush=True)
    player.unload()
    """
)

SCRIPT = """---
title: Sought
summary: Sentences to skip over.
theme: test
---
# One
Let your body settle into the chair beneath you.
[pause 2s+]
Notice where you are holding on.
[pause 2s+]
# Two
Breathe in slowly, and let the breath go.
[pause 1s]
There is nothing you need to fix right now.
[pause 2s+]
When you are ready, open your eyes.
"""


def test_preparing_then_playing_then_a_seek_into_unspoken_sentences(tmp_path):
    played, samples, rate = play_recorded(CHILD, SCRIPT, tmp_path, timeout=90)
    assert played.returncode == 0, played.stderr
    lines = played.stdout.splitlines()
    seeked = int(next(line for line in lines if line.startswith("SEEKED")).split()[1])
    assert abs(seeked - SEEK_MS) <= 50
    events = [line for line in lines if line.startswith(("PREPARING", "FINISHED"))]
    assert events[0] == "PREPARING True" and "PREPARING False" in events  # waited for the voice, then played
    assert events[-1] == "FINISHED True"
    assert "UNDERRUNS 0" in lines
    cues = [tuple(map(float, line.split()[1:])) for line in lines if line.startswith("CUE")]

    heard = sound_stretches(samples, rate)
    assert heard, "nothing was heard"
    # The first sentence plays whole; after the seek, the sentences from there on play as planned.
    offset = heard[0][0] - cues[0][0]
    assert heard[0][1] - heard[0][0] == pytest.approx(cues[0][1] - cues[0][0], abs=0.1)
    after = [cue for cue in cues if cue[0] >= SEEK_MS / 1000]
    assert after, cues
    tail = heard[-len(after) :]
    for (start, end), (cue_start, cue_end) in zip(tail, after, strict=True):
        assert end - start == pytest.approx(cue_end - cue_start, abs=0.1)
    spacing = [b[0] - a[0] for a, b in zip(tail, tail[1:], strict=False)]
    planned = [b[0] - a[0] for a, b in zip(after, after[1:], strict=False)]
    assert spacing == pytest.approx(planned, abs=0.1)
    assert offset > 0


def test_without_any_sound_output_the_session_plays_on_silently_to_its_end(qtbot, tmp_path):
    """The test machine has no sound server here: the position moves at the speakers' pace."""
    from app.render.streaming import StreamingSession
    from app.script import parse_script
    from app.tts import FakeEngine
    from app.ui.services.stream_player import StreamPlayer

    text = "---\ntitle: T\nsummary: S.\ntheme: t\n---\nBreathe in.\n[pause 1s+]\nBreathe out.\n"
    script = parse_script(text)
    session = StreamingSession(script, FakeEngine(), length=6.0, voice=None, rate=120, cache_root=tmp_path)
    player = StreamPlayer()
    player.load(session)
    assert not player.has_audio_device()
    assert player.duration() == 6000
    started = time.monotonic()
    with qtbot.waitSignal(player.finished, timeout=15_000):
        pass
    # At the speakers' pace, not as fast as it can be mixed (the first 0.5 s may have gone by
    # before `started`, while loading).
    assert time.monotonic() - started >= 5.0
    assert player.position() >= 5900 and not player.is_playing()
    player.unload()
