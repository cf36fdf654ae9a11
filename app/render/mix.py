"""The session as it is exported: the voice with its background loop under it, at one gain.

The background follows the player: the loop repeats from the session's start at the level
the player's slider gives it, fading in over the first 6 s and out over the last 10 s on an
equal-power curve. Everything is computed a block at a time, so memory stays flat.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.render.levels import LoopPowers, pcm_samples
from app.render.limiter import limit_true_peaks, reach_frames
from app.render.loudness import TARGET_LUFS, integrated_lufs_of_steps, step_frames
from app.render.pcm import to_int16_bytes

#: The background fades in and out rather than cutting (the player and the exports alike).
FADE_IN_SECONDS = 6.0
FADE_OUT_SECONDS = 10.0
#: Frames computed and handed to the encoder at a time (about 12 s of audio).
BLOCK_FRAMES = 1 << 18
#: Blocks are mixed this many at a time, this many blocks ahead of the encoder.
MIX_THREADS = 2
LOOKAHEAD_BLOCKS = 4
#: A gain this close to none is inaudible, and skipping it lets a session go out untouched.
GAIN_DEADBAND_DB = 0.25
UNTOUCHED_TOLERANCE_DB = 0.01
#: Never raise a nearly silent session by more than this (a script of bells and pauses only).
MAX_GAIN_DB = 20.0
LOG_100 = math.log(100.0)


def slider_to_gain(slider: float) -> float:
    """The player's volume slider (0-1) as a linear gain: Qt's logarithmic volume scale, without Qt."""
    position = max(0.0, min(1.0, slider))
    return 1.0 if position > 0.99 else -math.log(1 - position) / LOG_100


@dataclass
class Background:
    """A loop and the gain it plays at under the voice."""

    loop: np.ndarray  # float32 in [-1, 1]
    gain: float

    @classmethod
    def load(cls, wav: Path, slider: float) -> Background:
        samples, _ = pcm_samples(wav)
        return cls(np.asarray(samples, dtype=np.float32) * np.float32(1 / 32768), slider_to_gain(slider))

    def powers(self, rate: int) -> LoopPowers:
        return LoopPowers(self.loop, rate)


def fade_at(frames: np.ndarray, total: int, rate: int) -> np.ndarray:
    """The background's fade (0-1) at the given frames of a session `total` frames long."""
    level = np.minimum(frames / (FADE_IN_SECONDS * rate), (total - frames) / (FADE_OUT_SECONDS * rate))
    return np.sin(np.clip(level, 0.0, 1.0) * (math.pi / 2)).astype(np.float32)


def fade_gains(start: int, count: int, total: int, rate: int) -> np.ndarray | None:
    """The background's fade at frames start..start+count, or None where it plays at full level."""
    if FADE_IN_SECONDS * rate <= start and start + count <= total - FADE_OUT_SECONDS * rate:
        return None
    return fade_at(np.arange(start, start + count, dtype=np.float64), total, rate)


def loop_slice(loop: np.ndarray, start: int, count: int) -> np.ndarray:
    """`count` frames of the loop repeated from frame 0 of the session, from frame `start` on."""
    length = len(loop)
    offset = start % length
    if offset + count <= length:
        return loop[offset : offset + count]
    pieces, remaining = [loop[offset:]], count - (length - offset)
    while remaining > 0:
        pieces.append(loop[: min(length, remaining)])
        remaining -= length
    return np.concatenate(pieces)


@dataclass(frozen=True)
class MixPlan:
    """What one export does to the session: the gain, the background, the peak ceiling."""

    gain_db: float
    background: Background | None
    ceiling_db: float
    loudness_lufs: float  # of the mix after the gain, before peaks are limited
    peak_bound_db: float  # the true peak the mix can reach at most, before limiting
    untouched: bool  # the session's own samples go out as they are


