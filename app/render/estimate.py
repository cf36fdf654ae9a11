"""How long a script will last, estimated without a voice: the editor shows it as you type.

The estimate lays the script out with the renderer's own plan_timeline, so pauses, paragraph
gaps, sentence breaths, lead-in and lead-out are exactly what a render gives; only the time
each sentence takes to speak is estimated:

    seconds(sentence) = max(MIN_SENTENCE_SECONDS, words * 60 / rate)

where `words` counts whitespace-separated words and `rate` is the voice's words per minute.
It is what the speaking rate means: every voice is measured and set to speak it (app/tts/pace.py),
and the fake test voice speaks it exactly. With the neural voice at 120 wpm the estimate came
within 0.4-1.6 % of rendered natural lengths on three bundled scripts (472 / 526 / 187 s
estimated, 474 / 520 / 190 s rendered). The editor shows the exact figures once a render has
been made.

Bells take their real length, read from the sound files' headers once per file.
A 30-minute script is estimated in about 3 ms (benchmark printed by
tests/render/test_estimate.py::test_print_how_long_an_estimate_takes).
"""

from __future__ import annotations

import functools
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

from app.render.pcm import SESSION_RATE
from app.render.timeline import LENGTH_TOLERANCE, LengthError, plan_timeline
from app.script import MAX_LENGTH_SECONDS, Script, ScriptError, field_line, format_duration
from app.time_text import minutes_and_seconds
from app.tts.engine import DEFAULT_RATE_WPM

#: No sentence is spoken faster than this, however short ("Rest.").
MIN_SENTENCE_SECONDS = 0.3
#: A session plays while its voice speaks, planned from this estimate before the real lengths are
#: known; a sentence may come out longer than estimated (a slower phrase, a long word). A length
#: is offered only when it leaves this share of the estimated speaking time as flexible silence
#: to spare, so that it still fits whatever the voice does (re-planning takes the silence back;
#: the bundled voices came within 2.5 % on the whole library, a single sentence within ~20 %).
SPEECH_MARGIN = 0.15
#: A bell whose file cannot be read (unknown name, unreadable file) counts as this long.
FALLBACK_BELL_SECONDS = 10.0


@dataclass(frozen=True)
class OfferedLength:
    length_s: float
    fits: bool  # False when the script needs more than this length
    silence_s: float  # flexible silence added to reach it (0 when it does not fit)


@dataclass(frozen=True)
class LengthEstimate:
    minimum_s: float  # natural length: speech at the rate + every pause at its base + bells
    # (a length is offered from minimum_s + SPEECH_MARGIN × speech_s on: see `safe_minimum_s`)
    speech_s: float  # estimated speaking time
    offered: tuple[OfferedLength, ...]  # one per script.meta.durations, in order
    #: Whether the script has a flexible pause, so that it can be played longer than its minimum.
    flexible: bool = True

    @property
    def safe_minimum_s(self) -> float:
        """The shortest length that fits whatever the voice's real pace turns out to be."""
        return self.minimum_s + SPEECH_MARGIN * self.speech_s

    def describe(self) -> str:
        """One line for the editor, e.g. "Minimum 4 min 12 s · 5m fits · 10m fits"."""
        parts = [f"Minimum {minutes_and_seconds(self.minimum_s)}"]
        if not self.offered:
            parts.append("plays at its natural length")
        for offered in self.offered:
            name = format_duration(offered.length_s)
            if offered.fits:
                parts.append(f"{name} fits")
            elif offered.length_s < self.safe_minimum_s:
                parts.append(f"{name} is too short")
            else:
                parts.append(f"{name} needs a flexible pause")
        return " · ".join(parts)


def sentence_seconds(sentence: str, rate: int = DEFAULT_RATE_WPM) -> float:
    """The estimated speaking time of one utterance (see the module's formula)."""
    return max(MIN_SENTENCE_SECONDS, len(sentence.split()) * 60.0 / max(rate, 1))


def estimate_lengths(script: Script, rate: int = DEFAULT_RATE_WPM) -> LengthEstimate:
    """The minimum length of `script` and whether each length it offers fits.

    Never raises for a parsed script: an unknown bell counts as long as the default one.
    """
    spoken: list[int] = []

    def sentence_frames(sentence: str) -> int:
        frames = round(sentence_seconds(sentence, rate) * SESSION_RATE)
        spoken.append(frames)
        return frames

    timeline = plan_timeline(script, sentence_frames, bell_frames, SESSION_RATE, limit=False)
    natural = timeline.natural_frames
    safe = natural + round(SPEECH_MARGIN * sum(spoken))
    flexible = any(event.flexible for event in timeline.events)
    tolerance = round(LENGTH_TOLERANCE * SESSION_RATE)
    offered = []
    for length in script.meta.durations:
        # plan_timeline's rule, with the margin, without laying the script out once per length.
        requested = round(length * SESSION_RATE)
        # (Without a flexible pause only the natural length plays, however long the voice takes.)
        shortest = safe if flexible else natural
        if requested < shortest - tolerance or (not flexible and abs(requested - natural) > tolerance):
            offered.append(OfferedLength(length, False, 0.0))
        else:
            silence = max(requested - natural, 0) if flexible else 0
            offered.append(OfferedLength(length, True, silence / SESSION_RATE))
    return LengthEstimate(
        minimum_s=natural / SESSION_RATE,
        speech_s=sum(spoken) / SESSION_RATE,
        offered=tuple(offered),
        flexible=flexible,
    )


