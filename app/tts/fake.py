"""A deterministic stand-in for a voice, for every test that does not need a real one.

The audio is voice-like enough for the renderer's code to be tested on it: a buzz of a
few harmonics near 140 Hz shaped into syllables, with digital silence before and after
like a real voice's padding, and one voice 9 dB louder than the other for levelling.
"""

from __future__ import annotations

import hashlib
import os
import time
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.tts.engine import (
    DEFAULT_RATE_WPM,
    SpeechCancelled,
    SpeechError,
    SpeechRequest,
    Voice,
    load_postprocess,
)

SAMPLE_RATE = 22050
LEAD_SILENCE_S = 0.120
TAIL_SILENCE_S = 0.200
MIN_SPEECH_S = 0.3
#: Peak level of the calm voice; the bright one is BRIGHT_GAIN_DB above it (no clipping).
CALM_PEAK = 0.12
BRIGHT_GAIN_DB = 9.0

if TYPE_CHECKING:
    import numpy as np

_VOICES = (
    Voice("fake/calm", "Calm (test voice)", "en"),
    Voice("fake/bright", "Bright (test voice)", "en"),
)
_GAIN = {"fake/calm": 1.0, "fake/bright": 10 ** (BRIGHT_GAIN_DB / 20)}


def speech_seconds(text: str, rate: int = DEFAULT_RATE_WPM) -> float:
    """How long the fake voice speaks `text` (without its padding): 0.4 s a word at 150 wpm."""
    return max(MIN_SPEECH_S, len(text.split()) * 60.0 / max(rate, 1))


class FakeEngine:
    """A SpeechEngine that writes synthetic speech in-process, fast and reproducibly."""

    engine_id = "fake-1"

    def __init__(self, fail_on: str | None = None, delay: float = 0.0) -> None:
        #: Raise SpeechError for any text containing this.
        self.fail_on = fail_on
        #: Seconds to sleep per utterance, to make progress and cancelling observable.
        self.delay = delay
        #: Every text synthesized, in order, so tests can see what a cache spared.
        self.synthesized: list[str] = []

    def voices(self) -> list[Voice]:
        return list(_VOICES)

    def default_voice(self) -> str:
        return _VOICES[0].id

    def cache_identity(self, voice: str) -> str:
        return f"{self.engine_id}:{voice}"

    def synthesize(
        self,
        requests: Sequence[SpeechRequest],
        on_done: Callable[[int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        for index, request in enumerate(requests):
            if should_cancel is not None and should_cancel():
                raise SpeechCancelled()
            voice = request.voice or self.default_voice()
            if voice not in _GAIN:
                raise SpeechError(
                    f"There is no voice with the id “{voice}” on this computer. "
                    "Run `kindred voices` to see the voices you can use."
                )
            if self.fail_on is not None and self.fail_on in request.text:
                raise SpeechError(f"The voice could not speak the line “{request.text[:60]}” (fail_on).")
            if self.delay:
                time.sleep(self.delay)
            _write_wav(Path(request.out_path), render(request.text, voice, request.rate))
            if request.postprocess:
                load_postprocess(request.postprocess)(str(request.out_path))
            self.synthesized.append(request.text)
            if on_done is not None:
                on_done(index)

    def close(self) -> None:
        pass

    def __enter__(self) -> FakeEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def render(text: str, voice: str = "fake/calm", rate: int = DEFAULT_RATE_WPM) -> np.ndarray:
    """The fake voice's int16 samples for `text`, padding included."""
    # Imported here: app.tts is imported by every speech worker process, which must start fast.
    import numpy as np

    # Seeded from a stable hash of the text (not hash(), which changes per process).
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    n = int(round(speech_seconds(text, rate) * SAMPLE_RATE))
    t = np.arange(n) / SAMPLE_RATE

    f0 = 130.0 + 20.0 * rng.random()  # a speaking pitch, a little different per line
    # A slow pitch drift, as in an intonation contour.
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.05 * np.sin(2 * np.pi * 0.7 * t))) / SAMPLE_RATE
    buzz = sum(weight * np.sin(k * phase) for k, weight in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.2)))
    buzz = buzz / np.max(np.abs(buzz))

    # Syllables about four a second, each with its own stress; never fully silent inside
    # the speech so that silence detection sees one block of speech.
    syllable_rate = 4.0 * rate / DEFAULT_RATE_WPM
    count = int(np.ceil(n / SAMPLE_RATE * syllable_rate)) + 1
    stress = 0.6 + 0.4 * rng.random(count)
    position = t * syllable_rate
    shape = np.sin(np.pi * (position % 1.0)) ** 2
    envelope = 0.3 + 0.7 * shape * stress[position.astype(int)]
    # 5 ms fades so the speech starts and ends without a click.
    fade = min(int(0.005 * SAMPLE_RATE), n // 2)
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
    envelope[:fade] *= ramp
    envelope[n - fade :] *= ramp[::-1]

    speech = buzz * envelope * (CALM_PEAK * _GAIN.get(voice, 1.0) * 32767)
    lead = np.zeros(int(round(LEAD_SILENCE_S * SAMPLE_RATE)))
    tail = np.zeros(int(round(TAIL_SILENCE_S * SAMPLE_RATE)))
    return np.round(np.concatenate([lead, speech, tail])).astype(np.int16)


def _write_wav(path: Path, samples: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".part-{os.getpid()}.wav")
    with wave.open(str(tmp), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLE_RATE)
        f.writeframes(samples.astype("<i2").tobytes())
    os.replace(tmp, path)
