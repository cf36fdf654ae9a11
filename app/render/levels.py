"""How loud a session and a background loop are, measured once and kept beside their files.

An export brings the session, with its background mixed in, to -16 LUFS. Measuring 30
minutes takes about a second, so the figures are kept beside the rendered WAV (whose name
is a hash of everything that made it): a second export of the same session measures nothing.

The loudness of the mix is worked out from the figures of its parts: speech and background
are unrelated signals, so in each 100 ms step their K-weighted powers add up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.files import atomic_output
from app.render.assemble import RenderCancelled
from app.render.loudness import (
    _k_weighting_power,
    integrated_lufs_of_steps,
    step_frames,
    step_powers,
    true_peak_db,
)

#: Raise when what is measured changes, so figures kept from before are measured again.
LEVELS_VERSION = 1
#: 100 ms steps measured per chunk: keeps memory flat however long the session is.
CHUNK_STEPS = 512
#: Chunks whose sample peak is this far below the loudest cannot hold the true peak.
TRUE_PEAK_SEARCH_DB = 3.0


@dataclass(frozen=True)
class Levels:
    """A recording's loudness in BS.1770 terms: the power of each 100 ms step, and its true peak."""

    rate: int
    frames: int
    steps: np.ndarray  # mean square of the K-weighted signal in each whole 100 ms step
    true_peak_db: float

    @property
    def integrated_lufs(self) -> float:
        return integrated_lufs_of_steps(self.steps)


def pcm_samples(path: Path) -> tuple[np.ndarray, int]:
    """The 16-bit mono samples of a WAV, mapped from the file (not read into memory), and its rate."""
    with open(path, "rb") as reader:
        header = reader.read(12)
        if header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            raise ValueError(f"{path}: not a WAV file")
        rate = channels = width = None
        while True:
            chunk = reader.read(8)
            if len(chunk) < 8:
                raise ValueError(f"{path}: no audio data")
            name, size = chunk[:4], int.from_bytes(chunk[4:], "little")
            if name == b"fmt ":
                fmt = reader.read(size + (size & 1))
                channels = int.from_bytes(fmt[2:4], "little")
                rate = int.from_bytes(fmt[4:8], "little")
                width = int.from_bytes(fmt[14:16], "little")
            elif name == b"data":
                if (channels, width) != (1, 16) or rate is None:
                    raise ValueError(f"{path}: expected 16-bit mono PCM")
                offset = reader.tell()
                break
            else:
                reader.seek(size + (size & 1), 1)
    count = min(size, Path(path).stat().st_size - offset) // 2
    if count == 0:
        return np.zeros(0, dtype="<i2"), rate
    return np.memmap(path, dtype="<i2", mode="r", offset=offset, shape=(count,)), rate


def measure_pcm(samples: np.ndarray, rate: int, should_cancel: Callable[[], bool] | None = None) -> Levels:
    """Step powers and true peak of 16-bit samples, a chunk at a time."""
    step = step_frames(rate)
    chunk = CHUNK_STEPS * step
    powers, peaks = [], []
    for start in range(0, len(samples), chunk):
        if should_cancel is not None and should_cancel():
            raise RenderCancelled()
        block = samples[start : start + chunk].astype(np.float32)
        block *= np.float32(1 / 32768)
        powers.append(step_powers(block, rate))
        peaks.append(float(np.abs(block).max(initial=0.0)))
    steps = np.concatenate(powers) if powers else np.zeros(0)
    loudest = max(peaks, default=0.0)
    true_peak = float("-inf")
    if loudest > 0:
        # Inter-sample peaks rise a fraction of a dB above the samples around them: only
        # the chunks with the loudest samples need the (slower) oversampled search.
        floor = loudest * 10 ** (-TRUE_PEAK_SEARCH_DB / 20)
        for index, peak in enumerate(peaks):
            if peak >= floor:
                block = samples[index * chunk : (index + 1) * chunk].astype(np.float32)
                true_peak = max(true_peak, true_peak_db(block * np.float32(1 / 32768)))
    return Levels(rate, len(samples), steps, true_peak)


def wav_levels(path: Path, should_cancel: Callable[[], bool] | None = None) -> Levels:
    """The levels of a 16-bit mono WAV, measured on first use and kept beside it."""
    path = Path(path)
    kept = path.with_name(path.name + ".levels.npz")
    samples, rate = pcm_samples(path)
    stat = path.stat()
    identity = np.array([LEVELS_VERSION, stat.st_size, stat.st_mtime_ns, rate, len(samples)], dtype=np.int64)
    with contextlib.suppress(OSError, ValueError, KeyError, EOFError), np.load(kept) as stored:
        if np.array_equal(stored["identity"], identity):
            return Levels(rate, len(samples), stored["steps"], float(stored["true_peak_db"]))
    levels = measure_pcm(samples, rate, should_cancel)
    # Best effort: a cache that cannot be written only means measuring again next time.
    with contextlib.suppress(OSError), atomic_output(kept, stage_elsewhere=True) as handle:
        np.savez(handle, identity=identity, steps=levels.steps, true_peak_db=levels.true_peak_db)
    return levels


class LoopPowers:
    """The K-weighted power of a seamless loop over any 100 ms stretch, wherever it starts.

    The loop is filtered as the circular signal it is, so a stretch across its seam is
    measured as it sounds.
    """

    def __init__(self, loop: np.ndarray, rate: int):
        self.length = len(loop)
        self.step = step_frames(rate)
        self._whole_steps = None
        if self.length == 0:
            self._cumulative = np.zeros(1)
            return
        if self.length % self.step == 0:
            # Kindred's loops last whole tenths of a second: no step straddles the seam.
            self._whole_steps = step_powers(loop, rate)
            return
        spectrum = np.fft.rfft(loop.astype(np.float64))
        weighted = np.fft.irfft(spectrum * np.sqrt(_k_weighting_power(rate, self.length)), n=self.length)
        squared = weighted**2
        repeats = -(-(self.length + self.step) // self.length)
        self._cumulative = np.concatenate([[0.0], np.cumsum(np.tile(squared, repeats))])

    def steps(self, count: int) -> np.ndarray:
        """Power of each of the first `count` 100 ms steps of the loop repeated from its start."""
        if self.length == 0:
            return np.zeros(count)
        if self._whole_steps is not None:
            return np.resize(self._whole_steps, count)  # repeated as the loop repeats
        starts = (np.arange(count, dtype=np.int64) * self.step) % self.length
        return (self._cumulative[starts + self.step] - self._cumulative[starts]) / self.step
