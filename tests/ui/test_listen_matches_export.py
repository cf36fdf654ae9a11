"""What is heard is what is exported: the same session streamed through a real (null) PulseAudio
sink and recorded, against the file an export writes, in loudness (±1 LU) and in timing."""

from __future__ import annotations

import textwrap
import wave

import numpy as np
import pytest

from tests.audio_measure import ebur128
from tests.pulse import missing_tools, play_recorded

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=f"missing: {', '.join(missing_tools())}")

LENGTH_S = 30.0
#: The loudness envelopes compared for timing are this fine.
WINDOW_S = 0.01

#: The child exports the session first (which also speaks every sentence into the cache), then
#: streams the same session, at full volume, with the same background at the same level.
CHILD = textwrap.dedent(
    f"""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from app.render.export import ExportRequest, export_session
    from app.render.mix import Background
    from app.render.sounds import decoded_ambience
    from app.render.streaming import StreamingSession
    from app.script import parse_script
    from app.tts import FakeEngine
    from app.ui.services.stream_player import StreamPlayer

    app = QCoreApplication([])
    script = parse_script(Path(sys.argv[1]).read_text("utf-8"))
    cache = Path(sys.argv[2])
    engine = FakeEngine()
    target = cache.parent / "exported.wav"
    export_session(
        ExportRequest(script, {LENGTH_S}, None, 120, "rain", "wav", target, ambience_volume=0.5),
        engine,
        cache_root=cache,
    )
    background = Background.load(decoded_ambience("rain", cache), 0.5)
    session = StreamingSession(
        script, engine, length={LENGTH_S}, voice=None, rate=120, cache_root=cache, background=background
    )
    player = StreamPlayer()
    player.set_volume(1.0)
    player.prepare_output()
    time.sleep(1.5)  # the first stream of a process takes a moment to start
    done = []
    player.finished.connect(lambda: done.append(True))
    player.load(session)
    deadline = time.monotonic() + 60
    while not done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    print("FINISHED", bool(done), "POSITION", player.position(), "DURATION", player.duration(), flush=True)
    print("UNDERRUNS", player.underruns(), flush=True)
    time.sleep(0.5)
    player.close()
    """
)

SCRIPT = """---
title: Heard and exported
summary: Speech over rain.
theme: test
---
# One
Let your body settle into the chair beneath you.
[pause 2s+]
Notice where you are holding on, and let it soften.
[pause 3s+]
# Two
Breathe in slowly, and let the breath go.
[pause 2s+]
When you are ready, open your eyes.
"""


def envelope(samples: np.ndarray, rate: int, window_s: float = WINDOW_S) -> np.ndarray:
    size = int(rate * window_s)
    count = len(samples) // size
    return np.sqrt((samples[: count * size].reshape(count, size) ** 2).mean(axis=1))


def test_the_recorded_listen_matches_the_export_in_loudness_and_timing(tmp_path):
    played, samples, rate = play_recorded(CHILD, SCRIPT, tmp_path, timeout=120)
    assert played.returncode == 0, played.stderr
    lines = played.stdout.split()
    assert lines[:2] == ["FINISHED", "True"], played.stdout
    position, duration = int(lines[3]), int(lines[5])
    assert duration == LENGTH_S * 1000 and abs(position - duration) <= 100  # ends on its length
    assert "UNDERRUNS 0" in played.stdout

    export = tmp_path / "exported.wav"
    with wave.open(str(export)) as reader:
        exported = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float64)
        export_rate = reader.getframerate()
    assert export_rate == rate
    assert len(exported) == LENGTH_S * rate

    # The listen, cut to the export's length where it lines up best with it (the recording
    # starts before the player and ends after it).
    heard = samples.astype(np.float64) * 32768  # the recording comes as floats in -1..1
    ours, theirs = envelope(heard, rate), envelope(exported, rate)
    lags = range(0, len(ours) - len(theirs) + 1)
    scores = [float(np.corrcoef(ours[lag : lag + len(theirs)], theirs)[0, 1]) for lag in lags]
    best = int(np.argmax(scores))
    assert scores[best] > 0.95, f"the listen's timing differs from the export's: r = {scores[best]:.3f}"

    size = int(rate * WINDOW_S)
    recorded = tmp_path / "listen-aligned.wav"
    with wave.open(str(recorded), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        piece = heard[best * size : best * size + len(exported)]
        writer.writeframes(np.clip(piece, -32768, 32767).astype("<i2").tobytes())
    listen_lufs, _ = ebur128(recorded)
    export_lufs, _ = ebur128(export)
    assert listen_lufs == pytest.approx(export_lufs, abs=1.0), (listen_lufs, export_lufs)
    print(f"listen {listen_lufs:.2f} LUFS, export {export_lufs:.2f} LUFS, timing r = {scores[best]:.4f}")
