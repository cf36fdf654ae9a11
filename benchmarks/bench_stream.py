"""Play to first sound with the streaming player: `make bench-stream`.

A 20-minute session of "Choosing Compassion" with the neural voice, played through a private
PulseAudio null sink (a real sound device): the time from Play to the first frame of sound
reaching the device, and to the first frame of the voice, from a cold speech cache and again
from a warm one. The voice's workers are started beforehand, as the window does when it opens.
Median of 3; prints one table.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.script import load_script  # noqa: E402
from benchmarks.table import print_table  # noqa: E402
from tests.pulse import private_pulse  # noqa: E402

SCRIPT = ROOT / "scripts" / "choosing-compassion.md"
LENGTH_S = 20 * 60
RUNS = 3


def time_to_sound(app, engine, cache_root: Path) -> tuple[float, float, int]:
    """Seconds from Play to the first sound and to the first voice at the device; underruns."""
    from app.render.streaming import StreamingSession
    from app.ui.stream_player import StreamPlayer

    started = time.perf_counter()
    session = StreamingSession(
        load_script(SCRIPT), engine, length=LENGTH_S, voice=None, rate=120, cache_root=cache_root
    )
    player = StreamPlayer()
    player.load(session)
    events = [event for event in session.timeline.events if event.kind in ("speech", "bell")]
    first_sound, first_voice = events[0].start, session.timeline.speech()[0].start
    sound_at = voice_at = None
    while voice_at is None and time.perf_counter() - started < 60:
        app.processEvents()
        position = player.output.position_frames() if player.output is not None else 0
        now = time.perf_counter() - started
        if sound_at is None and position > first_sound:
            sound_at = now
        if position > first_voice:
            voice_at = now
        time.sleep(0.001)
    underruns = player.underruns()
    player.unload()
    # What reached the device minus the lead-in before the sound: Play to sound.
    rate = session.timeline.rate
    return (sound_at or 60) - first_sound / rate, (voice_at or 60) - first_voice / rate, underruns


def main() -> int:
    with private_pulse() as pulse:
        os.environ.update(pulse.client_env())
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QCoreApplication

        from app.tts import create_engine

        app = QCoreApplication([])
        cold, warm = [], []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as folder, create_engine() as engine:
                engine.warm_up()  # the window starts the voice as it opens
                cold.append(time_to_sound(app, engine, Path(folder)))
                warm.append(time_to_sound(app, engine, Path(folder)))
    rows = [
        ("session", f"{LENGTH_S // 60} min", f"{SCRIPT.name}, neural voice, null PulseAudio sink"),
        (
            "Play to first sound, uncached",
            f"{statistics.median(r[0] for r in cold):.2f} s",
            f"to the first voice {statistics.median(r[1] for r in cold):.2f} s (target <= 1.0 s)",
        ),
        (
            "Play to first sound, cached",
            f"{statistics.median(r[0] for r in warm):.2f} s",
            f"to the first voice {statistics.median(r[1] for r in warm):.2f} s (target <= 0.2 s)",
        ),
        ("underruns until the first voice", str(max(r[2] for r in cold + warm)), "all runs (target 0)"),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
