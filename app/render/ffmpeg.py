"""Finding ffmpeg: the system's, or the one the imageio-ffmpeg package ships."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import lru_cache

from app.errors import KindredError


class FfmpegMissing(KindredError):
    title = "ffmpeg is not installed"


def _imageio_ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg  # a pip-installed ffmpeg for systems without one
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def ffmpeg_candidates() -> list[tuple[str, str]]:
    """Every usable ffmpeg with where it comes from, the system's first."""
    found = []
    system = shutil.which("ffmpeg")
    if system:
        found.append((system, "system"))
    bundled = _imageio_ffmpeg()
    if bundled:
        found.append((bundled, "imageio-ffmpeg"))
    return found


def find_ffmpeg() -> tuple[str, str] | None:
    """The ffmpeg program and where it comes from ("system" or "imageio-ffmpeg"), or None."""
    candidates = ffmpeg_candidates()
    return candidates[0] if candidates else None


def dies_with_parent(command: list[str]) -> list[str]:
    """`command`, started so that the kernel ends it when Kindred ends, killed included (an
    export's ffmpeg otherwise encodes on for nobody). On Linux, util-linux's `setpriv` sets
    the parent-death signal and runs the command in its place; elsewhere the command as is.
    (Not preexec_fn: that is unsafe with threads, and Kindred has several.) The signal comes
    when the *thread* that started it ends: use it where that thread waits for the command."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "KILL", "--", *command] if setpriv else list(command)


def ffmpeg_or_raise() -> str:
    found = find_ffmpeg()
    if found is None:
        raise FfmpegMissing(
            "Kindred needs ffmpeg to read its bells and sounds. Install it with "
            "`sudo apt install ffmpeg` (Debian/Ubuntu), or `pip install imageio-ffmpeg` into Kindred's .venv."
        )
    return found[0]


@lru_cache(maxsize=8)
def _encoders(program: str) -> frozenset[str]:
    try:
        result = subprocess.run(
            [program, "-hide_banner", "-nostdin", "-encoders"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    # Lines look like " A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3)".
    return frozenset(line.split()[1] for line in result.stdout.splitlines() if len(line.split()) > 1)


def ffmpeg_with_encoder(encoder: str, label: str) -> tuple[str, str]:
    """The first ffmpeg (the system's, then imageio-ffmpeg's) that has `encoder`, and its origin.

    Some systems' ffmpeg is built without an encoder (MP3 used to be left out for patents):
    then imageio-ffmpeg's, which has them all, does the job.
    """
    candidates = ffmpeg_candidates()
    for program, origin in candidates:
        if encoder in _encoders(program):
            return program, origin
    if not candidates:
        ffmpeg_or_raise()
    raise FfmpegMissing(
        f"The ffmpeg on this computer ({candidates[0][0]}) cannot write {label}. Install a full ffmpeg "
        "(`sudo apt install ffmpeg` on Debian/Ubuntu), or `pip install imageio-ffmpeg` into Kindred's .venv.",
        f"Cannot write {label}",
    )
