"""The feeder thread: mixes the session ahead into the device, so that the sink's reads are cheap.

It asks a BlockSource for the session's 16-bit mono blocks and pushes them, as the sink's
stereo float at twice the rate, into the PullDevice until BUFFER_S of sound is ready. A block
the voice has not spoken yet is asked for again every RETRY_S; meanwhile the device hands out
silence and counts it as a wait, not a glitch.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from app.ui.services.stream_device import BYTES_PER_FRAME, CHANNELS, RATE_FACTOR, PullDevice

#: What the feeder keeps ready ahead of the speakers.
BUFFER_S = 0.75
#: Frames mixed at a time: small enough to be quick, large enough to be few.
BLOCK_FRAMES = 2048
#: How long the feeder waits before asking a source that was not ready again.
RETRY_S = 0.02


class BlockSource(Protocol):
    """The session as the feeder reads it: 16-bit mono blocks at the session's rate."""

    @property
    def total_frames(self) -> int: ...

    def read(self, start: int, frames: int) -> np.ndarray | None:
        """int16 samples of frames start..start+frames, or None when they are not ready yet."""
        ...


def feed(
    source: BlockSource, start: int, device: PullDevice, generation: int, stop: threading.Event, rate: int
) -> None:
    """The feeder thread: keeps BUFFER_S of the session ready in the device."""
    ahead = int(BUFFER_S * rate) * BYTES_PER_FRAME
    cursor = start
    previous = np.float32(0.0)
    if cursor >= source.total_frames:
        device.push(b"", generation, last=True)  # started at the very end: nothing left to play
    while not stop.is_set() and cursor < source.total_frames:
        if device.buffered >= ahead:
            stop.wait(RETRY_S)
            continue
        count = min(BLOCK_FRAMES, source.total_frames - cursor)
        block = source.read(cursor, count)
        if block is None:
            device.wait_for_voice(generation)
            stop.wait(RETRY_S)  # the voice has not spoken it yet
            continue
        cursor += count
        data, previous = to_output(block, previous)
        if not device.push(data, generation, last=cursor >= source.total_frames):
            return  # replaced by a newer source


def to_output(block: np.ndarray, previous: np.float32) -> tuple[bytes, np.float32]:
    """16-bit mono samples as the sink's stereo float at twice the rate, and the last sample
    (the interpolation carries on from it in the next block)."""
    samples = np.asarray(block, dtype=np.float32) * np.float32(1 / 32768)
    doubled = np.empty((len(samples), RATE_FACTOR), dtype=np.float32)
    doubled[:, 1] = samples
    doubled[:, 0] = samples
    if len(samples):
        doubled[1:, 0] += samples[:-1]
        doubled[0, 0] += previous
        doubled[:, 0] *= np.float32(0.5)  # halfway between a sample and the one before
        previous = samples[-1]
    stereo = np.repeat(doubled.reshape(-1, 1), CHANNELS, axis=1)
    return stereo.astype("<f4").tobytes(), previous