def plan_mix(
    speech_steps: np.ndarray,
    speech_true_peak_db: float,
    frames: int,
    rate: int,
    background: Background | None,
    ceiling_db: float,
) -> MixPlan:
    """The gain that brings the mix to the target loudness, from the measured powers of its parts."""
    steps = speech_steps
    peak_bound = 10 ** (speech_true_peak_db / 20)
    if background is not None and len(background.loop) and background.gain > 0:
        step = step_frames(rate)
        count = len(speech_steps)
        centres = np.arange(count) * step + step // 2
        fade = fade_at(centres.astype(np.float64), frames, rate)
        steps = steps + background.powers(rate).steps(count) * (background.gain * fade) ** 2
        peak_bound += background.gain * float(np.abs(background.loop).max(initial=0.0))
    else:
        background = None
    loudness = integrated_lufs_of_steps(steps)
    gain_db = 0.0 if not math.isfinite(loudness) else min(MAX_GAIN_DB, TARGET_LUFS - loudness)
    if abs(gain_db) <= GAIN_DEADBAND_DB:
        gain_db = 0.0
    # With no background, no gain and peaks already under the ceiling, nothing needs doing.
    # (Speech is levelled to the lossless ceiling itself; rounding to 16 bits may lift a
    # peak by a hair, which the ceiling's margin under -1 dBTP absorbs.)
    peak_db = 20 * math.log10(peak_bound) + gain_db if peak_bound > 0 else float("-inf")
    untouched = background is None and gain_db == 0.0 and peak_db <= ceiling_db + UNTOUCHED_TOLERANCE_DB
    return MixPlan(gain_db, background, ceiling_db, loudness + gain_db, peak_db, untouched)


class PeakTracker:
    """The highest true peak of what was encoded, as the blocks go by."""

    def __init__(self, start_db: float):
        self.highest_db = start_db


def mixed_blocks(
    speech: np.ndarray, rate: int, plan: MixPlan, peaks: PeakTracker, block_frames: int = BLOCK_FRAMES
) -> Iterator[tuple[int, bytes]]:
    """The export's 16-bit samples, a block at a time, with the frames written so far.

    Blocks are mixed on two threads (numpy lets go of the GIL) a few blocks ahead of the
    consumer, which gets them in order.
    """
    total = len(speech)
    starts = range(0, total, block_frames)
    if plan.untouched:
        for start in starts:
            end = min(total, start + block_frames)
            yield end, speech[start:end].tobytes()
        return

    def mix(start: int) -> tuple[int, bytes, float]:
        end = min(total, start + block_frames)
        data, highest = _mix_block(speech, rate, plan, start, end)
        return end, data, highest

    with ThreadPoolExecutor(max_workers=MIX_THREADS) as pool:
        pending = deque(pool.submit(mix, start) for start in starts[:LOOKAHEAD_BLOCKS])
        following = iter(starts[LOOKAHEAD_BLOCKS:])
        try:
            while pending:
                end, data, highest = pending.popleft().result()
                next_start = next(following, None)
                if next_start is not None:
                    pending.append(pool.submit(mix, next_start))
                peaks.highest_db = max(peaks.highest_db, highest)
                yield end, data
        finally:  # the consumer stopped early (cancel, error): drop what is queued
            for future in pending:
                future.cancel()


def _mix_block(speech: np.ndarray, rate: int, plan: MixPlan, start: int, end: int) -> tuple[bytes, float]:
    total = len(speech)
    gain = np.float32(10 ** (plan.gain_db / 20))
    # The limiter needs the samples around the block as context; only the middle is kept.
    margin = reach_frames(rate)
    lo, hi = max(0, start - margin), min(total, end + margin)
    block = session_block(speech[lo:hi], lo, total, rate, plan.background)
    block *= gain
    block, highest = limit_true_peaks(block, rate, plan.ceiling_db)
    return to_int16_bytes(block[start - lo : end - lo]), highest


def session_block(
    voice: np.ndarray, start: int, total: int, rate: int, background: Background | None
) -> np.ndarray:
    """What is heard at frames start..start+len(voice) of a session `total` frames long: the
    voice (16-bit samples) with the background loop under it at its gain, faded in and out.
    The one mix of a session, whether it is played, exported or rendered to a file."""
    block = voice.astype(np.float32)
    block *= np.float32(1 / 32768)
    if background is not None and len(background.loop) and background.gain > 0:
        under = loop_slice(background.loop, start, len(voice)) * np.float32(background.gain)
        fade = fade_gains(start, len(voice), total, rate)
        if fade is not None:
            under *= fade
        block += under
    return block
