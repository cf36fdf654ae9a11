"""Export speed: `make bench-export`.

Exports a 30-minute session to each format and compares it with ffmpeg alone encoding the
same audio from a WAV file with the same encoder options:

    ffmpeg -i session.wav <Kindred's options for the format> out.<format>

The session is rendered once with the real voice before anything is timed, so the voice is
not part of the figures (`make bench` times rendering). Each format is exported twice:
with the script's own background (ocean, mixed in by Kindred), where "session.wav" is the
mixed session Kindred writes as a WAV; and voice only, where it is the rendered session.
A session's loudness is measured once after its render and kept beside it: the first
export of a new render pays for that (shown on its own row), the timed exports do not.
Times are the median of 3 runs in one process (ffmpeg's list of encoders, looked up once
per process, is not in them). Target: at most 1.3x ffmpeg alone. Prints one table.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.render import render_session  # noqa: E402
from app.render.encode import SPECS  # noqa: E402
from app.render.export import FORMATS, ExportRequest, export_session  # noqa: E402
from app.render.ffmpeg import ffmpeg_or_raise  # noqa: E402
from app.render.levels import wav_levels  # noqa: E402
from app.script import load_script  # noqa: E402
from app.tts import Pyttsx3Engine  # noqa: E402
from app.tts.engine import DEFAULT_RATE_WPM  # noqa: E402
from benchmarks.table import print_table  # noqa: E402

SCRIPT = ROOT / "scripts" / "a-long-sitting-with-kindness.md"
MINUTES = 30
RUNS = 3
TARGET = 1.3


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(action) -> float:
    return statistics.median(timed(action) for _ in range(RUNS))


def main() -> int:
    script = load_script(SCRIPT)
    program = ffmpeg_or_raise()
    rows = []
    with tempfile.TemporaryDirectory() as folder, Pyttsx3Engine() as engine:
        work = Path(folder)
        cache = work / "cache"
        render = render_session(script, engine, length=MINUTES * 60, rate=DEFAULT_RATE_WPM, cache_root=cache)
        rows.append(
            (
                "session",
                f"{MINUTES} min",
                f"{SCRIPT.name}, {len(render.timeline.cues)} utterances, rendered before timing",
            )
        )
        measuring = timed(lambda: wav_levels(render.wav_path))
        rows.append(
            ("loudness of a new render", f"{measuring:.2f} s", "measured once, kept beside the render")
        )

        def export(fmt: str, ambience: str, target: Path) -> None:
            request = ExportRequest(
                script, MINUTES * 60, None, DEFAULT_RATE_WPM, ambience, fmt, target, overwrite=True
            )
            export_session(request, engine, cache_root=cache)

        # The audio each export hands its encoder, as a WAV for ffmpeg alone to start from.
        export("wav", "ocean", work / "mixed.wav")
        sources = {"ocean": work / "mixed.wav", "none": render.wav_path}
        export("flac", "none", work / "warm-up.flac")  # ffmpeg's list of encoders, looked up once

        for ambience, label in (("ocean", "with ocean (its default)"), ("none", "voice only")):
            for fmt in FORMATS:
                out = work / f"{fmt}-{ambience}.{fmt}"
                kindred = median_of(lambda fmt=fmt, out=out, ambience=ambience: export(fmt, ambience, out))
                command = [program, "-v", "error", "-nostdin", "-y", "-i", str(sources[ambience])]
                command += [*SPECS[fmt].options, str(work / f"ffmpeg-{ambience}.{fmt}")]
                alone = median_of(lambda command=command: subprocess.run(command, check=True))
                ratio = kindred / alone
                verdict = "ok" if ratio <= TARGET else "over"
                rows.append(
                    (
                        f"{SPECS[fmt].label}, {label}",
                        f"{kindred:.2f} s",
                        f"ffmpeg alone {alone:.2f} s: {ratio:.2f}x (target <= {TARGET}x, {verdict})",
                    )
                )
        sizes = ", ".join(
            f"{fmt} {os.path.getsize(work / f'{fmt}-ocean.{fmt}') / 2**20:.1f} MiB" for fmt in FORMATS
        )
        rows.append(("file sizes, with ocean", "", sizes))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
