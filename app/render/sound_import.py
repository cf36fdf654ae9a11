"""Adding the user's own background sounds (the data folder's ambience/), and removing them.

Any file ffmpeg can decode is turned into a loop that behaves like the bundled ones: mono at
the session rate, its silent start and end cut, its end crossfaded into its start so that it
repeats without a click, and levelled to the bundled loops' loudness. Everything is checked and
made in memory first; the finished WAV is written atomically, so a refused or failed import
leaves nothing in the folder. Removing moves the file to a trash folder, so that Undo puts it back.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app import paths
from app.errors import KindredError
from app.files import atomic_output
from app.render.ffmpeg import dies_with_parent, ffmpeg_or_raise
from app.render.loudness import integrated_loudness, limit_peaks, step_frames, true_peak_db
from app.render.pcm import SESSION_RATE, write_wav
from app.render.sounds import SOUND_SUFFIXES, ambience_names
from app.time_text import minutes_and_seconds

#: Longer files would only cost memory and disk: the loop repeats under the session anyway.
MAX_SECONDS = 10 * 60
#: What is left after the silent ends are cut must be long enough that the repeat is not heard.
MIN_SECONDS = 5.0
#: The end fades into the start over this long (at most a quarter of the sound).
CROSSFADE_SECONDS = 2.0
#: tools/make_audio.py levels the bundled loops to -28 LUFS with true peaks at most -6 dBTP
#: (audio/README.md): quiet enough to sit under the voice, and an added sound must match.
AMBIENCE_LUFS = -28.0
AMBIENCE_MAX_TRUE_PEAK_DB = -6.0
LIMIT_ROUNDS = 3
#: Below this a 10 ms stretch counts as silence: quieter than any recording's noise floor.
SILENCE_DBFS = -60.0
SILENCE_WINDOW_SECONDS = 0.01
DECODE_TIMEOUT_S = 120.0
MAX_NAME_LENGTH = 40
#: Words that mean something else where a background is chosen (settings, scripts' `ambience:`).
RESERVED_NAMES = frozenset({"none", "script", "default"})


class SoundImportError(KindredError):
    title = "Could not add the sound"


@dataclass(frozen=True)
class AddedSound:
    name: str
    path: Path
    seconds: float  # the loop's length


@dataclass(frozen=True)
class TrashedSound:
    name: str
    file: Path  # where it waits in the trash for Undo


def import_sound(source: Path) -> AddedSound:
    """Makes a seamless, levelled loop of an audio file in the data folder's ambience/ and returns
    it; SoundImportError (saying why and what to do) when the file cannot become one."""
    source = Path(source).expanduser()
    if not source.is_file():
        raise SoundImportError(f"{source} is not a file. Choose an audio file (MP3, FLAC, Ogg, WAV …).")
    samples = decode_mono(source)
    if len(samples) > MAX_SECONDS * SESSION_RATE:
        raise SoundImportError(
            f"{source.name} lasts more than {minutes_and_seconds(MAX_SECONDS)}, the most a background sound "
            "can last (it repeats under the session). Cut a shorter piece of it and add that."
        )
    sound = trim_silence(samples, SESSION_RATE)
    if len(sound) == 0:
        raise SoundImportError(
            f"{source.name} is silent (nothing in it is louder than {SILENCE_DBFS:.0f} dBFS). "
            "Choose a recording you can hear."
        )
    if len(sound) < MIN_SECONDS * SESSION_RATE:
        raise SoundImportError(
            f"{source.name} has only {len(sound) / SESSION_RATE:.1f} s of sound once its silent start and "
            f"end are cut: too short to loop without the repeat being heard. Choose one of at least "
            f"{MIN_SECONDS:.0f} seconds."
        )
    loop = level_loop(seamless_loop(sound, SESSION_RATE), SESSION_RATE)
    folder = paths.user_ambience_dir()
    name = unique_name(name_for(source), set(ambience_names()))
    target = folder / f"{name}.wav"
    try:
        with atomic_output(target) as handle:
            write_wav(handle, loop)
    except OSError as error:
        raise SoundImportError(
            f"The sound could not be saved in {folder} ({error.strerror or error}). Free some space or "
            "check the folder's permissions; nothing was added."
        ) from None
    return AddedSound(name, target, len(loop) / SESSION_RATE)


def decode_mono(source: Path) -> np.ndarray:
    """The file's first audio stream as float32 mono at the session rate, decoded by ffmpeg; no
    more than a second past MAX_SECONDS is decoded, which is enough to tell that it is too long."""
    command = [ffmpeg_or_raise(), "-v", "error", "-nostdin", "-i", str(source), "-vn", "-sn", "-dn"]
    command += ["-t", str(MAX_SECONDS + 1), "-f", "f32le", "-ac", "1", "-ar", str(SESSION_RATE), "-"]
    try:
        result = subprocess.run(
            dies_with_parent(command), capture_output=True, timeout=DECODE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise SoundImportError(
            f"Reading {source.name} took longer than {DECODE_TIMEOUT_S:.0f} s. Convert it to a common "
            "format (MP3, FLAC, WAV) and try again."
        ) from None
    samples = np.frombuffer(result.stdout[: len(result.stdout) // 4 * 4], dtype="<f4")
    if result.returncode != 0 or len(samples) == 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        # ffmpeg names the file by its whole path; the person knows which file they chose.
        reason = f" (ffmpeg: {detail[-1].replace(str(source), source.name)})" if detail else ""
        raise SoundImportError(
            f"{source.name} is not an audio file Kindred can read{reason}. Choose a sound file such as "
            "MP3, FLAC, Ogg, Opus, M4A or WAV."
        )
    # Decoders may overshoot full scale a little; NaN would poison every measure after it.
    return np.nan_to_num(samples.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples from the first to the last one above SILENCE_DBFS, or none for a silent file.

    Sound is where a 10 ms stretch rises above the threshold (a lone sample there, a click in
    the silence, does not count); its first and last samples above it mark the cut exactly.
    """
    threshold = 10 ** (SILENCE_DBFS / 20)
    window = max(1, round(SILENCE_WINDOW_SECONDS * rate))
    count = -(-len(samples) // window)
    padded = np.zeros(count * window)
    padded[: len(samples)] = samples
    stretches = padded.reshape(count, window)
    loud = np.flatnonzero(np.sqrt(np.mean(stretches**2, axis=1)) > threshold)
    if len(loud) == 0:
        return samples[:0]
    # A stretch whose RMS is above the threshold has a sample above it too.
    first = loud[0] * window + int(np.argmax(np.abs(stretches[loud[0]]) > threshold))
    last = loud[-1] * window + window - 1 - int(np.argmax(np.abs(stretches[loud[-1]][::-1]) > threshold))
    return samples[first : last + 1]


def seamless_loop(sound: np.ndarray, rate: int) -> np.ndarray:
    """The sound made circular: its last stretch is faded out over its first, faded in.

    The result ends on the sample just before that last stretch began and starts where it began,
    so across the seam the listener hears two neighbouring samples of the original recording. Its
    length is a whole number of 100 ms steps, as the bundled loops' are, so that loudness steps
    never straddle the seam.
    """
    fade = min(round(CROSSFADE_SECONDS * rate), len(sound) // 4)
    step = step_frames(rate)
    length = (len(sound) - fade) // step * step
    sound = sound[: length + fade].astype(np.float32)
    loop = sound[:length].copy()
    # Equal power (sine and cosine): a recording's two ends are unrelated sound, whose powers add.
    angle = np.linspace(0.0, np.pi / 2, fade, endpoint=False, dtype=np.float64)
    fade_in, fade_out = np.sin(angle).astype(np.float32), np.cos(angle).astype(np.float32)
    loop[:fade] = sound[:fade] * fade_in + sound[length:] * fade_out
    return loop


def level_loop(loop: np.ndarray, rate: int) -> np.ndarray:
    """The loop at the bundled loops' loudness, its true peaks kept under their ceiling."""
    loudness = integrated_loudness(loop, rate)
    if not np.isfinite(loudness):
        return loop
    levelled = loop * np.float32(10 ** ((AMBIENCE_LUFS - loudness) / 20))
    # A sharp sound (a knock, a bird) peaks far above its loudness: its peaks are limited and the
    # loudness the limiter took is given back; knocks carry most of a sparse sound's loudness, so
    # giving it back raises them again, and a second or third round settles it.
    for _ in range(LIMIT_ROUNDS):
        if true_peak_db(levelled) <= AMBIENCE_MAX_TRUE_PEAK_DB:
            break
        levelled = _limit_circular(levelled, rate, AMBIENCE_MAX_TRUE_PEAK_DB - 1.5)
        shortfall = AMBIENCE_LUFS - integrated_loudness(levelled, rate)
        if shortfall > 0.05:
            levelled = levelled * np.float32(10 ** (shortfall / 20))
    peak = true_peak_db(levelled)
    if peak > AMBIENCE_MAX_TRUE_PEAK_DB:
        # Rather a little quieter than the bundled loops than louder peaks under the voice.
        levelled = levelled * np.float32(10 ** ((AMBIENCE_MAX_TRUE_PEAK_DB - peak) / 20))
    return levelled.astype(np.float32)


def _limit_circular(loop: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """limit_peaks on the loop as the circle it is: a peak near one end lowers the gain at the
    other end too, so the gain, like the sound, runs on across the seam."""
    margin = min(len(loop), round(0.05 * rate))  # well past the limiter's few milliseconds
    padded = np.concatenate([loop[-margin:], loop, loop[:margin]])
    return limit_peaks(padded, rate, ceiling_db)[margin : margin + len(loop)]


def name_for(source: Path) -> str:
    """A name for the sound from its file name, in the form scripts' `ambience:` accepts
    (lowercase letters, digits and hyphens): "Rain on the Roof (2).mp3" gives rain-on-the-roof-2."""
    text = unicodedata.normalize("NFKD", Path(source).stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = slug[:MAX_NAME_LENGTH].strip("-")
    return slug or "my-sound"


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3` … when a sound (bundled or added) has it already."""
    taken = taken | RESERVED_NAMES
    if name not in taken:
        return name
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def remove_sound(name: str) -> TrashedSound:
    """Moves one of the user's sounds to the trash; the bundled ones cannot be removed."""
    folder = paths.user_ambience_dir()
    found = [path for path in (folder / f"{name}{suffix}" for suffix in SOUND_SUFFIXES) if path.is_file()]
    if not found:
        raise SoundImportError(
            f"There is no sound of your own called “{name}”; only sounds you added can be removed.",
            "Could not remove the sound",
        )
    trash = _trash_dir() / uuid.uuid4().hex[:8]
    trash.mkdir(parents=True)
    os.replace(found[0], trash / found[0].name)
    return TrashedSound(name, trash / found[0].name)


def restore_sound(trashed: TrashedSound) -> str:
    """Undo: the sound back in place, and its name (another, if a new sound took it meanwhile)."""
    taken = set(ambience_names())
    name = unique_name(trashed.name, taken) if trashed.name in taken else trashed.name
    os.replace(trashed.file, paths.user_ambience_dir() / f"{name}{trashed.file.suffix}")
    with contextlib.suppress(OSError):
        trashed.file.parent.rmdir()
    return name


def empty_trash() -> None:
    """Removed sounds for good (at the next start: their Undo is gone with the window)."""
    shutil.rmtree(_trash_dir(), ignore_errors=True)


def _trash_dir() -> Path:
    return paths.user_ambience_dir() / ".trash"
