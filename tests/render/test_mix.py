"""The parts of an export's mix: measured levels kept beside a render, the background, the peak limiter."""

import math

import numpy as np
import pytest

import app.render.levels as levels_module
from app.render.levels import LoopPowers, integrated_lufs_of_steps, measure_pcm, pcm_samples, wav_levels
from app.render.limiter import limit_true_peaks, reach_frames
from app.render.loudness import integrated_loudness, step_powers, true_peak_db
from app.render.mix import (
    BLOCK_FRAMES,
    Background,
    PeakTracker,
    fade_gains,
    loop_slice,
    mixed_blocks,
    plan_mix,
    session_block,
    slider_to_gain,
)
from app.render.pcm import SESSION_RATE, to_int16_bytes, wav_header

RATE = SESSION_RATE


def speech_like(seconds: float, seed: int = 1) -> np.ndarray:
    """Bursts of filtered noise (syllables) with gaps, around -16 LUFS, peaks near -1 dBFS."""
    rng = np.random.default_rng(seed)
    samples = np.zeros(int(seconds * RATE), dtype=np.float32)
    position = int(0.3 * RATE)
    while position < len(samples) - RATE:
        length = int(rng.uniform(0.1, 0.4) * RATE)
        burst = rng.standard_normal(length).astype(np.float32)
        burst = np.convolve(burst, np.ones(4) / 4, mode="same").astype(np.float32)
        samples[position : position + length] = burst * np.hanning(length).astype(np.float32) * 0.3
        position += length + int(rng.uniform(0.05, 0.6) * RATE)
    return samples


def write_session(path, samples: np.ndarray):
    path.write_bytes(wav_header(len(samples)) + to_int16_bytes(samples))
    return path


# -- levels ------------------------------------------------------------------------------


def test_levels_measure_what_the_loudness_module_measures(tmp_path):
    samples = speech_like(30)
    path = write_session(tmp_path / "session.wav", samples)
    levels = wav_levels(path)
    pcm, rate = pcm_samples(path)
    assert (rate, len(pcm), levels.frames) == (RATE, len(samples), len(samples))
    exact = pcm.astype(np.float32) / 32768
    assert levels.integrated_lufs == pytest.approx(integrated_loudness(exact, RATE), abs=0.01)
    assert levels.true_peak_db == pytest.approx(true_peak_db(exact), abs=0.01)


def test_levels_are_measured_once_and_kept_beside_the_file(tmp_path, monkeypatch):
    path = write_session(tmp_path / "session.wav", speech_like(10))
    first = wav_levels(path)
    assert (tmp_path / "session.wav.levels.npz").exists()

    def must_not_measure(*args):
        raise AssertionError("measured again")

    monkeypatch.setattr(levels_module, "measure_pcm", must_not_measure)
    again = wav_levels(path)
    assert np.array_equal(again.steps, first.steps) and again.true_peak_db == first.true_peak_db

    # A different file under the same name is measured afresh.
    monkeypatch.undo()
    write_session(path, speech_like(11) * np.float32(0.5))
    assert wav_levels(path).integrated_lufs == pytest.approx(first.integrated_lufs - 6.02, abs=0.2)


def test_levels_still_work_when_they_cannot_be_kept(tmp_path, monkeypatch):
    path = write_session(tmp_path / "session.wav", speech_like(5))

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(levels_module, "atomic_output", no_space)
    assert math.isfinite(wav_levels(path).integrated_lufs)


def test_a_loop_is_measured_across_its_seam():
    rng = np.random.default_rng(3)
    loop = (rng.standard_normal(int(4.03 * RATE)) * 0.05).astype(np.float32)  # not a whole number of steps
    count = 200
    powers = LoopPowers(loop, RATE).steps(count)
    tiled = loop_slice(loop, 0, count * int(0.1 * RATE))
    assert integrated_lufs_of_steps(powers) == pytest.approx(
        integrated_lufs_of_steps(step_powers(tiled, RATE)), abs=0.1
    )


# -- the background -----------------------------------------------------------------------


def test_the_slider_follows_qts_logarithmic_volume_as_the_player_does():
    from PySide6.QtMultimedia import QAudio

    for slider in (0.0, 0.1, 0.5, 0.8, 0.95, 1.0):
        qt = QAudio.convertVolume(slider, QAudio.LogarithmicVolumeScale, QAudio.LinearVolumeScale)
        assert slider_to_gain(slider) == pytest.approx(qt, abs=1e-6)


def test_the_background_fades_in_and_out_as_in_the_player():
    total = 60 * RATE
    fades = fade_gains(0, total, total, RATE)
    assert fades[0] == 0 and fades[-1] == pytest.approx(0, abs=1e-3)
    assert fades[3 * RATE] == pytest.approx(math.sin(0.5 * math.pi / 2), abs=1e-3)  # half-way into 6 s
    assert fades[6 * RATE] == pytest.approx(1.0)
    assert fades[total - 5 * RATE] == pytest.approx(math.sin(0.5 * math.pi / 2), abs=1e-3)  # 10 s fade-out
    assert fade_gains(10 * RATE, RATE, total, RATE) is None  # full level: nothing to apply


def test_a_loop_repeats_from_the_session_start():
    loop = np.arange(10, dtype=np.float32)
    assert loop_slice(loop, 7, 6).tolist() == [7, 8, 9, 0, 1, 2]
    assert loop_slice(loop, 23, 25).tolist() == [3, 4, 5, 6, 7, 8, 9] + list(range(10)) + list(range(8))


