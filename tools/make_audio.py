"""Synthesize Kindred's bell and ambience sounds from code, and encode them with ffmpeg.

Run from the repository root:

    .venv/bin/python tools/make_audio.py            # writes audio/bells, audio/ambience, audio/README.md
    .venv/bin/python tools/make_audio.py --out DIR  # writes elsewhere (e.g. to compare)

Every sound is made here with numpy/scipy from fixed random seeds (no recorded or downloaded
sound goes in), and ffmpeg encodes with ``-bitexact``, so running the tool twice gives the same
files byte for byte.

Two kinds of sound:

* Bells are one-shots.  Each is a sum of exponentially decaying partials at measured-looking
  inharmonic ratios, every partial split into a slightly detuned pair so that it beats slowly, the
  higher partials dying faster.  A raised-cosine attack of a few milliseconds avoids a click, and
  the last second fades to exact digital zero followed by a stretch of zeros, so the decoded file
  really ends in silence.
* Ambience loops are built *circularly*: noise is shaped in the frequency domain (an FFT of length
  N is periodic in N), filters and reverbs are circular convolutions, slow envelopes contain only
  whole cycles per loop, and every event's tail wraps around to the start.  Sample N-1 therefore
  runs into sample 0 exactly as any sample runs into the next, with no crossfade needed.

Levels are measured by ffmpeg's ``ebur128`` filter on the *encoded* file, and the gain is corrected
and the file re-encoded until the integrated loudness is on target.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal

SR = 44100
ROOT = Path(__file__).resolve().parent.parent
AUDIO_DIR = ROOT / "audio"

VORBIS_QUALITY = 4
BELL_TARGET_LUFS = -20.0
BELL_MAX_TRUE_PEAK = -3.0
AMBIENCE_TARGET_LUFS = -28.0
AMBIENCE_MAX_TRUE_PEAK = -6.0
#: Headroom kept below the true-peak limits, since the encoder's error moves peaks a little.
PEAK_MARGIN_DB = 0.5

#: Bells fade to zero over this long, then this many seconds of exact zeros follow: Vorbis
#: spreads quantisation noise over a whole block, so the zeros give the encoder a clean block to
#: end on and the decoded tail is true silence.
BELL_FADE_S = 1.0
BELL_SILENT_TAIL_S = 0.3


# --------------------------------------------------------------------------------------------
# ffmpeg helpers
# --------------------------------------------------------------------------------------------


def encode(samples: np.ndarray, path: Path) -> None:
    """Encode float samples (full scale = 1.0) as mono 44.1 kHz Ogg Vorbis at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "f32le", "-ar", str(SR), "-ac", "1", "-i", "pipe:0",
        "-c:a", "libvorbis", "-q:a", str(VORBIS_QUALITY),
        # bitexact: a fixed Ogg serial number and no encoder-version tag, so the bytes only
        # change when the sound does.
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        str(path),
    ]  # fmt: skip
    subprocess.run(cmd, input=samples.astype("<f4").tobytes(), check=True)


def decode(path: Path) -> np.ndarray:
    """Decode any ffmpeg-readable file to mono 44.1 kHz int16 samples, as the app's loader does."""
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(path),
           "-f", "s16le", "-ac", "1", "-ar", str(SR), "pipe:1"]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype="<i2")


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


