"""What a speech engine is, as the renderer sees it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import KindredError

DEFAULT_RATE_WPM = 135


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str


@dataclass(frozen=True)
class SpeechRequest:
    """One utterance (a sentence or a short paragraph) to be written as a WAV file."""

    text: str
    out_path: Path
    voice: str | None = None
    rate: int = DEFAULT_RATE_WPM


class SpeechError(KindredError):
    title = "The voice could not speak"


class NoVoiceError(SpeechError):
    title = "No voice is installed"


class SpeechCancelled(Exception):
    """Raised inside synthesis when the caller asked to stop."""


class SpeechEngine(Protocol):
    #: Names the engine and its version; part of every speech-cache key.
    engine_id: str

    def voices(self) -> list[Voice]: ...

    def default_voice(self) -> str: ...

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
