"""What an exported file is called: a safe name from the title and length, the format's suffix.

Plain rules on strings and paths, no widgets: the export dialog asks them, and anything else
that names an export can. Where the captions go beside the audio is `export.caption_paths`.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.render.export import caption_paths
from app.script import format_duration

#: The suffix each export format's files carry (the keys are `export.FORMATS`).
FORMAT_SUFFIXES: dict[str, str] = {"mp3": ".mp3", "opus": ".opus", "flac": ".flac", "wav": ".wav"}
#: Suffixes a typed file name may already carry; any of them is swapped for the chosen format's.
AUDIO_SUFFIXES = {".mp3", ".opus", ".ogg", ".oga", ".flac", ".wav"}
#: Characters some system refuses in a file name (Windows is the strictest), and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
#: The name when a title leaves nothing usable.
FALLBACK_STEM = "Meditation"


def format_suffix(fmt: str) -> str:
    """ ".mp3" for "mp3": the suffix of a format's files."""
    return FORMAT_SUFFIXES[fmt]


def length_label(seconds: float | None) -> str:
    """A length as a file name or a message says it: "Natural", "20 min", or "1m30s"."""
    if seconds is None:
        return "Natural"
    return f"{round(seconds / 60)} min" if seconds >= 60 and seconds % 60 == 0 else format_duration(seconds)


def suggested_name(title: str, length: float | None, fmt: str) -> str:
    """A file name from the title (and the length, so two lengths do not collide) safe on every system."""
    stem = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .") or FALLBACK_STEM
    if length is not None:
        stem += f" - {length_label(length)}"
    return stem + format_suffix(fmt)


def with_format_suffix(path: Path, fmt: str) -> Path:
    """`path` ending as the format's files do: a known audio suffix is swapped, none is added."""
    suffix = format_suffix(fmt)
    if path.suffix.lower() in AUDIO_SUFFIXES:
        if fmt == "opus" and path.suffix.lower() in (".ogg", ".oga"):
            return path  # Ogg Opus: both names are right
        return path.with_suffix(suffix)
    # Not an audio suffix ("take.v2"): part of the name the person chose, so it stays.
    return path.with_name(path.name + suffix)


def target_path(typed: str, folder: Path) -> Path | None:
    """The file a typed "save as" text means, or None when nothing was typed.

    `~` is the home folder; a bare or relative name is saved in `folder` (the export folder),
    not wherever the app happened to be started.
    """
    text = typed.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.is_absolute() else folder / path


def existing_outputs(target: Path) -> list[Path]:
    """The files an export to `target` would replace: the audio and its captions, those that exist."""
    return [path for path in (target, *caption_paths(target)) if path.is_file()]
