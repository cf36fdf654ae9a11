"""Render speed, memory and speaking rate, for both voices: `make bench`.

espeak-ng: renders a 30-minute session from a cold cache and compares it with (a) the floor,
the espeak-ng command speaking the same text to one WAV, and (b) the usual pydub way: the same
clips and silences joined with `AudioSegment +`.

The neural voice (Piper, joe): the floor is Piper's own Python API in one process speaking the
same sentences one by one at the same length scale, with one onnxruntime thread (and, for
reference, with onnxruntime's default threads), model load excluded; Kindred's cold render
includes starting its two workers (each loads the model). Each voice's pace is measured once
beforehand (as Kindred does on a voice's first use), so every timed render is a plain render.

Then the peak memory of a 10- and a 60-minute render (each in a process of its own; for the
neural voice the app's process and, separately, its largest worker), and the words per minute
measured on the rendered sessions (words over the speech time of the cues) at --rate 100, 120
and 140 for both engines. Prints one table.
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

from app.render import Sidecar, render_session, utterances_of  # noqa: E402
from app.render.sounds import decoded_bell  # noqa: E402
from app.render.speech_cache import SpeechCache  # noqa: E402
from app.script import load_script  # noqa: E402
from app.tts import PiperEngine, Pyttsx3Engine, neural_voices  # noqa: E402
from app.tts.engine import DEFAULT_RATE_WPM  # noqa: E402
from app.tts.pace import PaceBook  # noqa: E402
from benchmarks.table import print_table  # noqa: E402

# The longest guided session of the library: 153 distinct sentences at 30 minutes
# (keep its sentences distinct: repeated ones are synthesized once and would flatter the figures).
SCRIPT = ROOT / "scripts" / "a-long-sitting-with-kindness.md"
MINUTES = 30
# Memory is compared at 10 and 60 minutes, so it needs a script that fits in 10.
MEMORY_SCRIPT = ROOT / "scripts" / "choosing-compassion.md"


def kindred_cold_render(cache_root: Path) -> tuple[float, Sidecar, str]:
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


def pydub_way(timeline: Sidecar, cache_root: Path, voice: str, workdir: Path) -> float:
    """The same finished clips and silences, joined with `AudioSegment +` as most pydub code does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydub warns about ffmpeg even for WAV
        from pydub import AudioSegment

    with Pyttsx3Engine(workers=1) as engine:
        clips = SpeechCache(cache_root / "speech", engine, voice, DEFAULT_RATE_WPM)
        sounds = [(cue.start, cue.end, clips.path_for(cue.text)) for cue in timeline.cues]
    sounds += [(bell.start, bell.end, decoded_bell(bell.name, cache_root)) for bell in timeline.bells]
    sounds.sort()
    started = time.perf_counter()
    session = AudioSegment.empty()
    cursor = 0.0
    for start, end, path in sounds:
        session += AudioSegment.silent(duration=(start - cursor) * 1000, frame_rate=timeline.sample_rate)
        session += AudioSegment.from_wav(path)
        cursor = end
    session += AudioSegment.silent(
        duration=(timeline.length - cursor) * 1000, frame_rate=timeline.sample_rate
    )
    session.export(workdir / "pydub.wav", format="wav").close()
    return time.perf_counter() - started


def peak_memory_of_render(minutes: int, engine: str = "pyttsx3", pace: Path | None = None) -> tuple[int, int]:
    """Peak resident memory (MiB) of a fresh process rendering one session from a cold cache,
    and of its largest speech worker."""
    make = (
        "Pyttsx3Engine()"
        if engine == "pyttsx3"
        else f"PiperEngine(neural_voices()[0], pace_book=PaceBook(Path({str(pace)!r})))"
    )
    code = f"""
import resource, sys, tempfile
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from app.render import render_session
from app.script import load_script
from app.tts import PiperEngine, Pyttsx3Engine, neural_voices
from app.tts.pace import PaceBook
script = load_script({str(MEMORY_SCRIPT)!r})
with tempfile.TemporaryDirectory() as cache, {make} as engine:
    render_session(script, engine, length={minutes * 60}, cache_root=Path(cache))
usage = resource.getrusage
print(usage(resource.RUSAGE_SELF).ru_maxrss, usage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    own, child = result.stdout.strip().splitlines()[-1].split()
    return int(own) // 1024, int(child) // 1024


def neural_cold_render(cache_root: Path, pace: Path) -> float:
    """Seconds for a whole cold render with the neural voice, its workers' start included."""
    script = load_script(SCRIPT)
    started = time.perf_counter()
    with PiperEngine(neural_voices()[0], pace_book=PaceBook(pace)) as engine:
        render_session(script, engine, length=MINUTES * 60, cache_root=cache_root)
    return time.perf_counter() - started


