"""Loudness as ITU-R BS.1770 / EBU R128 measure it, and levelling speech to a target.

Levelling each utterance to the same loudness makes every voice and every sentence equally
loud; since silence falls below the measure's gates, a session of levelled utterances
measures close to the same target as a whole.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import bilinear, resample_poly, sosfilt

TARGET_LUFS = -16.0
#: Sample-peak ceiling of the limiter; inter-sample peaks add up to ~1 dB, and the
#: target is a true peak of at most -1 dBTP.
LIMIT_CEILING_DB = -2.5
ABSOLUTE_GATE_LUFS = -70.0


def _k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two K-weighting stages (high shelf, then high pass), designed for any rate."""
    # Analog prototypes from BS.1770's 48 kHz coefficients, matched through the bilinear
    # transform, so 22050 Hz input is weighted the same way.
    shelf_gain_db, shelf_freq, shelf_q = 3.99984385397, 1681.97445095, 0.7071752369554193
    highpass_freq, highpass_q = 38.1354709, 0.500327037325
    gain = 10 ** (shelf_gain_db / 20)
    w0 = 2 * np.pi * shelf_freq
    shelf_b = [gain, np.sqrt(gain) * w0 / shelf_q, w0 * w0]
    shelf_a = [1.0, w0 / shelf_q, w0 * w0]
    w1 = 2 * np.pi * highpass_freq
    highpass_b = [1.0, 0.0, 0.0]
    highpass_a = [1.0, w1 / highpass_q, w1 * w1]
    stages = []
    for b, a, freq in ((shelf_b, shelf_a, shelf_freq), (highpass_b, highpass_a, highpass_freq)):
        # Pre-warp so the corner frequency lands where it should after the transform.
        warp = (2 * np.pi * freq) / (2 * rate * np.tan(np.pi * freq / rate))
        b_scaled = [b[0] * warp**2, b[1] * warp, b[2]] if len(b) == 3 else b
        a_scaled = [a[0] * warp**2, a[1] * warp, a[2]]
        stages.append(bilinear(b_scaled, a_scaled, fs=rate))
    return stages


_FILTERS: dict[int, np.ndarray] = {}


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate not in _FILTERS:
        sections = []
        for b, a in _k_weighting(rate):
            sections.append(np.concatenate([b / a[0], a / a[0]]))
        _FILTERS[rate] = np.array(sections)
    return sosfilt(_FILTERS[rate], samples)


def block_powers(samples: np.ndarray, rate: int, weighted: np.ndarray | None = None) -> np.ndarray:
    """Mean square of the K-weighted signal in 400 ms blocks overlapping by 75%."""
    if weighted is None:
        weighted = k_weighted(samples, rate)
    step = max(1, round(0.1 * rate))
    steps = len(weighted) // step
    if steps < 4:
        return np.array([np.mean(np.square(weighted, dtype=np.float64))]) if len(weighted) else np.array([])
    # Sums over 100 ms steps, then four neighbouring steps make one 400 ms block.
    quarter = np.square(weighted[: steps * step], dtype=np.float64).reshape(steps, step).sum(axis=1)
    return (quarter[:-3] + quarter[1:-2] + quarter[2:-1] + quarter[3:]) / (4 * step)


def _lufs(power: float) -> float:
    return -0.691 + 10 * np.log10(power) if power > 0 else float("-inf")


def integrated_from_powers(powers: np.ndarray) -> float:
    """Gated integrated loudness: absolute gate at -70 LUFS, then relative gate 10 LU down."""
    if len(powers) == 0:
        return float("-inf")
    loud = powers[-0.691 + 10 * np.log10(np.maximum(powers, 1e-20)) > ABSOLUTE_GATE_LUFS]
    if len(loud) == 0:
        return float("-inf")
    relative_gate = _lufs(float(np.mean(loud))) - 10
    gated = loud[-0.691 + 10 * np.log10(loud) > relative_gate]
    return _lufs(float(np.mean(gated)))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    return integrated_from_powers(block_powers(samples, rate))


def true_peak_db(samples: np.ndarray) -> float:
    """Peak after 4x oversampling, as the true-peak meters of BS.1770 estimate it.

    Inter-sample peaks stay within a few dB of the sample peaks next to them, so only short
    stretches around the loudest samples are oversampled: the result is the same, and it
    costs a fraction of oversampling the whole utterance.
    """
    if len(samples) == 0:
        return float("-inf")
    magnitude = np.abs(samples)
    sample_peak = float(magnitude.max())
    if sample_peak == 0:
        return float("-inf")
    # Local maxima within 6 dB of the peak; the 256 loudest are plenty to find the top.
    interior = magnitude[1:-1]
    is_local_max = (interior >= magnitude[:-2]) & (interior >= magnitude[2:])
    candidates = np.flatnonzero(is_local_max & (interior >= sample_peak * 10 ** (-6 / 20))) + 1
    if len(candidates) > 256:
        candidates = candidates[np.argsort(magnitude[candidates])[-256:]]
    half = 24
    offsets = np.clip(candidates[:, None] + np.arange(-half, half + 1), 0, len(samples) - 1)
    windows = samples[offsets].astype(np.float64)
    oversampled = resample_poly(windows, 4, 1, axis=1)[:, 4 * (half // 2) : -4 * (half // 2)]
    peak = max(sample_peak, float(np.abs(oversampled).max()))
    return 20 * np.log10(peak)


def limit_peaks(samples: np.ndarray, rate: int, ceiling_db: float = LIMIT_CEILING_DB) -> np.ndarray:
    """A look-ahead peak limiter: the gain dips smoothly over a few ms around each peak above the ceiling.

    Peaks above the ceiling are rare in levelled speech, so only the stretches around them are
    processed; the rest of the signal is left exactly as it was.
    """
    ceiling = np.float32(10 ** (ceiling_db / 20))
    over = np.flatnonzero(np.abs(samples) > ceiling)
    if len(over) == 0:
        return samples
    window = 2 * max(3, int(0.005 * rate)) + 1
    reach = 2 * window
    out = samples.copy()
    breaks = np.flatnonzero(np.diff(over) > 2 * reach) + 1
    for group in np.split(over, breaks):
        lo, hi = max(0, int(group[0]) - reach), min(len(samples), int(group[-1]) + reach + 1)
        stretch = samples[lo:hi]
        # The envelope is spread over two windows, so that after smoothing over one window the
        # gain is still low enough at every peak.
        envelope = maximum_filter1d(np.abs(stretch), size=2 * window - 1)
        gain = np.minimum(np.float32(1.0), ceiling / np.maximum(envelope, np.float32(1e-9)))
        out[lo:hi] = stretch * uniform_filter1d(gain, size=window)
    return out


def level_speech(samples: np.ndarray, rate: int, target_lufs: float = TARGET_LUFS) -> np.ndarray:
    """Bring one utterance to the target loudness without letting its peaks clip."""
    samples = samples.astype(np.float32)
    loudness = integrated_loudness(samples, rate)
    if not np.isfinite(loudness):
        return samples
    levelled = limit_peaks(samples * np.float32(10 ** ((target_lufs - loudness) / 20)), rate)
    # The limiter took a little loudness off the peaks: give it back once. That lifts the
    # limited peaks by the same fraction of a dB, which the true-peak check below allows for.
    shortfall = target_lufs - integrated_loudness(levelled, rate)
    if shortfall > 0.05:
        levelled = levelled * np.float32(10 ** (shortfall / 20))
    peak = true_peak_db(levelled)
    if peak > -1.2:
        levelled = levelled * np.float32(10 ** ((-1.2 - peak) / 20))
    return levelled.astype(np.float32)
