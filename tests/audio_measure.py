"""Measuring rendered audio with ffmpeg, as the issue states the targets."""

import re
import subprocess


def _filter_report(path, audio_filter: str) -> str:
    """What ffmpeg prints (on stderr) while running `audio_filter` over the file."""
    command = ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", audio_filter, "-f", "null", "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stderr


def ebur128(path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter reports them."""
    report = _filter_report(path, "ebur128=peak=true")
    summary = report[report.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return integrated, peak


def silences(path, noise_db: float = -50, minimum: float = 0.5) -> list[tuple[float, float]]:
    """(start, end) of every silence ffmpeg's silencedetect finds."""
    report = _filter_report(path, f"silencedetect=noise={noise_db}dB:d={minimum}")
    starts = [float(v) for v in re.findall(r"silence_start: (-?[\d.]+)", report)]
    ends = [float(v) for v in re.findall(r"silence_end: ([\d.]+)", report)]
    return list(zip(starts, ends, strict=False))


def sound_stretches(
    samples, rate: int, threshold_db: float = -45, window_s: float = 0.05
) -> list[tuple[float, float]]:
    """(start, end) in seconds of every stretch whose level (RMS per window) is above the threshold."""
    import numpy as np

    size = int(rate * window_s)
    count = len(samples) // size
    level = 20 * np.log10(np.sqrt((samples[: count * size].reshape(count, size) ** 2).mean(axis=1)) + 1e-9)
    found, start = [], None
    for index, loud in enumerate(level > threshold_db):
        if loud and start is None:
            start = index * window_s
        elif not loud and start is not None:
            found.append((start, index * window_s))
            start = None
    if start is not None:
        found.append((start, count * window_s))
    return found