def piper_floor(threads: int | None, length_scale: float) -> float:
    """Piper's own API in one process speaking every sentence of the script (model load excluded)."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(ROOT)!r})
import onnxruntime
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig
from app.render import utterances_of
from app.script import load_script
from app.tts.piper_voices import bundled_voice
voice_file = bundled_voice()
options = onnxruntime.SessionOptions()
if {threads!r} is not None:
    options.intra_op_num_threads = {threads!r}
    options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(
    str(voice_file.model), sess_options=options, providers=["CPUExecutionProvider"]
)
voice = PiperVoice(config=PiperConfig.from_dict(json.loads(voice_file.config.read_text())), session=session)
sentences = list(dict.fromkeys(utterances_of(load_script({str(SCRIPT)!r}))))
settings = SynthesisConfig(length_scale={length_scale!r})
started = time.perf_counter()
for sentence in sentences:
    for chunk in voice.synthesize(sentence, syn_config=settings):
        chunk.audio_int16_bytes
print(time.perf_counter() - started)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def measured_rate(make_engine, rate: int, cache_root: Path, script_path: Path = MEMORY_SCRIPT) -> float:
    """Words per minute of speech in a rendered session: words over the cues' sounding time."""
    with make_engine() as engine:
        result = render_session(load_script(script_path), engine, rate=rate, cache_root=cache_root)
    words = sum(len(cue.text.split()) for cue in result.timeline.cues)
    return words / sum(cue.end - cue.start for cue in result.timeline.cues) * 60


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
        memory_10, _ = peak_memory_of_render(10)
        memory_60, _ = peak_memory_of_render(60)
        speech = sum(cue.end - cue.start for cue in timeline.cues)

        # The neural voice: its pace measured once into a book every run shares.
        pace = workdir / "pace.json"
        with PiperEngine(neural_voices()[0], pace_book=PaceBook(pace)) as engine:
            length_scale = engine.knob_for(engine.default_voice(), DEFAULT_RATE_WPM)
        neural = statistics.median(neural_cold_render(workdir / f"neural-{run}", pace) for run in range(RUNS))
        floor_one = statistics.median(piper_floor(1, length_scale) for _ in range(RUNS))
        floor_default = statistics.median(piper_floor(None, length_scale) for _ in range(RUNS))
        neural_10, worker_10 = peak_memory_of_render(10, "piper", pace)
        neural_60, worker_60 = peak_memory_of_render(60, "piper", pace)

        espeak_pace = workdir / "espeak-pace.json"
        rates = {}
        for label, make in (
            ("Piper joe", lambda: PiperEngine(neural_voices()[0], pace_book=PaceBook(pace))),
            ("espeak-ng", lambda: Pyttsx3Engine(pace_book=PaceBook(espeak_pace))),
        ):
            rates[label] = [measured_rate(make, rate, workdir / f"rates-{label}") for rate in (100, 120, 140)]
        bundled_rates = [
            measured_rate(
                lambda: PiperEngine(neural_voices()[0], pace_book=PaceBook(pace)),
                DEFAULT_RATE_WPM,
                workdir / "bundled-rates",
                ROOT / "scripts" / name,
            )
            for name in ("choosing-compassion.md", "tending-your-own-wounds.md")
        ]

    rows = [
        (
            "session",
            f"{MINUTES} min",
            f"{SCRIPT.name}: {len(timeline.cues)} utterances, {speech:.0f} s of speech",
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
        (
            "neural floor: Piper API, 1 onnxruntime thread",
            f"{floor_one:.2f} s",
            f"same {len(timeline.cues)} sentences, length scale {length_scale:.2f}, median of {RUNS}",
        ),
        ("neural reference: Piper API, default threads", f"{floor_default:.2f} s", f"median of {RUNS}"),
        (
            "Kindred cold neural render (workers' start included)",
            f"{neural:.2f} s",
            f"{neural / floor_one:.2f}x the 1-thread floor (target <= 0.6x), "
            f"{neural / floor_default:.2f}x default threads (target <= 1.0x)",
        ),
        (
            "peak memory, 10-minute neural render",
            f"{neural_10} MiB",
            f"app process; largest worker {worker_10} MiB",
        ),
        (
            "peak memory, 60-minute neural render",
            f"{neural_60} MiB",
            f"{neural_60 / neural_10:.2f}x (target <= 1.25x); largest worker {worker_60} MiB",
        ),
    ]
    for label, measured in rates.items():
        rows.append(
            (
                f"measured wpm at --rate 100 / 120 / 140, {label}",
                " / ".join(f"{value:.0f}" for value in measured),
                f"{MEMORY_SCRIPT.name}; within 5 %: "
                + ", ".join(
                    str(abs(value / rate - 1) <= 0.05)
                    for value, rate in zip(measured, (100, 120, 140), strict=True)
                ),
            )
        )
    rows.append(
        (
            f"measured wpm at the default {DEFAULT_RATE_WPM}, Piper joe",
            " / ".join(f"{value:.0f}" for value in bundled_rates),
            "choosing-compassion.md / tending-your-own-wounds.md",
        )
    )
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
