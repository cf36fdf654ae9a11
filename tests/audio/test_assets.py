"""The shipped sounds in audio/: present, mono, the right lengths, clean edges, seamless loops, levels.

Everything is checked on the decoded files (ffmpeg to raw PCM, as the app's loader decodes them), so
what is tested is what the app plays, codec included.  `tools/make_audio.py` regenerates the files.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy.ndimage import median_filter

from tests.audio_measure import ebur128 as measure_ebur128

AUDIO_DIR = Path(__file__).resolve().parents[2] / "audio"
SR = 44100

#: Expected length in seconds of each sound, as tools/make_audio.py generates it.
BELLS = {"singing-bowl": 10.0, "soft-chime": 5.0, "small-gong": 9.0}
LOOPS = {"rain": 40.0, "ocean": 48.0, "brown-noise": 30.0, "forest-night": 45.0}

BELL_LUFS, BELL_MAX_TP = -20.0, -3.0
LOOP_LUFS, LOOP_MAX_TP = -28.0, -6.0
LU_TOLERANCE = 2.0


def bell_path(stem: str) -> Path:
    return AUDIO_DIR / "bells" / f"{stem}.ogg"


def loop_path(stem: str) -> Path:
    return AUDIO_DIR / "ambience" / f"{stem}.ogg"


ALL_FILES = [bell_path(s) for s in BELLS] + [loop_path(s) for s in LOOPS]


@cache
def decoded(path: Path) -> np.ndarray:
    """The file decoded to mono 44.1 kHz 16-bit PCM, as float (int16 units)."""
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(SR), "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(out, dtype="<i2").astype(np.float64)


@cache
def ebur128(path: Path) -> tuple[float, float]:
    return measure_ebur128(path)


def rms_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(x**2)) + 1e-9)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_file_exists_is_mono_44k_and_decodes(path: Path) -> None:
    assert path.is_file(), f"{path} is missing: run tools/make_audio.py"
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    streams = json.loads(probe.stdout)["streams"]
    assert len(streams) == 1
    assert streams[0]["codec_type"] == "audio"
    assert streams[0]["channels"] == 1
    assert int(streams[0]["sample_rate"]) == SR
    x = decoded(path)
    assert np.max(np.abs(x)) > 1000, "decodes to (near) silence"


@pytest.mark.parametrize(
    ("path", "seconds"),
    [(bell_path(s), t) for s, t in BELLS.items()] + [(loop_path(s), t) for s, t in LOOPS.items()],
    ids=lambda v: v.stem if isinstance(v, Path) else str(v),
)
def test_decoded_length_is_exact(path: Path, seconds: float) -> None:
    # The codec must neither pad nor trim: a loop that gained or lost samples would stutter at
    # the seam.  Plausible lengths: bells 3-12 s, loops 30-60 s.
    n = len(decoded(path))
    assert abs(n - round(seconds * SR)) <= 4, f"{n} samples, expected {round(seconds * SR)}"
    lo, hi = (3.0, 12.0) if path.parent.name == "bells" else (30.0, 60.0)
    assert lo <= n / SR <= hi


@pytest.mark.parametrize("stem", BELLS)
def test_bell_ends_in_true_silence(stem: str) -> None:
    x = decoded(bell_path(stem))
    tail = x[-int(0.2 * SR) :]
    assert np.max(np.abs(tail)) <= 2, f"last 200 ms peak at {np.max(np.abs(tail))}"
    # And the fade before it is gradual: the 200 ms before the silence are already quiet.
    before = x[-int(0.6 * SR) : -int(0.4 * SR)]
    assert np.max(np.abs(before)) < 0.01 * np.max(np.abs(x))


@pytest.mark.parametrize("stem", BELLS)
def test_bell_starts_softly(stem: str) -> None:
    x = np.abs(decoded(bell_path(stem)))
    peak = np.max(x)
    ms = SR // 1000
    assert np.max(x[:4]) <= 0.01 * peak, "starts with a jump (click)"
    assert np.max(x[: ms // 2]) <= 0.05 * peak, "loud within the first 0.5 ms (click)"
    assert np.max(x[: 2 * ms]) <= 0.25 * peak, "too loud within the first 2 ms (hard attack)"
    # The level grows through the attack rather than sitting flat at the start.
    assert np.max(x[: ms // 2]) < np.max(x[ms : 2 * ms])


@pytest.mark.parametrize("stem", LOOPS)
def test_loop_wraps_without_a_click(stem: str) -> None:
    x = decoded(loop_path(stem))
    jump = abs(x[-1] - x[0])
    typical = np.percentile(np.abs(np.diff(x)), 99.9)
    assert jump <= typical, f"wrap jump {jump} > 99.9th percentile of sample steps {typical:.0f}"
    # The local slope carries on too: x[0] is close to where x[-2], x[-1] were heading.
    predicted = 2 * x[-1] - x[-2]
    assert abs(x[0] - predicted) <= np.percentile(np.abs(np.diff(x, 2)), 99.9)


@pytest.mark.parametrize("stem", LOOPS)
def test_loop_level_is_continuous_across_the_wrap(stem: str) -> None:
    x = decoded(loop_path(stem))
    w = int(0.05 * SR)
    assert abs(rms_db(x[-w:]) - rms_db(x[:w])) < 3.0
    # No fade-in or fade-out hiding at the ends: each end is within the loop's usual range.
    windows = x[: len(x) // w * w].reshape(-1, w)
    levels = 20 * np.log10(np.sqrt(np.mean(windows**2, axis=1)) + 1e-9)
    low = np.percentile(levels, 1)
    assert rms_db(x[:w]) >= low - 1.0 and rms_db(x[-w:]) >= low - 1.0


@pytest.mark.parametrize(
    ("path", "target", "max_tp"),
    [(bell_path(s), BELL_LUFS, BELL_MAX_TP) for s in BELLS]
    + [(loop_path(s), LOOP_LUFS, LOOP_MAX_TP) for s in LOOPS],
    ids=lambda v: v.stem if isinstance(v, Path) else str(v),
)
def test_levels(path: Path, target: float, max_tp: float) -> None:
    integrated, true_peak = ebur128(path)
    assert abs(integrated - target) <= LU_TOLERANCE, f"{integrated} LUFS, target {target}"
    assert true_peak <= max_tp, f"true peak {true_peak} dBTP > {max_tp}"


@pytest.mark.parametrize("stem", LOOPS)
def test_loops_are_noise_textures_not_tones(stem: str) -> None:
    # A broken generator tends to hum or whistle.  In a fine spectrum (0.1 Hz bins), a tone is a
    # few bins far above their neighbours; noise bins rarely exceed 10x their local median (about
    # 1% of the energy does, by chance).  Natural textures keep that share small; a tone makes it ~100%.
    x = decoded(loop_path(stem))[: 10 * SR]
    power = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    local = median_filter(power, size=101, mode="nearest")  # ±5 Hz
    tonal = power[power > 10 * local].sum() / power.sum()
    assert tonal < 0.1, f"{tonal:.0%} of the energy is in tonal peaks"


def test_audio_folder_is_small_and_documented() -> None:
    total = sum(p.stat().st_size for p in AUDIO_DIR.rglob("*") if p.is_file())
    assert total < 4 * 1024 * 1024, f"audio/ holds {total / 1e6:.1f} MB"
    readme = (AUDIO_DIR / "README.md").read_text()
    assert "tools/make_audio.py" in readme
    for path in ALL_FILES:
        assert f"{path.parent.name}/{path.name}" in readme