def measure(path: Path) -> Loudness:
    """Integrated loudness and true peak of a file, as ffmpeg's EBU R128 meter reports them."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path),
           "-af", "ebur128=peak=true", "-f", "null", "-"]  # fmt: skip
    err = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    return parse_ebur128(err)


def parse_ebur128(stderr: str) -> Loudness:
    """Pick the summary's integrated loudness and true peak out of ffmpeg's ebur128 log."""
    summary = stderr[stderr.rfind("Summary:") :]
    i_match = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    tp_match = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not i_match or not tp_match:
        raise RuntimeError(f"could not parse ebur128 summary:\n{summary}")
    return Loudness(float(i_match.group(1)), float(tp_match.group(1)))


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------


def rfreqs(n: int) -> np.ndarray:
    return np.fft.rfftfreq(n, 1.0 / SR)


def butter_mag(f: np.ndarray, lo: float | None = None, hi: float | None = None, order: int = 2) -> np.ndarray:
    """Magnitude of a Butterworth band (high-pass at ``lo``, low-pass at ``hi``), for FFT shaping."""
    mag = np.ones_like(f)
    if lo is not None:
        with np.errstate(divide="ignore"):
            mag *= 1.0 / np.sqrt(1.0 + (lo / np.maximum(f, 1e-9)) ** (2 * order))
    if hi is not None:
        mag *= 1.0 / np.sqrt(1.0 + (f / hi) ** (2 * order))
    return mag


def shaped_noise(n: int, rng: np.random.Generator, shape: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """White noise whose spectrum is multiplied by ``shape(freqs)``; periodic in n, unit RMS.

    Shaping in the frequency domain is a circular filter, so the result loops with no seam.
    """
    spec = np.fft.rfft(rng.standard_normal(n)) * shape(rfreqs(n))
    spec[0] = 0.0  # no DC: a loop must not drift
    x = np.fft.irfft(spec, n)
    return x / np.sqrt(np.mean(x**2))


def circular_convolve(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolve with wrap-around, so a tail that runs past the end reappears at the start."""
    n = len(x)
    return np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(kernel, n), n)


