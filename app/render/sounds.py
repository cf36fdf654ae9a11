"""The bells and ambience loops of audio/ and the data folder, decoded once to session-rate WAVs."""

from __future__ import annotations

import difflib
import hashlib
import subprocess
from pathlib import Path

from app import paths
from app.errors import KindredError
from app.files import atomic_output
from app.render.ffmpeg import ffmpeg_or_raise
from app.render.pcm import SESSION_RATE, wav_header
from app.script import Bell, Script, ScriptError

DEFAULT_BELL = "singing-bowl"
SOUND_SUFFIXES = (".ogg", ".opus", ".flac", ".wav")


class UnknownSound(KindredError):
    title = "Unknown sound"


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix in SOUND_SUFFIXES)


def bell_names() -> list[str]:
    return _names(paths.bells_dir())


def ambience_names() -> list[str]:
    """The bundled loops and the user's own (Settings → Add a sound…), in one sorted list."""
    return sorted({*_names(paths.ambience_dir()), *user_ambience_names()})


def user_ambience_names() -> list[str]:
    return _names(paths.user_ambience_dir())


def _source(folders: list[Path], name: str, kind: str) -> Path:
    for folder in folders:
        for suffix in SOUND_SUFFIXES:
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    known = ", ".join(sorted({n for folder in folders for n in _names(folder)})) or "none installed"
    raise UnknownSound(f"There is no {kind} called “{name}”. Available: {known}.")


def bell_source(name: str | None) -> Path:
    return _source([paths.bells_dir()], name or DEFAULT_BELL, "bell")


def ambience_source(name: str) -> Path:
    # Bundled first: an imported sound never takes a bundled name, and this keeps it so.
    return _source([paths.ambience_dir(), paths.user_ambience_dir()], name, "ambience")


def sound_digest(source: Path) -> str:
    """Changes when the sound file does: part of every render's cache key."""
    stat = source.stat()
    return hashlib.sha256(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def decoded_bell(name: str | None, cache_root: Path) -> Path:
    """The bell as a 16-bit mono WAV at the session rate, decoded by ffmpeg on first use."""
    return decoded_sound(bell_source(name), cache_root)


def decoded_ambience(name: str, cache_root: Path) -> Path:
    """The background loop as a 16-bit mono WAV at the session rate, decoded by ffmpeg on first use."""
    return decoded_sound(ambience_source(name), cache_root)


def decoded_sound(source: Path, cache_root: Path) -> Path:
    """A sound file of audio/ as a 16-bit mono WAV at the session rate, decoded once and cached."""
    target = Path(cache_root) / "sounds" / f"{source.stem}-{sound_digest(source)}-{SESSION_RATE}.wav"
    if target.exists():
        return target
    command = [ffmpeg_or_raise(), "-v", "error", "-nostdin", "-i", str(source)]
    command += ["-f", "s16le", "-ac", "1", "-ar", str(SESSION_RATE), "-"]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip()
        raise KindredError(f"ffmpeg could not read {source}: {reason}")
    frames = result.stdout[: len(result.stdout) // 2 * 2]
    with atomic_output(target, stage_elsewhere=True) as handle:
        handle.write(wav_header(len(frames) // 2))
        handle.write(frames)
    return target


def asset_errors(script: Script) -> list[ScriptError]:
    """Bells and ambience the script names but audio/ does not have, as errors at their places."""
    errors = []
    bells = bell_names()
    source_lines = _source_lines(script)
    for _, item in script.items():
        if isinstance(item, Bell) and item.name and item.name not in bells:
            suggestion = closest_name(item.name, bells)
            line_text = source_lines[item.line - 1] if 0 < item.line <= len(source_lines) else ""
            errors.append(
                ScriptError(
                    item.line,
                    line_text.find("[") + 1 or 1,
                    f"unknown bell [bell {item.name}]; the bells are {', '.join(bells)}",
                    f"[bell {suggestion}]" if suggestion else None,
                )
            )
    ambience = script.meta.ambience
    choices = ambience_names()
    if ambience and ambience != "none" and ambience not in choices:
        line = next((n for n, text in enumerate(source_lines[1:], 2) if text.startswith("ambience:")), 1)
        errors.append(
            ScriptError(
                line,
                1,
                f"unknown ambience {ambience!r}; choose one of {', '.join(choices)}, or none",
                closest_name(ambience, choices),
            )
        )
    return errors


def closest_name(name: str, choices: list[str]) -> str | None:
    """The likeliest intended name: a close spelling, or a name that contains a part of it."""
    matches = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    stem = name.strip("-").lower()
    for choice in choices:
        parts = choice.split("-")
        if any(part and (part in stem or stem in part) for part in parts if len(part) >= 3):
            return choice
    matches = difflib.get_close_matches(name, choices, n=1, cutoff=0.4)
    return matches[0] if matches else None


def _source_lines(script: Script) -> list[str]:
    try:
        return Path(script.source).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return []
