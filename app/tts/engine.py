"""What a speech engine is, as the renderer sees it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import KindredError

#: A guided meditation's pace, in words per minute of speech (each engine is calibrated to it).
DEFAULT_RATE_WPM = 120


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str
    quality: str = ""  # a neural voice's model size: "low", "medium", "high"
    engine: str = ""  # who speaks it, as a person would call it: "Piper (neural)", "eSpeak NG"


@dataclass(frozen=True)
class SpeechRequest:
    """One utterance (a sentence or a short paragraph) to be written as a WAV file."""

    text: str
    out_path: Path
    voice: str | None = None
    rate: int = DEFAULT_RATE_WPM
    #: An importable "module:function" called with the finished WAV's path, to rewrite it in
    #: place before it is handed over. It runs in whichever process synthesized the file, so
    #: CPU-heavy processing (levelling) runs in parallel where the engine has worker processes.
    postprocess: str | None = None
    #: The engine's own speed setting, instead of `rate` (Piper's length scale, espeak's rate):
    #: only for measuring a voice's pace, which is what turns words per minute into it.
    knob: float | None = None


class SpeechError(KindredError):
    title = "The voice could not speak"


class NoVoiceError(SpeechError):
    title = "No voice is installed"


def load_postprocess(spec: str) -> Callable[[str], None]:
    """The function named by a SpeechRequest's `postprocess` ("package.module:function")."""
    module_name, _, function_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


class SpeechCancelled(Exception):
    """Raised inside synthesis when the caller asked to stop."""


class SpeechEngine(Protocol):
    #: Names the engine and its version; part of every speech-cache key.
    engine_id: str

    def voices(self) -> list[Voice]: ...

    def default_voice(self) -> str: ...

    def cache_identity(self, voice: str) -> str:
        """Everything besides the text and the rate that shapes `voice`'s audio: the engine, its
        version, the model file's hash, its settings. Part of every speech-cache key."""
        ...

    def synthesize(
        self,
        requests: Sequence[SpeechRequest],
        on_done: Callable[[int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        """Write every request's WAV (16-bit PCM, any rate, mono) atomically to its out_path.

        Calls on_done(index) as each file is complete, in any order. Raises SpeechCancelled
        when should_cancel() turns true, SpeechError when an utterance cannot be spoken.
        """
        ...

    def close(self) -> None: ...