def periodic_curve(n: int, rng: np.random.Generator, cycles: int) -> np.ndarray:
    """A smooth random curve in [-1, 1] made of at most ``cycles`` whole cycles per loop.

    Whole cycles only, so slow swells of level end where they began.
    """
    spec = np.zeros(n // 2 + 1, dtype=complex)
    k = np.arange(1, cycles + 1)
    spec[1 : cycles + 1] = (rng.standard_normal(cycles) + 1j * rng.standard_normal(cycles)) / k**0.7
    x = np.fft.irfft(spec, n)
    return x / np.max(np.abs(x))


def add_wrapped(dest: np.ndarray, event: np.ndarray, start: int) -> None:
    """Add ``event`` into ``dest`` at ``start``, wrapping whatever runs past the end."""
    idx = (start + np.arange(len(event))) % len(dest)
    np.add.at(dest, idx, event)


def reverb_ir(
    rng: np.random.Generator, t60: float, brightness_hz: float, predelay_s: float = 0.01
) -> np.ndarray:
    """A small room's impulse response: exponentially decaying noise, darker towards the end.

    Why not a Schroeder reverb: a noise IR is one line, has no metallic ring, and convolves
    circularly with a loop just as easily.
    """
    n = int(t60 * SR)
    t = np.arange(n) / SR
    early = signal.lfilter(*signal.butter(1, brightness_hz, fs=SR), rng.standard_normal(n))
    late = signal.lfilter(*signal.butter(1, brightness_hz / 4, fs=SR), rng.standard_normal(n))
    # Crossfade from bright to dark: high frequencies die sooner in a real room.
    mix = np.exp(-t / (t60 / 4))
    ir = (early * mix + late * (1 - mix) * 2.0) * np.exp(-6.9 * t / t60)
    ir[: int(predelay_s * SR)] = 0.0
    return ir / np.sqrt(np.sum(ir**2))


def raised_cosine(n: int) -> np.ndarray:
    """0 → 1 over n samples with zero slope at both ends (sin²), so onsets have no click."""
    return np.sin(0.5 * np.pi * np.arange(n) / n) ** 2


# --------------------------------------------------------------------------------------------
# bells
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partial:
    ratio: float  #: frequency relative to the fundamental
    amp: float  #: relative amplitude at the strike
    t60: float  #: seconds to decay by 60 dB
    beat_hz: float  #: split of the degenerate mode pair: the beating rate
    bloom_s: float = 0.0  #: >0: energy builds up over this time constant (gong shimmer)


def ring(partials: list[Partial], f0: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sum of decaying, beating partials.

    Round bells and bowls have modes in nearly-degenerate pairs (the bowl is never perfectly
    round); the two members ring at slightly different pitches and their sum swells and fades at
    the difference frequency, the characteristic slow "wah-wah" of a singing bowl.
    """
    t = np.arange(n) / SR
    out = np.zeros(n)
    for p in partials:
        f = f0 * p.ratio
        if f > 0.45 * SR:
            continue
        env = np.exp(-6.9 * t / p.t60)
        if p.bloom_s > 0:
            env *= 1.0 - np.exp(-t / p.bloom_s)
        # Unequal pair members: the beating dips but never cancels to nothing.
        share = rng.uniform(0.55, 0.7)
        for sign, weight in ((-1, share), (1, 1 - share)):
            phase = rng.uniform(0, 2 * np.pi)
            out += p.amp * weight * env * np.sin(2 * np.pi * (f + sign * p.beat_hz / 2) * t + phase)
    return out


def finish_bell(x: np.ndarray, attack_s: float) -> np.ndarray:
    """Soft attack, then a fade to exact zero over the last second, then pure zeros."""
    n_attack = int(attack_s * SR)
    x = x.copy()
    x[:n_attack] *= raised_cosine(n_attack)
    n_fade, n_tail = int(BELL_FADE_S * SR), int(BELL_SILENT_TAIL_S * SR)
    fade_start = len(x) - n_tail - n_fade
    x[fade_start : fade_start + n_fade] *= 1.0 - raised_cosine(n_fade)
    x[fade_start + n_fade :] = 0.0
    return x


def mallet_noise(n: int, rng: np.random.Generator, cutoff_hz: float, decay_s: float) -> np.ndarray:
    """The brief thud of a felt or leather mallet: low-passed noise dying in a few tens of ms."""
    m = int(6 * decay_s * SR)
    burst = signal.lfilter(*signal.butter(2, cutoff_hz, fs=SR), rng.standard_normal(m))
    burst *= np.exp(-np.arange(m) / (decay_s * SR))
    out = np.zeros(n)
    out[:m] = burst / np.max(np.abs(burst))
    return out


def room(
    x: np.ndarray, rng: np.random.Generator, t60: float, wet: float, brightness_hz: float = 6000
) -> np.ndarray:
    """Place a one-shot in a small room (linear convolution, truncated to the dry length)."""
    ir = reverb_ir(rng, t60, brightness_hz)
    return x + wet * signal.fftconvolve(x, ir)[: len(x)]


def singing_bowl() -> np.ndarray:
    """A struck Tibetan singing bowl, ~10 s: deep, warm fundamental with slow beating."""
    rng = np.random.default_rng(101)
    # Ratios as measured on hand-hammered bowls (close to the (2,0)…(7,0) ring modes):
    # strongly inharmonic, which is what makes a bowl sound like a bowl and not an organ pipe.
    partials = [
        Partial(1.000, 1.00, 14.0, 0.80),
        Partial(2.740, 0.55, 9.5, 1.70),
        Partial(5.090, 0.26, 6.0, 2.60),
        Partial(8.150, 0.11, 3.6, 3.70),
        Partial(11.90, 0.045, 2.2, 4.80),
        Partial(16.30, 0.018, 1.3, 6.00),
    ]
    n = int(10.0 * SR)
    x = ring(partials, f0=207.0, n=n, rng=rng)
    x += 0.04 * mallet_noise(n, rng, cutoff_hz=1500, decay_s=0.012)
    x = room(x, rng, t60=1.6, wet=0.10)
    return finish_bell(x, attack_s=0.010)


def soft_chime() -> np.ndarray:
    """A bright, gentle meditation chime, ~5 s: two tuned bars a fifth apart, struck together."""
    rng = np.random.default_rng(202)
    # Free-free bar modes (1 : 2.756 : 5.404 : 8.933), the ratios of chime tubes and energy
    # chimes; the upper ones are kept quiet and short so the chime is bright without ringing harshly.
    bar = [
        Partial(1.000, 1.00, 4.6, 0.60),
        Partial(2.756, 0.22, 2.2, 1.30),
        Partial(5.404, 0.07, 1.1, 2.20),
        Partial(8.933, 0.02, 0.6, 3.00),
    ]
    n = int(5.0 * SR)
    x = ring(bar, f0=1046.5, n=n, rng=rng)  # C6
    # The second bar is a fifth above and a touch later, like a chime struck with a split mallet.
    delay = int(0.045 * SR)
    second = ring(bar, f0=1568.0, n=n - delay, rng=rng) * 0.45  # G6
    n_attack = int(0.006 * SR)
    second[:n_attack] *= raised_cosine(n_attack)
    x[delay:] += second
    x = room(x, rng, t60=1.2, wet=0.12, brightness_hz=8000)
    return finish_bell(x, attack_s=0.006)


def small_gong() -> np.ndarray:
    """A small gong under a soft mallet, ~9 s: low hum, soft thump, shimmer blooming after the hit."""
    rng = np.random.default_rng(303)
    # Low modes of a circular plate (ratios of the Bessel-function zeros, as in a flat gong).
    bessel = [1.000, 1.594, 2.136, 2.296, 2.653, 2.918, 3.156, 3.501, 3.600, 4.060, 4.154, 4.601]
    partials = [Partial(1.0, 1.0, 12.0, 0.45)]
    for r in bessel[1:]:
        partials.append(
            Partial(r, 0.55 * r**-1.1 * rng.uniform(0.6, 1.2), 11.0 / r**0.8, rng.uniform(0.6, 2.2))
        )
    # Shimmer: a cloud of higher modes that the soft hit barely excites at first; in a real gong
    # energy cascades up into them over the first fraction of a second (nonlinear coupling), so
    # they "bloom" after the strike and then glisten away.
    for _ in range(36):
        r = rng.uniform(6.0, 32.0)
        partials.append(
            Partial(r, 0.14 * rng.uniform(0.4, 1.0) * (6.0 / r) ** 0.5, rng.uniform(2.5, 5.5),
                    rng.uniform(2.0, 7.0), bloom_s=rng.uniform(0.15, 0.6))
        )  # fmt: skip
    n = int(9.0 * SR)
    x = ring(partials, f0=110.0, n=n, rng=rng)
    x += 0.10 * mallet_noise(n, rng, cutoff_hz=300, decay_s=0.03)
    x = room(x, rng, t60=2.0, wet=0.12)
    return finish_bell(x, attack_s=0.025)


# --------------------------------------------------------------------------------------------
# ambience loops (all circular; see the module docstring)
# --------------------------------------------------------------------------------------------


def brown_noise() -> np.ndarray:
    """Brown noise, 30 s: white noise integrated (1/f amplitude), high-passed at 25 Hz.

    Integration is done in the frequency domain (divide by f), which is the circular version of
    a running sum: a running sum drifts and never returns to its start, the circular one does.
    The 25 Hz high-pass removes the sub-audible drift that would otherwise eat the headroom.
    """
    rng = np.random.default_rng(404)
    n = 30 * SR

    def shape(f: np.ndarray) -> np.ndarray:
        return butter_mag(f, lo=25.0, hi=12000.0, order=2) / np.maximum(f, 1.0)

    return shaped_noise(n, rng, shape)


def rain() -> np.ndarray:
    """Steady soft rain, 40 s: dense patter of tiny drops, some closer drops, low rumble."""
    rng = np.random.default_rng(505)
    n = 40 * SR

    # Patter: thousands of tiny drop impacts per second.  Each family is a sparse train of
    # impulses with heavy-tailed (lognormal) strengths, convolved with a short noise burst
    # centred at its own frequency; the sum is a noise with a granular, living texture.
    patter = np.zeros(n)
    for centre, rate, decay in (
        (1200, 500, 0.004),
        (2200, 700, 0.003),
        (3600, 700, 0.002),
        (5200, 500, 0.0015),
    ):
        train = np.zeros(n)
        hits = rng.integers(0, n, size=int(rate * 40))
        np.add.at(train, hits, rng.lognormal(0.0, 0.7, size=len(hits)))
        m = int(8 * decay * SR)
        burst = rng.standard_normal(m) * np.exp(-np.arange(m) / (decay * SR))
        sos = signal.butter(2, [centre / 1.6, centre * 1.6], btype="bandpass", fs=SR, output="sos")
        burst = signal.sosfilt(sos, burst)
        patter += circular_convolve(train, burst / np.sqrt(np.sum(burst**2)))
    patter /= np.sqrt(np.mean(patter**2))

    # A few closer drops: a drop hitting water traps a bubble that rings with a rising pitch
    # (Minnaert resonance), the "plink" that makes rain sound wet.
    plinks = np.zeros(n)
    for _ in range(5 * 40):
        f = rng.uniform(1400, 3800)
        dur = rng.uniform(0.015, 0.04)
        m = int(dur * 5 * SR)
        tt = np.arange(m) / SR
        freq = f * (1 + 0.8 * tt / (dur * 5))
        ev = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-tt / dur)
        ev[: int(0.001 * SR)] *= raised_cosine(int(0.001 * SR))
        add_wrapped(plinks, ev * rng.lognormal(-0.5, 0.6), int(rng.integers(0, n)))
    plinks /= np.sqrt(np.mean(plinks**2))

    # Rumble: rain on everything far away blurs into a low, brownish roar.
    rumble = shaped_noise(n, rng, lambda f: butter_mag(f, lo=30, hi=350, order=2) / np.maximum(f, 30) ** 0.5)

    # Soft highs: roll off the patter above 7 kHz so it hushes rather than hisses.
    patter = np.fft.irfft(np.fft.rfft(patter) * butter_mag(rfreqs(n), lo=250, hi=7000, order=2), n)

    # The shower swells and eases a little (whole cycles per loop, so it loops).
    intensity = 1.0 + 0.18 * periodic_curve(n, rng, cycles=6)
    x = intensity * (0.55 * patter + 0.10 * plinks) + 0.5 * rumble * (1.0 + 0.1 * periodic_curve(n, rng, 4))
    return x + 0.18 * circular_convolve(x, reverb_ir(rng, t60=0.8, brightness_hz=5000))


def ocean() -> np.ndarray:
    """Ocean waves on a beach, 48 s: a swell every 6–12 s, crash, then the hiss of the wash."""
    rng = np.random.default_rng(606)
    n = 48 * SR
    loop_s = n / SR
    # Wave onsets: random gaps of 6–12 s scaled so that they add up to exactly one loop, so the
    # rhythm of the waves is unbroken across the seam.
    gaps = rng.uniform(6.0, 11.0, size=6)
    gaps *= loop_s / gaps.sum()
    assert np.all((gaps >= 6.0) & (gaps <= 12.0)), gaps  # holds for this seed; guards edits
    onsets = np.concatenate([[0.0], np.cumsum(gaps)[:-1]]) + 3.0

    low = shaped_noise(n, rng, lambda f: butter_mag(f, lo=40, hi=400, order=2))
    mid = shaped_noise(n, rng, lambda f: butter_mag(f, lo=350, hi=2500, order=2) / np.maximum(f, 350) ** 0.5)
    high = shaped_noise(n, rng, lambda f: butter_mag(f, lo=1800, hi=9000, order=2))
    # Foam fizz: the wash is many bursting bubbles, so its level flutters quickly.
    fizz = np.maximum(0.0, 1.0 + 0.5 * shaped_noise(n, rng, lambda f: butter_mag(f, lo=4, hi=30, order=2)))

    env_low, env_mid, env_high = np.zeros(n), np.zeros(n), np.zeros(n)
    for onset in onsets:
        size = rng.uniform(0.65, 1.0)
        rise = rng.uniform(2.0, 3.5)  # the swell builds …
        m = int(14.0 * SR)
        tt = np.arange(m) / SR
        # … to the break, then each band dies at its own pace: the crash is brief, the low body
        # of the water slower, and the foam's hiss lingers as the water runs back.
        up = np.clip(tt / rise, 0, 1) ** 2
        after = np.maximum(tt - rise, 0)
        low_e = up * np.exp(-after / 2.8)
        mid_e = up**3 * np.exp(-after / 1.3)
        high_e = (up**4) * (0.6 * np.exp(-after / 0.7) + 0.4 * np.exp(-after / 3.5))
        start = int((onset % loop_s) * SR)
        add_wrapped(env_low, size * low_e, start)
        add_wrapped(env_mid, size * mid_e, start)
        add_wrapped(env_high, size * high_e, start)

    # The sea never falls silent between waves: a floor of distant surf.
    x = 0.9 * (0.25 + env_low) * low + 0.55 * (0.12 + env_mid) * mid + 0.5 * (0.08 + env_high) * high * fizz
    return x + 0.12 * circular_convolve(x, reverb_ir(rng, t60=1.2, brightness_hz=4000))


def cricket_chirps(n: int, rng: np.random.Generator, carrier: float, period_s: float, pulses: int,
                   pause_cycles: int) -> np.ndarray:  # fmt: skip
    """One field cricket: chirps of a few 15–20 ms tone pulses, repeated about every period_s.

    The carrier falls slightly within each pulse (the file-and-scraper slows), and the cricket
    now and then pauses, as real ones do, so the pattern does not feel mechanical.
    """
    out = np.zeros(n)
    pulse_s, gap_s = rng.uniform(0.014, 0.02), rng.uniform(0.012, 0.018)
    m = int(pulse_s * SR)
    tt = np.arange(m) / SR
    pulse_env = np.sin(np.pi * np.arange(m) / m) ** 2
    # Singing or not: a whole-cycle curve, so pauses wrap across the seam too.
    active = periodic_curve(n, rng, cycles=pause_cycles) > -0.35
    t = rng.uniform(0, period_s)
    while t < n / SR:
        start = int(t * SR)
        if active[start]:
            amp = rng.uniform(0.8, 1.0)
            for k in range(pulses):
                freq = carrier * (1.0 - 0.02 * tt / pulse_s) * rng.uniform(0.997, 1.003)
                ph = 2 * np.pi * np.cumsum(freq) / SR
                tone = np.sin(ph) + 0.08 * np.sin(2 * ph)
                add_wrapped(out, amp * (0.85 + 0.15 * k / pulses) * pulse_env * tone,
                            start + int(k * (pulse_s + gap_s) * SR))  # fmt: skip
        t += period_s * rng.uniform(0.93, 1.07)
    return out


def owl_hoots(n: int, rng: np.random.Generator, starts_s: list[float]) -> np.ndarray:
    """A distant owl: "hoo … hoo-hoo … hoooo", soft, breathy, low, a little falling in pitch."""
    out = np.zeros(n)
    # (offset s, length s, relative level) of each hoot in one call.
    call = [(0.0, 0.42, 1.0), (0.75, 0.16, 0.7), (0.97, 0.16, 0.75), (1.45, 0.65, 0.9)]
    for start_s in starts_s:
        f0 = rng.uniform(330, 380)
        for off, dur, level in call:
            m = int(dur * SR)
            tt = np.arange(m) / SR
            freq = f0 * (1.04 - 0.08 * tt / dur)  # a slight rise at the onset, then falling
            ph = 2 * np.pi * np.cumsum(freq) / SR
            tone = np.sin(ph) + 0.12 * np.sin(2 * ph) + 0.03 * np.sin(3 * ph)
            # Breath: a little noise around the pitch makes it a voice, not a whistle.
            breath = signal.lfilter(*signal.butter(2, [f0 * 0.7, f0 * 1.6], btype="bandpass", fs=SR),
                                    rng.standard_normal(m))  # fmt: skip
            a = int(0.07 * SR)
            env = np.ones(m)
            env[:a] = raised_cosine(a)
            env[-int(0.15 * SR) :] *= 1 - raised_cosine(int(0.15 * SR))
            add_wrapped(out, level * env * (tone + 0.25 * breath), int((start_s + off) * SR))
    return out


def forest_night() -> np.ndarray:
    """A quiet forest at night, 45 s: crickets near and far, soft wind in the leaves, a distant owl."""
    rng = np.random.default_rng(707)
    n = 45 * SR

    # Wind: low rushing noise whose level swells in slow gusts, plus leaf rustle that only wakes
    # in the stronger gusts (hence the squared gust curve).
    gust = 0.5 + 0.5 * periodic_curve(n, rng, cycles=5)
    wind = shaped_noise(n, rng, lambda f: butter_mag(f, lo=60, hi=700, order=2) / np.maximum(f, 60) ** 0.5)
    rustle = shaped_noise(n, rng, lambda f: butter_mag(f, lo=1500, hi=6000, order=2))
    rustle_flutter = 1.0 + 0.6 * shaped_noise(n, rng, lambda f: butter_mag(f, lo=2, hi=15, order=2))
    wind_part = 0.3 * (0.5 + gust) * wind + 0.05 * gust**2 * rustle * np.clip(rustle_flutter, 0, None)

    crickets = (
        1.00 * cricket_chirps(n, rng, carrier=4300, period_s=0.62, pulses=3, pause_cycles=3)
        + 0.45 * cricket_chirps(n, rng, carrier=4750, period_s=0.85, pulses=4, pause_cycles=4)
        + 0.25 * cricket_chirps(n, rng, carrier=3900, period_s=0.71, pulses=3, pause_cycles=2)
    )
    # A far chorus of katydids: a band of noise buzzing at ~40 pulses a second, very quiet.
    buzz_rate = 40.0  # a whole number of cycles in the 45 s loop
    chorus = shaped_noise(n, rng, lambda f: butter_mag(f, lo=5500, hi=7500, order=3))
    chorus *= (0.5 + 0.5 * np.sin(2 * np.pi * buzz_rate * np.arange(n) / SR)) ** 2
    chorus *= 0.6 + 0.4 * periodic_curve(n, rng, cycles=3)

    owl = owl_hoots(n, rng, starts_s=[11.0, 33.5])
    # Distance: air and foliage take the owl's highs away.
    owl = np.fft.irfft(np.fft.rfft(owl) * butter_mag(rfreqs(n), hi=1200, order=2), n)

    dry = wind_part + 0.22 * crickets + 0.03 * chorus + 0.3 * owl
    # The night air: everything sits in the same wide, soft space.
    wet = circular_convolve(
        0.2 * crickets + 0.4 * owl + 0.2 * wind_part, reverb_ir(rng, t60=1.8, brightness_hz=5000)
    )
    return dry + 0.35 * wet


# --------------------------------------------------------------------------------------------
# assets, levelling, README
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    rel_path: str
    kind: str  #: "bell" or "loop"
    description: str
    make: Callable[[], np.ndarray]

    @property
    def target_lufs(self) -> float:
        return BELL_TARGET_LUFS if self.kind == "bell" else AMBIENCE_TARGET_LUFS

    @property
    def max_true_peak(self) -> float:
        return BELL_MAX_TRUE_PEAK if self.kind == "bell" else AMBIENCE_MAX_TRUE_PEAK


ASSETS: list[Asset] = [
    Asset("bells/singing-bowl.ogg", "bell",
          "Tibetan singing bowl (default bell): inharmonic partials 1 : 2.74 : 5.09 : 8.15 …, slow beating, "
          "long decay", singing_bowl),
    Asset("bells/soft-chime.ogg", "bell",
          "Bright, gentle chime: two tuned bars (C6 and G6), free-bar partials", soft_chime),
    Asset("bells/small-gong.ogg", "bell",
          "Small gong, soft mallet: low hum on circular-plate modes with a shimmer that blooms after the hit",
          small_gong),
    Asset("ambience/rain.ogg", "loop",
          "Steady soft rain: dense patter, a few bubbly drops, low distant rumble", rain),
    Asset("ambience/ocean.ogg", "loop",
          "Waves on a beach: a swell every 6-12 s, the crash, and the hiss of the wash", ocean),
    Asset("ambience/brown-noise.ogg", "loop",
          "Brown noise: integrated white noise (1/f amplitude), high-passed at 25 Hz", brown_noise),
    Asset("ambience/forest-night.ogg", "loop",
          "Forest at night: crickets near and far, a katydid chorus, soft wind, a distant owl twice",
          forest_night),
]  # fmt: skip


@dataclass(frozen=True)
class Built:
    asset: Asset
    path: Path
    samples: int
    loudness: Loudness
    size: int


def level_and_encode(x: np.ndarray, asset: Asset, path: Path) -> Loudness:
    """Encode at the gain that puts the file's integrated loudness on target.

    The level is measured on the encoded file itself, since that is what the app plays, and the
    gain refined and the file re-encoded until it is within 0.1 LU (Vorbis is nearly linear, so
    this takes one or two rounds).
    """
    x = x / np.max(np.abs(x)) * 0.5
    gain_db = 0.0
    for _ in range(5):
        encode(x * 10 ** (gain_db / 20), path)
        lvl = measure(path)
        error = asset.target_lufs - lvl.integrated_lufs
        if abs(error) <= 0.1:
            break
        gain_db += error
    if lvl.true_peak_dbtp > asset.max_true_peak - PEAK_MARGIN_DB:
        raise RuntimeError(
            f"{asset.rel_path}: true peak {lvl.true_peak_dbtp:.1f} dBTP at {lvl.integrated_lufs:.1f} LUFS "
            f"exceeds {asset.max_true_peak - PEAK_MARGIN_DB:.1f} dBTP; the sound is too peaky for its target"
        )
    return lvl


def spectral_stats(x: np.ndarray) -> tuple[float, float]:
    """Spectral centroid (Hz) and flatness (0 = pure tone, 1 = white noise), for eyeballing."""
    f, p = signal.welch(x.astype(float), fs=SR, nperseg=4096)
    p = p[1:] + 1e-20
    centroid = float(np.sum(f[1:] * p) / np.sum(p))
    flatness = float(np.exp(np.mean(np.log(p))) / np.mean(p))
    return centroid, flatness


def write_readme(out_dir: Path, built: list[Built]) -> None:
    lines = [
        "# Kindred's sounds",
        "",
        "Every file here was synthesized by `tools/make_audio.py` (numpy/scipy, fixed random seeds; no",
        "recorded or downloaded sound is used) and encoded by ffmpeg as mono 44.1 kHz Ogg Vorbis",
        f"(quality {VORBIS_QUALITY}). To regenerate, from the repository root:",
        "",
        "    .venv/bin/python tools/make_audio.py",
        "",
        "The output is deterministic: the same code gives the same bytes. `tests/audio/test_assets.py`",
        "checks lengths, silence at the end of each bell, seamless loop points, and levels.",
        "",
        f"- Bells are one-shots levelled to {BELL_TARGET_LUFS:.0f} LUFS integrated, true peak at most "
        f"{BELL_MAX_TRUE_PEAK:.0f} dBTP; each fades to exact digital zero and ends in "
        f"{BELL_SILENT_TAIL_S:.1f} s of silence.",
        f"- Ambience files are seamless loops (built circularly: the last sample runs into the first) "
        f"levelled to {AMBIENCE_TARGET_LUFS:.0f} LUFS, true peak at most {AMBIENCE_MAX_TRUE_PEAK:.0f} dBTP, "
        "to sit under the voice.",
        "",
        "| file | what it is | length | loudness | true peak | size |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for b in built:
        lines.append(
            f"| `{b.asset.rel_path}` | {b.asset.description} | {b.samples / SR:.2f} s "
            f"| {b.loudness.integrated_lufs:.1f} LUFS | {b.loudness.true_peak_dbtp:.1f} dBTP "
            f"| {b.size / 1024:.0f} KiB |"
        )
    lines.append("")
    (out_dir / "README.md").write_text("\n".join(lines))


def build(out_dir: Path) -> list[Built]:
    """Synthesize, level and encode every asset into ``out_dir``; print stats; write the README."""
    built = []
    for asset in ASSETS:
        x = asset.make()
        path = out_dir / asset.rel_path
        lvl = level_and_encode(x, asset, path)
        decoded = decode(path)
        if abs(len(decoded) - len(x)) > 4:
            raise RuntimeError(f"{asset.rel_path}: decoded {len(decoded)} samples, generated {len(x)}")
        b = Built(asset, path, len(x), lvl, path.stat().st_size)
        built.append(b)
        d = decoded.astype(float)
        centroid, flatness = spectral_stats(d)
        peak_db = 20 * np.log10(np.max(np.abs(d)) / 32768)
        rms_db = 20 * np.log10(np.sqrt(np.mean(d**2)) / 32768)
        print(
            f"{asset.rel_path:28s} {len(x) / SR:6.2f} s  {lvl.integrated_lufs:6.1f} LUFS  "
            f"{lvl.true_peak_dbtp:5.1f} dBTP  peak {peak_db:5.1f} dBFS  rms {rms_db:6.1f} dBFS  "
            f"centroid {centroid:6.0f} Hz  flatness {flatness:.3f}  {b.size / 1024:5.0f} KiB"
        )
        if asset.kind == "loop":
            wrap = abs(d[-1] - d[0])
            typical = np.percentile(np.abs(np.diff(d)), 99.9)
            print(f"{'':28s} wrap jump {wrap:.0f} (99.9th pct of |diff| {typical:.0f})")
    total = sum(b.size for b in built)
    print(f"total {total / 1024:.0f} KiB")
    write_readme(out_dir, built)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=AUDIO_DIR, help="output directory (default: audio/)")
    args = parser.parse_args(argv)
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
