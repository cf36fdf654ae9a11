"""The loudness measure and the levelling of speech, checked against BS.1770 and ffmpeg."""

import shutil
import subprocess

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from app.render.loudness import (
    _moving_max,
    integrated_loudness,
    level_speech,
    limit_peaks,
    true_peak_db,
)
from app.render.pcm import SESSION_RATE, read_wav, write_wav
from tests.audio_measure import ebur128


def sine(freq: float, peak_db: float, seconds: float = 5.0, rate: int = SESSION_RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (peak_db / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_a_997_hz_sine_at_full_scale_reads_minus_3_lufs_as_bs1770_defines():
    assert integrated_loudness(sine(997, 0.0), SESSION_RATE) == pytest.approx(-3.01, abs=0.05)
    assert integrated_loudness(sine(997, -20.0), SESSION_RATE) == pytest.approx(-23.01, abs=0.05)


def test_silence_has_no_loudness_and_is_left_alone():
    silence = np.zeros(SESSION_RATE, dtype=np.float32)
    assert integrated_loudness(silence, SESSION_RATE) == float("-inf")
    assert np.array_equal(level_speech(silence, SESSION_RATE), silence)


def test_true_peak_finds_peaks_between_samples():
    # A sine at a quarter of the rate, sampled away from its crests: samples peak at -3 dB.
    t = np.arange(4000)
    samples = np.sin(2 * np.pi * t / 4 + np.pi / 4).astype(np.float32)
    assert 20 * np.log10(np.abs(samples).max()) == pytest.approx(-3.01, abs=0.01)
    assert true_peak_db(samples) == pytest.approx(0.0, abs=0.2)


def test_the_moving_maximum_equals_the_plain_definition():
    rng = np.random.default_rng(7)
    for length, window in [(1000, 441), (5, 7), (3000, 13), (441, 441), (1, 3)]:
        values = rng.random(length).astype(np.float32)
        plain = sliding_window_view(np.pad(values, window // 2, mode="edge"), window).max(axis=1)
        assert np.array_equal(_moving_max(values, window), plain)


def test_the_limiter_keeps_every_sample_under_its_ceiling_and_leaves_quiet_parts_untouched():
    loud = sine(220, 6.0, seconds=1)  # peaks twice full scale
    quiet = sine(220, -30.0, seconds=1)
    signal = np.concatenate([quiet, loud, quiet])
    limited = limit_peaks(signal, SESSION_RATE, ceiling_db=-3.0)
    assert np.abs(limited).max() <= 10 ** (-3.0 / 20) + 1e-6
    untouched = slice(0, SESSION_RATE // 2)
    assert np.array_equal(limited[untouched], signal[untouched])


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_levelled_speech_meets_the_target_by_ffmpegs_meter(tmp_path):
    raw = tmp_path / "raw.wav"
    text = "Let your body settle into the chair beneath you. Notice where you are holding on, and breathe."
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True)
    samples, rate = read_wav(raw)
    ours_before = integrated_loudness(samples, rate)
    ffmpeg_before, _ = ebur128(raw)
    assert ours_before == pytest.approx(ffmpeg_before, abs=0.3)

    levelled = tmp_path / "levelled.wav"
    write_wav(levelled, level_speech(samples, rate), rate)
    integrated, true_peak = ebur128(levelled)
    assert integrated == pytest.approx(-16.0, abs=0.5)
    assert true_peak <= -1.0
