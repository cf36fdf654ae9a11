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
    block, step = int(0.4 * rate), int(0.1 * rate)
    if len(weighted) < block:
        return np.array([np.mean(weighted**2)]) if len(weighted) else np.array([])
    squares = np.concatenate([[0.0], np.cumsum(weighted**2)])
    starts = np.arange(0, len(weighted) - block + 1, step)
    return (squares[starts + block] - squares[starts]) / block


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
    padded = np.pad(samples.astype(np.float64), half)
    windows = padded[candidates[:, None] + np.arange(2 * half + 1)]
    oversampled = resample_poly(windows, 4, 1, axis=1)[:, 4 * (half // 2) : -4 * (half // 2)]
    peak = max(sample_peak, float(np.abs(oversampled).max()))
    return 20 * np.log10(peak)


def _limiter_window(rate: int) -> int:
    return 2 * max(3, int(0.005 * rate)) + 1


def _peak_envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    # Twice the window: the max over one window, spread once more so that the gain, which
    # falls as the envelope rises, dips over the whole window before each peak.
    return maximum_filter1d(np.abs(samples), size=2 * _limiter_window(rate) - 1)


def _gain_curve(envelope: np.ndarray, gain: float, rate: int, ceiling_db: float) -> np.ndarray | None:
    """A look-ahead limiter's gain for a signal scaled by `gain`; None when nothing exceeds the ceiling."""
    ceiling = np.float32(10 ** (ceiling_db / 20) / gain)
    if float(envelope.max(initial=0.0)) <= ceiling:
        return None
    raw = np.minimum(np.float32(1.0), ceiling / np.maximum(envelope, np.float32(1e-9)))
    # Smoothing a curve whose dips were widened first keeps it below what each peak needs.
    return uniform_filter1d(raw, size=_limiter_window(rate))


def limit_peaks(samples: np.ndarray, rate: int, ceiling_db: float = LIMIT_CEILING_DB) -> np.ndarray:
    curve = _gain_curve(_peak_envelope(samples, rate), 1.0, rate, ceiling_db)
    return samples if curve is None else (samples * curve).astype(np.float32)


def level_speech(samples: np.ndarray, rate: int, target_lufs: float = TARGET_LUFS) -> np.ndarray:
    """Bring one utterance to the target loudness without letting its peaks clip."""
    samples = samples.astype(np.float32)
    weighted = k_weighted(samples, rate)
    loudness = integrated_from_powers(block_powers(samples, rate, weighted))
    if not np.isfinite(loudness):
        return samples
    envelope = _peak_envelope(samples, rate)
    gain_db = target_lufs - loudness
    gain = np.float32(10 ** (gain_db / 20))
    curve = None
    # Limiting lowers the loudness a little, so the gain is raised and the limiter run again.
    # The limiter's gain moves slowly next to the K-weighting filter's response, so the
    # limited loudness is estimated from the weighted signal times that gain curve.
    for _ in range(3):
        gain = np.float32(10 ** (gain_db / 20))
        curve = _gain_curve(envelope, float(gain), rate, LIMIT_CEILING_DB)
        if curve is None:
            break
        estimate = integrated_from_powers(block_powers(samples, rate, weighted * (gain * curve)))
        error = target_lufs - estimate
        if abs(error) < 0.15:
            break
        gain_db += error
    levelled = samples * gain if curve is None else samples * (gain * curve)
    # Inter-sample peaks the limiter could not see: lower the whole utterance a little.
    peak = true_peak_db(levelled)
    if peak > -1.2:
        levelled = levelled * np.float32(10 ** ((-1.2 - peak) / 20))
    return levelled.astype(np.float32)
