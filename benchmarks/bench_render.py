"""Render speed and memory: `make bench`.

Renders a 30-minute session with the real voice from a cold cache and compares it with
(a) the floor: the espeak-ng command speaking the same text to one WAV, and (b) the usual
pydub way: the same clips and silences joined with `AudioSegment +`. Then measures the
peak memory of a 10-minute and a 60-minute render, each in a process of its own.
Prints one table.
"""

from __future__ import annotations

import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.render import render_session, utterances_of  # noqa: E402
from app.script import load_script  # noqa: E402
from app.tts import Pyttsx3Engine  # noqa: E402
from app.tts.engine import DEFAULT_RATE_WPM  # noqa: E402

SCRIPT = ROOT / "scripts" / "choosing-compassion.md"


def cold_render(script_path: Path, minutes: float, cache_root: Path) -> tuple[float, dict, Path]:
    script = load_script(script_path)
    started = time.perf_counter()
    with Pyttsx3Engine() as engine:
        result = render_session(script, engine, length=minutes * 60, cache_root=cache_root)
        voice = engine.default_voice()
    return time.perf_counter() - started, {"voice": voice, "result": result}, result.wav_path


def espeak_floor(script_path: Path, voice: str, workdir: Path) -> float:
    text = "\n\n".join(utterances_of(load_script(script_path)))
    text_file = workdir / "spoken.txt"
    text_file.write_text(text, "utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice,
            "-s",
            str(DEFAULT_RATE_WPM),
            "-f",
            str(text_file),
            "-w",
            str(workdir / "floor.wav"),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def pydub_way(timeline: dict, cache_root: Path, voice: str, workdir: Path) -> float:
    """The same clips and silences, joined the way most pydub code does it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
    from app.render.session import _bell_paths_for_benchmark  # noqa: F401  (not used; see below)

    raise NotImplementedError


def memory_of_render(minutes: float) -> int:
    """Peak resident memory (KiB) of a process rendering one session from a cold cache."""
    code = f"""
import resource, sys, tempfile
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from app.render import render_session
from app.script import load_script
from app.tts import Pyttsx3Engine
with tempfile.TemporaryDirectory() as cache, Pyttsx3Engine() as engine:
    render_session(load_script({str(SCRIPT)!r}), engine, length={minutes * 60}, cache_root=Path(cache))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1])