def test_the_planned_loudness_of_voice_and_background_is_what_the_mix_measures():
    voice = speech_like(60)
    rng = np.random.default_rng(4)
    background = Background((rng.standard_normal(7 * RATE) * 0.05).astype(np.float32), slider_to_gain(0.8))
    voice_steps = step_powers(voice, RATE)
    plan = plan_mix(voice_steps, true_peak_db(voice), len(voice), RATE, background, -1.2)
    mixed = np.frombuffer(
        b"".join(
            data for _, data in mixed_blocks(voice_int16(voice), RATE, plan, PeakTracker(float("-inf")))
        ),
        dtype="<i2",
    )
    measured = integrated_loudness(mixed.astype(np.float32) / 32768, RATE)
    assert measured == pytest.approx(-16.0, abs=0.3)
    assert plan.loudness_lufs == pytest.approx(measured, abs=0.3)
    assert true_peak_db(mixed.astype(np.float32) / 32768) <= -1.2 + 0.05


def voice_int16(samples: np.ndarray) -> np.ndarray:
    return np.frombuffer(to_int16_bytes(samples), dtype="<i2")


def test_a_session_at_the_target_without_background_goes_out_untouched():
    voice = speech_like(30)
    steps = step_powers(voice, RATE)
    voice = np.clip(voice * np.float32(10 ** ((-16.0 - integrated_lufs_of_steps(steps)) / 20)), -0.8, 0.8)
    pcm = voice_int16(voice)
    levels = measure_pcm(pcm, RATE)
    plan = plan_mix(levels.steps, levels.true_peak_db, len(pcm), RATE, None, 0.0)
    assert plan.untouched and plan.gain_db == 0.0
    out = b"".join(data for _, data in mixed_blocks(pcm, RATE, plan, PeakTracker(0.0)))
    assert out == pcm.tobytes()


# -- the limiter -------------------------------------------------------------------------


def test_the_limiter_holds_true_peaks_that_fall_between_samples():
    # A tone at a quarter of the rate, sampled 45 degrees off its crests: every sample is
    # 3 dB below the true peak. A 0 dBTP burst of it sits in quiet noise.
    rng = np.random.default_rng(5)
    samples = (rng.standard_normal(3 * RATE) * 0.01).astype(np.float32)
    burst = np.arange(int(0.2 * RATE))
    start = RATE
    samples[start : start + len(burst)] += np.sin(np.pi / 2 * burst + np.pi / 4).astype(np.float32) * 0.99
    original = samples.copy()
    assert float(np.abs(samples).max()) < 0.76 and true_peak_db(samples) > -0.2

    limited, highest = limit_true_peaks(samples, RATE, -1.0)
    assert true_peak_db(limited) <= -1.0
    assert highest <= -1.0
    reach = reach_frames(RATE)
    # Only the burst and its surroundings are touched, and only downwards.
    assert np.array_equal(limited[: start - reach], original[: start - reach])
    assert np.array_equal(limited[start + len(burst) + reach :], original[start + len(burst) + reach :])
    assert np.all(np.abs(limited) <= np.abs(original) + 1e-7)
    # ... and not more than needed: the burst's middle is within a fraction of a dB of the ceiling.
    middle = limited[start + 1000 : start + 2000]
    assert true_peak_db(middle) == pytest.approx(-1.0, abs=0.2)


def test_limiting_in_overlapping_blocks_matches_limiting_at_once():
    voice = speech_like(40) * np.float32(2.5)  # peaks well over the ceiling, all through
    pcm = voice_int16(np.clip(voice, -1, 1))
    plan = plan_mix(step_powers(voice, RATE), true_peak_db(voice), len(pcm), RATE, None, -2.0)
    small = np.frombuffer(
        b"".join(data for _, data in mixed_blocks(pcm, RATE, plan, PeakTracker(0), block_frames=5000)), "<i2"
    )
    large = np.frombuffer(
        b"".join(
            data for _, data in mixed_blocks(pcm, RATE, plan, PeakTracker(0), block_frames=BLOCK_FRAMES)
        ),
        "<i2",
    )
    assert len(small) == len(large) == len(pcm)
    assert np.abs(small.astype(np.int32) - large.astype(np.int32)).max() <= 1
    assert true_peak_db(large.astype(np.float32) / 32768) <= -2.0 + 0.05


def test_a_session_block_is_the_voice_over_the_faded_loop_wherever_it_starts():
    """The one mix of a session: read in blocks from anywhere, it is the same as read whole."""
    total = 40 * RATE
    voice = (speech_like(40.0) * 32767).astype(np.int16)
    loop = np.sin(np.arange(RATE * 3) / 10).astype(np.float32) * 0.5
    background = Background(loop, 0.25)
    whole = session_block(voice, 0, total, RATE, background)
    pieces = [session_block(voice[s : s + 7777], s, total, RATE, background) for s in range(0, total, 7777)]
    assert np.allclose(np.concatenate(pieces), whole, atol=1e-6)
    # Silence in the voice: only the loop, at its gain, under the fade-in and the fade-out.
    frames = np.arange(total)
    expected = np.tile(loop, total // len(loop) + 1)[:total] * 0.25 * fade_gains(0, total, total, RATE)
    quiet = voice == 0
    assert np.allclose(whole[quiet], expected[quiet], atol=1e-6)
    assert whole[0] == 0.0 and abs(whole[frames[-1]] - voice[-1] / 32768) < 1e-6  # faded to nothing
    assert np.allclose(session_block(voice, 0, total, RATE, None), voice / 32768, atol=1e-7)
