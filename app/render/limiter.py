"""Keeping the true peaks of a long signal under a ceiling, touching only where they cross it.

A look-ahead limiter run over every sample of 30 minutes takes seconds, yet levelled speech
crosses a ceiling near -1 dBTP at only a few thousand peaks. Each such peak gets a short dip
of the gain: flat at exactly the gain that brings that peak's true peak to the ceiling (wide
enough that the interpolation around it sees one gain), with raised-cosine slopes of 5 ms on
either side. Where dips overlap the lowest wins. All peaks of a block are handled at once.
"""

from __future__ import annotations

import numpy as np

from app.render.loudness import _fractional_delay_kernels, true_peaks_at

#: Samples this far below the ceiling can still have inter-sample peaks above it: a tone at a
#: quarter of the sample rate, sampled half-way between its crests, peaks 3 dB above its samples.
SEARCH_BELOW_DB = 3.0
#: Samples either side of a peak held at its gain: the interpolation filter's half width and more.
HOLD_FRAMES = 20
#: The slopes of each dip.
SLOPE_SECONDS = 0.005
#: A little below the ceiling, for the interpolation of this estimate and a meter's differing slightly.
MARGIN_DB = 0.05


def _slope_frames(rate: int) -> int:
    return max(4, round(SLOPE_SECONDS * rate))


def reach_frames(rate: int) -> int:
    """How far from a peak its dip and the true-peak estimate reach: blocks overlap by this much."""
    kernel_half = _fractional_delay_kernels().shape[1] // 2
    return HOLD_FRAMES + _slope_frames(rate) + kernel_half + 2


def _dip_shape(rate: int) -> np.ndarray:
    """0 far from the peak, 1 on the hold around it, raised-cosine slopes between."""
    slope = _slope_frames(rate)
    rise = 0.5 - 0.5 * np.cos(np.pi * np.arange(1, slope + 1) / (slope + 1))
    return np.concatenate([rise, np.ones(2 * HOLD_FRAMES + 1), rise[::-1]]).astype(np.float32)


def limit_true_peaks(samples: np.ndarray, rate: int, ceiling_db: float) -> tuple[np.ndarray, float]:
    """`samples` (float32, changed in place) with every true peak at most `ceiling_db`, and the
    highest true peak after limiting among those that came near it (-inf when none did).

    Samples closer than reach_frames() to either end serve as context only: the caller passes
    blocks that overlap by that much and keeps their middles.
    """
    ceiling = 10 ** ((ceiling_db - MARGIN_DB) / 20)
    magnitude = np.abs(samples)
    near = np.flatnonzero(magnitude > ceiling * 10 ** (-SEARCH_BELOW_DB / 20))
    near = near[(near > 0) & (near < len(samples) - 1)]
    # Inter-sample peaks sit beside the local maxima of the samples.
    peaks = near[(magnitude[near] >= magnitude[near - 1]) & (magnitude[near] >= magnitude[near + 1])]
    if len(peaks) == 0:
        return samples, float("-inf")
    true_peaks = true_peaks_at(samples, peaks)
    over = true_peaks > ceiling
    highest = float(np.minimum(true_peaks, ceiling).max())
    if not over.any():
        return samples, 20 * np.log10(highest)
    depth = (1 - ceiling / true_peaks[over]).astype(np.float32)
    shape = _dip_shape(rate)
    reach = len(shape) // 2
    columns = peaks[over][:, None] + np.arange(-reach, reach + 1)
    inside = (columns >= 0) & (columns < len(samples))
    gain = np.ones(len(samples), dtype=np.float32)
    np.minimum.at(gain, columns[inside], (1 - depth[:, None] * shape[None, :])[inside])
    first, last = int(columns[inside].min()), int(columns[inside].max()) + 1
    samples[first:last] *= gain[first:last]
    return samples, 20 * np.log10(highest)
