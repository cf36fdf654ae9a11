"""Render speed and memory: `make bench`.

Renders a 30-minute session with the real voice from a cold cache and compares it with
(a) the floor: the espeak-ng command speaking the same text to one WAV, and (b) the usual
pydub way: the same clips and silences joined with `AudioSegment +`. Then measures the
peak memory of a 10-minute and a 60-minute render, each in a process of its own.
Prints one table.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.render import render_session, utterances_of  # noqa: E402
from app.render.sounds import decoded_bell  # noqa: E402
from app.render.speech_cache import SpeechCache  # noqa: E402
from app.script import load_script  # noqa: E402
from app.tts import Pyttsx3Engine  # noqa: E402
from app.tts.engine import DEFAULT_RATE_WPM  # noqa: E402
from benchmarks.table import print_table  # noqa: E402

# The longest guided session of the library: 153 distinct sentences at 30 minutes
# (keep its sentences distinct: repeated ones are synthesized once and would flatter the figures).
SCRIPT = ROOT / "scripts" / "a-long-sitting-with-kindness.md"
MINUTES = 30
# Memory is compared at 10 and 60 minutes, so it needs a script that fits in 10.
MEMORY_SCRIPT = ROOT / "scripts" / "choosing-compassion.md"


def kindred_cold_render(cache_root: Path) -> tuple[float, dict, str]:
    """Seconds for a whole cold render, voice start-up included, as a user waits for it."""
    script = load_script(SCRIPT)
    started = time.perf_counter()
    with Pyttsx3Engine() as engine:
        result = render_session(script, engine, length=MINUTES * 60, cache_root=cache_root)
        voice = engine.default_voice()
    return time.perf_counter() - started, result.timeline, voice


def espeak_floor(voice: str, workdir: Path) -> float:
    """The espeak-ng command alone, speaking all the script's text into one WAV."""
    text_file = workdir / "spoken.txt"
    text_file.write_text("\n\n".join(utterances_of(load_script(SCRIPT))), "utf-8")
    started = time.perf_counter()
    command = ["espeak-ng", "-v", voice, "-s", str(DEFAULT_RATE_WPM), "-f", str(text_file)]
    subprocess.run([*command, "-w", str(workdir / "floor.wav")], check=True, capture_output=True)
    return time.perf_counter() - started


def pydub_way(timeline: dict, cache_root: Path, voice: str, workdir: Path) -> float:
    """The same finished clips and silences, joined with `AudioSegment +` as most pydub code does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydub warns about ffmpeg even for WAV
        from pydub import AudioSegment

    with Pyttsx3Engine(workers=1) as engine:
        clips = SpeechCache(cache_root / "speech", engine, voice, DEFAULT_RATE_WPM)
        sounds = [(cue["start"], cue["end"], clips.path_for(cue["text"])) for cue in timeline["cues"]]
    sounds += [
        (bell["start"], bell["end"], decoded_bell(bell["name"], cache_root)) for bell in timeline["bells"]
    ]
    sounds.sort()
    started = time.perf_counter()
    session = AudioSegment.empty()
    cursor = 0.0
    for start, end, path in sounds:
        session += AudioSegment.silent(duration=(start - cursor) * 1000, frame_rate=timeline["sample_rate"])
        session += AudioSegment.from_wav(path)
        cursor = end
    session += AudioSegment.silent(
        duration=(timeline["length"] - cursor) * 1000, frame_rate=timeline["sample_rate"]
    )
    session.export(workdir / "pydub.wav", format="wav").close()
    return time.perf_counter() - started


def peak_memory_of_render(minutes: int) -> int:
    """Peak resident memory (MiB) of a fresh process rendering one session from a cold cache."""
    code = f"""
import resource, sys, tempfile
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from app.render import render_session
from app.script import load_script
from app.tts import Pyttsx3Engine
with tempfile.TemporaryDirectory() as cache, Pyttsx3Engine() as engine:
    render_session(load_script({str(MEMORY_SCRIPT)!r}), engine, length={minutes * 60}, cache_root=Path(cache))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1]) // 1024


RUNS = 3


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        # Each run starts from a cache of its own, so every one is cold; the median is shown.
        runs = [kindred_cold_render(workdir / f"cache-{run}") for run in range(RUNS)]
        kindred = statistics.median(seconds for seconds, _, _ in runs)
        _, timeline, voice = runs[0]
        floor = statistics.median(espeak_floor(voice, workdir) for _ in range(RUNS))
        pydub = pydub_way(timeline, workdir / "cache-0", voice, workdir)
    memory_10 = peak_memory_of_render(10)
    memory_60 = peak_memory_of_render(60)
    speech = sum(cue["end"] - cue["start"] for cue in timeline["cues"])

    rows = [
        (
            "session",
            f"{MINUTES} min",
            f"{SCRIPT.name}: {len(timeline['cues'])} utterances, {speech:.0f} s of speech",
        ),
        ("(a) floor: espeak-ng command, same text", f"{floor:.2f} s", f"median of {RUNS}"),
        (
            "Kindred cold render (voice start included)",
            f"{kindred:.2f} s",
            f"{kindred / floor:.2f}x floor (target <= 3x), median of {RUNS}",
        ),
        (
            "(b) pydub AudioSegment + of the same clips",
            f"{pydub:.2f} s",
            f"Kindred {pydub / kindred:.1f}x faster (target >= 10x)",
        ),
        ("peak memory, 10-minute render", f"{memory_10} MiB", MEMORY_SCRIPT.name),
        (
            "peak memory, 60-minute render",
            f"{memory_60} MiB",
            f"{memory_60 / memory_10:.2f}x (target <= 1.25x)",
        ),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
