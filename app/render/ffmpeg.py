"""Finding ffmpeg: the system's, or the one the imageio-ffmpeg package ships."""

from __future__ import annotations

import shutil

from app.errors import KindredError


class FfmpegMissing(KindredError):
    title = "ffmpeg is not installed"


def find_ffmpeg() -> tuple[str, str] | None:
    """The ffmpeg program and where it comes from ("system" or "imageio-ffmpeg"), or None."""
    system = shutil.which("ffmpeg")
    if system:
        return system, "system"
    try:
        import imageio_ffmpeg  # optional: a pip-installable ffmpeg for systems without one
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe(), "imageio-ffmpeg"
    except RuntimeError:
        return None


def ffmpeg_or_raise() -> str:
    found = find_ffmpeg()
    if found is None:
        raise FfmpegMissing(
            "Kindred needs ffmpeg to read its bells and sounds. Install it with "
            "`sudo apt install ffmpeg` (Debian/Ubuntu), or `pip install imageio-ffmpeg` into Kindred's .venv."
        )
    return found[0]
