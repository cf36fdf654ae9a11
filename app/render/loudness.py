"""Loudness as ITU-R BS.1770 / EBU R128 measure it, and levelling speech to a target.

Levelling each utterance to the same loudness makes every voice and every sentence equally
loud; since silence falls below the measure's gates, a session of levelled utterances
measures close to the same target as a whole.

Only numpy is used here: these functions run in every speech worker, and importing
scipy.signal alone takes about a second, longer than speaking a whole session.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

TARGET_LUFS = -16.0
#: Sample-peak ceiling of the limiter; inter-sample peaks add up to ~1 dB, and the
#: target is a true peak of at most -1 dBTP.
LIMIT_CEILING_DB = -2.5
#: Where the final true-peak check lowers an utterance, with a little margin below -1 dBTP.
TRUE_PEAK_LIMIT_DB = -1.2
ABSOLUTE_GATE_LUFS = -70.0
OVERSAMPLING = 4


@lru_cache(maxsize=8)
def _k_weighting_power(rate: int, size: int) -> np.ndarray:
    """|H(f)|² of the K-weighting filter (BS.1770's shelf and high pass) at the rfft bins of `size`."""
    frequencies = np.fft.rfftfreq(size, 1.0 / rate)
    s = 2j * np.pi * frequencies
    # The filter's analog prototypes; BS.1770 gives them as 48 kHz biquads, which these match.
    shelf_gain = 10 ** (3.99984385397 / 20)
    w0, q0 = 2 * np.pi * 1681.97445095, 0.7071752369554193
    shelf = (shelf_gain * s**2 + np.sqrt(shelf_gain) * w0 / q0 * s + w0**2) / (s**2 + w0 / q0 * s + w0**2)
    w1, q1 = 2 * np.pi * 38.1354709, 0.500327037325
    highpass = s**2 / (s**2 + w1 / q1 * s + w1**2)
    return np.abs(shelf * highpass) ** 2


def step_frames(rate: int) -> int:
    """Samples in one 100 ms step, the unit every loudness figure is built from."""
    return max(1, round(0.1 * rate))


def step_powers(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal in consecutive 100 ms steps.

    Measured in the frequency domain (Parseval): the spectrum of each step weighted by the
    filter's power response. The filter's memory (a few ms) across step edges is the only
    difference from filtering in time, well under 0.1 LU for speech.
    """
    step = step_frames(rate)
    steps = len(samples) // step
    if steps == 0:
        return np.array([])
    frames = samples[: steps * step].astype(np.float64).reshape(steps, step)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    weights = _k_weighting_power(rate, step).copy()
    # Parseval for a real signal: the bins other than DC and Nyquist stand for two.
    weights[1 : (step + 1) // 2] *= 2
    return spectrum @ weights / (step * step)


def blocks_of_steps(quarter: np.ndarray) -> np.ndarray:
    """400 ms blocks overlapping by 75% from the powers of their 100 ms steps."""
    if len(quarter) < 4:
        return np.array([quarter.mean()]) if len(quarter) else np.array([])
    return (quarter[:-3] + quarter[1:-2] + quarter[2:-1] + quarter[3:]) / 4


def block_powers(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal in 400 ms blocks overlapping by 75%."""
    return blocks_of_steps(step_powers(samples, rate))


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


def integrated_lufs_of_steps(steps: np.ndarray) -> float:
    """Gated integrated loudness from 100 ms step powers."""
    return integrated_from_powers(blocks_of_steps(steps))


@lru_cache(maxsize=1)
def _fractional_delay_kernels(half_width: int = 16) -> np.ndarray:
    """Windowed-sinc kernels that interpolate a signal at 1/4, 2/4 and 3/4 of a sample."""
    taps = np.arange(-half_width + 1, half_width + 1)
    kernels = []
    for phase in range(1, OVERSAMPLING):
        offset = phase / OVERSAMPLING
        positions = taps - offset
        window = np.cos(np.pi * positions / (2 * half_width)) ** 2  # tapers to zero at the edges
        kernel = np.sinc(positions) * window
        kernels.append(kernel / kernel.sum())  # unit gain, or every estimate would be off by the ripple
    return np.array(kernels)


def true_peak_db(samples: np.ndarray) -> float:
    """Peak after 4x oversampling, as the true-peak meters of BS.1770 estimate it.

    Inter-sample peaks sit next to the largest samples, so only the neighbourhoods of the
    loudest local maxima are interpolated: the result is the same at a fraction of the cost.
    """
    if len(samples) == 0:
        return float("-inf")
    magnitude = np.abs(samples)
    sample_peak = float(magnitude.max())
    if sample_peak == 0:
        return float("-inf")
    interior = magnitude[1:-1]
    is_local_max = (interior >= magnitude[:-2]) & (interior >= magnitude[2:])
    candidates = np.flatnonzero(is_local_max & (interior >= sample_peak * 10 ** (-6 / 20))) + 1
    if len(candidates) > 256:
        candidates = candidates[np.argsort(magnitude[candidates])[-256:]]
    peak = sample_peak
    if len(candidates):
        peak = max(peak, float(true_peaks_at(samples, candidates).max()))
    return 20 * np.log10(peak)


def true_peaks_at(samples: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """The true peak (linear) around each sample index in `peaks` (at least one): the sample and
    the 4x oversampled values between it and its neighbours."""
    kernels = _fractional_delay_kernels()
    half = kernels.shape[1] // 2
    # Interpolate between each peak and its two neighbours: positions t-1 .. t+1.
    starts = (peaks[:, None] + np.arange(-1, 1)).ravel()
    # Beyond the ends the signal is silence (repeating the edge sample would invent peaks).
    padded = np.pad(samples, half)
    offsets = starts[:, None] + np.arange(-half + 1, half + 1) + half
    between = np.abs(padded[offsets].astype(np.float64) @ kernels.T).reshape(len(peaks), -1)
    return np.maximum(np.abs(samples[peaks]), between.max(axis=1))


def _moving_max(values: np.ndarray, size: int) -> np.ndarray:
    """The maximum over a centred window of `size` at every sample, in O(n) (van Herk / Gil-Werman)."""
    half = size // 2
    padded = np.pad(values, (half, half + size), mode="edge")
    blocks = -(-len(padded) // size)
    padded = np.pad(padded, (0, blocks * size - len(padded)), mode="edge").reshape(blocks, size)
    prefix = np.maximum.accumulate(padded, axis=1).ravel()
    suffix = np.maximum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].ravel()
    # A window starting at i spans the end of i's block (suffix) and the start of the next (prefix).
    count = len(values)
    return np.maximum(suffix[:count], prefix[size - 1 : size - 1 + count])


def _moving_mean(values: np.ndarray, size: int) -> np.ndarray:
    padded = np.pad(values, size // 2, mode="edge")
    sums = np.concatenate([[0.0], np.cumsum(padded, dtype=np.float64)])
    return ((sums[size:] - sums[:-size]) / size).astype(np.float32)


def limit_peaks(samples: np.ndarray, rate: int, ceiling_db: float = LIMIT_CEILING_DB) -> np.ndarray:
    """A look-ahead peak limiter: the gain dips smoothly over a few ms around each peak above the ceiling."""
    ceiling = np.float32(10 ** (ceiling_db / 20))
    magnitude = np.abs(samples)
    if float(magnitude.max(initial=0.0)) <= ceiling:
        return samples
    window = 2 * max(3, int(0.005 * rate)) + 1
    # The envelope is spread over two windows, so that after smoothing over one window the
    # gain is still low enough at every peak.
    envelope = _moving_max(magnitude, 2 * window - 1)
    gain = np.minimum(np.float32(1.0), ceiling / np.maximum(envelope, np.float32(1e-9)))
    return samples * _moving_mean(gain, window)


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
    if peak > TRUE_PEAK_LIMIT_DB:
        levelled = levelled * np.float32(10 ** ((TRUE_PEAK_LIMIT_DB - peak) / 20))
    return levelled.astype(np.float32)
