"""Adding and removing the user's own Piper voices (the data folder's voices/).

A voice is checked before anything is copied: the model must look like an ONNX file and not be
huge, its config (`MODEL.onnx.json`) must be beside it and be a Piper config, and the two must
work together, which only loading them and speaking a word can tell (done in a worker process,
so a bad model cannot take the app down). Copies go to hidden part files first and are renamed
into place config first, model last: a voice appears only whole, and a failure leaves nothing.
Removing moves the two files to a trash folder, so that Undo puts them back.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.errors import KindredError
from app.tts.piper_voices import BUNDLED_ID, PiperVoiceFile, describe, user_voices, user_voices_dir

#: Piper's voices are 5–120 MB; anything past this is not one.
MAX_MODEL_BYTES = 400 * 2**20
MAX_CONFIG_BYTES = 2 * 2**20
CHECK_TIMEOUT_S = 120.0


class VoiceImportError(KindredError):
    title = "Could not add the voice"


@dataclass(frozen=True)
class TrashedVoice:
    voice: PiperVoiceFile
    folder: Path  # where its two files wait for Undo


def _looks_like_onnx(model: Path) -> bool:
    """An ONNX model is a protobuf ModelProto: its first field is ir_version (tag 0x08), and a
    real voice has a graph of megabytes. Cheap, before a worker loads it for real."""
    try:
        with open(model, "rb") as handle:
            head = handle.read(2)
    except OSError:
        return False
    return len(head) == 2 and head[0] == 0x08 and head[1] < 0x20


def check_voice_files(model: Path, config: Path, timeout: float = CHECK_TIMEOUT_S) -> str | None:
    """None when the model and config load and speak together in a worker; else what failed."""
    request = json.dumps({"op": "check", "id": 1, "model": str(model), "config": str(config)})
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app.tts.piper_worker"],
            input=(request + "\n").encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except subprocess.TimeoutExpired:
        return f"loading it took longer than {timeout:.0f} s"
    except OSError as error:
        return f"the voice process could not start ({error})"
    replies = []
    for line in result.stdout.splitlines():
        with contextlib.suppress(ValueError):
            replies.append(json.loads(line))
    hello = next((r for r in replies if r.get("event") == "hello"), None)
    if hello is None or not hello.get("ok"):
        return (hello or {}).get("error") or f"the voice process stopped (exit code {result.returncode})"
    reply = next((r for r in replies if r.get("id") == 1), None)
    if reply is None:
        return f"the voice process stopped while loading it (exit code {result.returncode})"
    return None if reply.get("ok") else str(reply.get("error") or "it could not speak")


def import_voice(model: Path, config: Path | None = None, check: bool = True) -> PiperVoiceFile:
    """Copies a Piper voice into the data folder's voices/ and returns it; VoiceImportError
    (with what is wrong and what to do) when it is not a usable voice. Nothing is left behind."""
    model = Path(model).expanduser()
    config = Path(config).expanduser() if config else model.with_name(model.name + ".json")
    if not model.is_file():
        raise VoiceImportError(f"{model} is not a file. Choose the voice's .onnx file.")
    if model.suffix.lower() != ".onnx":
        raise VoiceImportError(f"{model.name} is not a Piper voice: choose its .onnx model file.")
    size = model.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise VoiceImportError(
            f"{model.name} is {size / 2**20:,.0f} MB, more than the {MAX_MODEL_BYTES / 2**20:.0f} MB a "
            "Piper voice can be: this is not a voice model."
        )
    if not _looks_like_onnx(model):
        raise VoiceImportError(f"{model.name} is not an ONNX model. Choose a Piper voice's .onnx file.")
    if not config.is_file():
        raise VoiceImportError(
            f"The voice's settings file {config.name} is missing: it must lie beside {model.name}. "
            "Download both files of the voice."
        )
    if config.stat().st_size > MAX_CONFIG_BYTES:
        raise VoiceImportError(f"{config.name} is too large to be a voice's settings file.")
    try:
        voice = describe(model, config)
    except ValueError as error:
        raise VoiceImportError(f"{model.name} cannot be added: {error}.") from None
    if voice.id == BUNDLED_ID or any(v.id == voice.id for v in user_voices()):
        raise VoiceImportError(
            f"A voice called {model.name} is already there. Remove it first to add this one again."
        )
    if check:
        problem = check_voice_files(model, config)
        if problem is not None:
            raise VoiceImportError(
                f"{model.name} and {config.name} do not work together ({problem}). Use the settings "
                "file that came with this model."
            )
    return _copy_in(voice)


def _copy_in(voice: PiperVoiceFile) -> PiperVoiceFile:
    folder = user_voices_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target_model, target_config = folder / voice.model.name, folder / (voice.model.name + ".json")
    tag = uuid.uuid4().hex[:8]
    parts = [folder / f".{target_config.name}.{tag}.part", folder / f".{target_model.name}.{tag}.part"]
    try:
        shutil.copyfile(voice.config, parts[0])
        shutil.copyfile(voice.model, parts[1])
        for part in parts:
            with open(part, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(parts[0], target_config)
        os.replace(parts[1], target_model)  # last: the voice is found by its model
    except OSError as error:
        for leftover in parts:
            with contextlib.suppress(OSError):
                leftover.unlink()
        with contextlib.suppress(OSError):
            if not target_model.exists():
                target_config.unlink()
        raise VoiceImportError(
            f"The voice could not be copied to {folder} ({error.strerror}). Free some space or check the "
            "folder's permissions."
        ) from None
    return describe(target_model, target_config)


def remove_voice(voice_id: str) -> TrashedVoice:
    """Moves one of the user's voices to the trash (its model first, so it vanishes at once)."""
    voice = next((v for v in user_voices() if v.id == voice_id), None)
    if voice is None:
        raise VoiceImportError(
            f"There is no voice of your own called “{voice_id}”: see `kindred voices`.",
            "Could not remove the voice",
        )
    trash = user_voices_dir() / ".trash" / uuid.uuid4().hex[:8]
    trash.mkdir(parents=True)
    os.replace(voice.model, trash / voice.model.name)
    os.replace(voice.config, trash / voice.config.name)
    return TrashedVoice(voice, trash)


def restore_voice(trashed: TrashedVoice) -> PiperVoiceFile:
    """Undo: the two files back where they were (config first, as when adding)."""
    folder = user_voices_dir()
    os.replace(trashed.folder / trashed.voice.config.name, folder / trashed.voice.config.name)
    os.replace(trashed.folder / trashed.voice.model.name, folder / trashed.voice.model.name)
    with contextlib.suppress(OSError):
        trashed.folder.rmdir()
    return describe(folder / trashed.voice.model.name, folder / trashed.voice.config.name)


def empty_trash() -> None:
    """Removed voices for good (at the next start: their Undo is gone with the window)."""
    shutil.rmtree(user_voices_dir() / ".trash", ignore_errors=True)