def refuse_too_long(script: Script, rate: int = DEFAULT_RATE_WPM) -> None:
    """Raises LengthError, before any sound is made, for a script whose session would last
    longer than MAX_LENGTH_SECONDS (thousands of bells, a megabyte of text)."""
    estimate = estimate_lengths(script, rate)
    if estimate.minimum_s > MAX_LENGTH_SECONDS:
        raise LengthError(
            f"“{script.meta.title}” would last about {minutes_and_seconds(estimate.minimum_s)}, longer "
            f"than {format_duration(MAX_LENGTH_SECONDS)}, the longest a session can be. Shorten the script "
            "(fewer bells, pauses or words)."
        )


def length_problems(
    script: Script, rate: int = DEFAULT_RATE_WPM, text: str | None = None
) -> list[ScriptError]:
    """The script's `durations` that would not play (what `kindred check` reports), placed at
    the durations line: the rules the player applies, at `rate`."""
    estimate = estimate_lengths(script, rate)
    line = field_line(script.source if text is None else None, text, "durations")
    problems = []
    if estimate.minimum_s > MAX_LENGTH_SECONDS:
        problems.append(
            ScriptError(
                1,
                1,
                f"the script would last about {minutes_and_seconds(estimate.minimum_s)}, longer than "
                f"{format_duration(MAX_LENGTH_SECONDS)}, the longest a session can be; shorten it",
            )
        )
    for offered in estimate.offered:
        if offered.fits:
            continue
        name = format_duration(offered.length_s)
        natural = minutes_and_seconds(estimate.minimum_s)
        if not estimate.flexible:
            message = (
                f"durations: {name} cannot be played: with no flexible pause the script plays only at its "
                f"natural length of about {natural}; use that, or add a pause like [pause 20s+]"
            )
        else:
            shortest = minutes_and_seconds(estimate.safe_minimum_s)
            message = (
                f"durations: {name} is too short: the script needs at least {shortest} at {rate} words a "
                "minute; choose a longer length"
            )
        problems.append(ScriptError(line, 1, message))
    return problems


def playable_lengths(script: Script, rate: int = DEFAULT_RATE_WPM) -> list[float | None]:
    """The lengths to offer for `script` at `rate`: those of its `durations` that fit with the
    margin, or its natural length (None) when it declares none or none fits at this rate."""
    if not script.meta.durations:
        return [None]
    fitting: list[float | None] = [
        offered.length_s for offered in estimate_lengths(script, rate).offered if offered.fits
    ]
    return fitting or [None]


def bell_frames(name: str | None) -> int:
    """A bell's length in session frames, as a render decodes it; read once per sound file."""
    from app.render.sounds import UnknownSound, bell_source, sound_digest

    try:
        source = bell_source(name)
    except UnknownSound:
        try:
            source = bell_source(None)  # the editor underlines the name; the length is the default's
        except UnknownSound:
            return round(FALLBACK_BELL_SECONDS * SESSION_RATE)
    try:
        return _sound_frames(str(source), sound_digest(source))
    except OSError:
        return round(FALLBACK_BELL_SECONDS * SESSION_RATE)


@functools.lru_cache(maxsize=64)
def _sound_frames(source: str, digest: str) -> int:
    """Frames at the session rate; `digest` is in the key so that a changed file is read again."""
    path = Path(source)
    counted = _header_samples(path)
    if counted is not None:
        samples, rate = counted
        # ffmpeg's resampler gives exactly this many frames for the whole-second bells of audio/.
        return round(samples * SESSION_RATE / rate)
    # A format the headers do not tell: decode it as a render would (once; the result is cached).
    from app import paths
    from app.render.pcm import frame_count
    from app.render.sounds import decoded_sound

    try:
        return frame_count(decoded_sound(path, paths.cache_dir()))
    except Exception:  # noqa: BLE001 - no ffmpeg or a broken file: the estimate must still show
        return round(FALLBACK_BELL_SECONDS * SESSION_RATE)


def _header_samples(path: Path) -> tuple[int, int] | None:
    """(samples, sample rate) from a file's own headers, or None when they do not say."""
    try:
        if path.suffix == ".wav":
            with wave.open(str(path), "rb") as reader:
                return reader.getnframes(), reader.getframerate()
        data = path.read_bytes()
    except (OSError, wave.Error, EOFError):
        return None
    if data.startswith(b"fLaC"):
        return _flac_samples(data)
    if data.startswith(b"OggS"):
        return _ogg_samples(data)
    return None


def _flac_samples(data: bytes) -> tuple[int, int] | None:
    # STREAMINFO is the first metadata block: 20 bits of rate, then 3+5 bits, then 36 bits of samples.
    if len(data) < 8 + 18:
        return None
    bits = int.from_bytes(data[8 + 10 : 8 + 18], "big")
    rate = bits >> 44
    samples = bits & ((1 << 36) - 1)
    return (samples, rate) if rate and samples else None


def _ogg_samples(data: bytes) -> tuple[int, int] | None:
    """Vorbis or Opus in Ogg: the last page's granule position is the stream's length in samples."""
    if len(data) < 28:
        return None
    serial = data[14:18]
    packet = data[27 + data[26] :]
    if packet.startswith(b"\x01vorbis") and len(packet) >= 16:
        rate, skip = struct.unpack_from("<I", packet, 12)[0], 0
    elif packet.startswith(b"OpusHead") and len(packet) >= 12:
        rate, skip = 48000, struct.unpack_from("<H", packet, 10)[0]  # Opus always decodes at 48 kHz
    else:
        return None
    position = len(data)
    while (position := data.rfind(b"OggS", 0, position)) > 0:
        if position + 27 > len(data):
            continue
        # "OggS" may occur inside compressed audio: a real page has version 0 and the stream's serial.
        if data[position + 4] == 0 and data[position + 14 : position + 18] == serial:
            granule = struct.unpack_from("<q", data, position + 6)[0]
            if granule > skip:
                return granule - skip, rate
    return None
