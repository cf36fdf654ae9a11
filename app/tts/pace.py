"""A voice's pace: how its own speed setting turns into words per minute of speech.

Neither engine's setting means words per minute: espeak-ng at "135" speaks 160–172 wpm once its
silences are trimmed, Piper's length scale 1.0 is about 245 wpm for joe. So each voice is
measured once: a sample of meditation-like sentences is spoken at two settings, and the speech
time per word (the voice's own leading and trailing quiet trimmed, as the renderer trims it) is
fitted as a straight line in the engine's "slowness" x (Piper: the length scale; espeak: 1/rate).
The setting for a wanted rate then comes from that line. Results are kept in a small JSON file
in the cache folder, keyed by everything that shapes the voice (engine, model hash, settings).
"""

from __future__ import annotations

import contextlib
import json
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.files import atomic_write_text

#: Raise when the measure changes, so that old measurements are taken again.
PACE_VERSION = 1
#: The level below which the voice's edges count as quiet: the speech cache trims at the same.
QUIET_DB = -50.0
#: Spoken at both settings: sentences of the bundled meditations, chosen across the library
#: so that their length, commas and short exclamations are as the scripts' are (a sample of
#: other prose measured 5 % faster than the scripts, with the same voice and setting).
SAMPLE_SENTENCES = (
    "Feel the weight of your body being held by whatever is beneath you.",
    "Bring your attention to the breath, wherever you feel it most clearly.",
    "Now stop guiding the breath, and let it find its own pace.",
    "Breathe in, and let a slow breath out, as if you were setting something heavy down.",
    "Perhaps anger.",
    "Take one more breath like that, a little deeper than before.",
    "The other makes us brace, or want to run.",
    "The part of you that wants to be held, and chosen, and close.",
    "Once more.",
    "Let the scene come back.",
    "In moments like this, it is tempting to wait.",
    "In this practice you offer simple wishes, to yourself first, and then in widening circles.",
    "May I meet myself with kindness.",
    "That alarm rings loudest with the people who matter most.",
    "When you go back, what is one thing you would like to say?",
    "Before looking at anything difficult, let us find a little warmth to look from.",
    "Not one particular scene.",
    "Then let the breath fall out of you, unhurried.",
    "And while we wait for it to be granted, the hurt often goes on hurting.",
    "Now let the breath be, and simply notice that you are here.",
    "Notice that someone you love is sitting right in front of you, breathing too.",
    "Again, a slow breath in.",
)


@dataclass(frozen=True)
class Pace:
    """Seconds of speech per word = intercept + slope * x, x being the engine's slowness."""

    intercept: float
    slope: float

    def slowness_for(self, words_per_minute: float) -> float:
        return (60.0 / words_per_minute - self.intercept) / self.slope


def sample_words() -> int:
    return sum(len(sentence.split()) for sentence in SAMPLE_SENTENCES)


def speech_seconds(path: Path) -> float:
    """The length of a 16-bit WAV from its first to its last sound above QUIET_DB."""
    with wave.open(str(path), "rb") as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.float32) / 32768.0) > 10 ** (QUIET_DB / 20))
    return 0.0 if len(loud) == 0 else (loud[-1] - loud[0] + 1) / rate


def fit_pace(measured: list[tuple[float, float]]) -> Pace:
    """The line through (slowness, seconds per word) measurements; two or more points."""
    xs = np.array([x for x, _ in measured], dtype=np.float64)
    ys = np.array([y for _, y in measured], dtype=np.float64)
    slope, intercept = np.polyfit(xs, ys, 1)
    if slope <= 0:
        raise ValueError(f"the voice did not get slower with its speed setting: {measured}")
    return Pace(float(intercept), float(slope))


class PaceBook:
    """Measured paces, by voice identity, in one JSON file; measured on first need."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def get(self, identity: str, measure: Callable[[], Pace]) -> Pace:
        book = self._read()
        key = f"{PACE_VERSION}:{identity}"
        entry = book.get(key)
        if isinstance(entry, dict):
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return Pace(float(entry["intercept"]), float(entry["slope"]))
        pace = measure()
        book[key] = {"intercept": pace.intercept, "slope": pace.slope}
        # A cache: when it cannot be written the voice is simply measured again next time.
        with contextlib.suppress(OSError):
            atomic_write_text(self.path, json.dumps(book, indent=1, sort_keys=True))
        return pace

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}
