"""Speech: the SpeechEngine protocol, the pyttsx3 engine, and a fake engine for tests."""

from __future__ import annotations

import os

from app.tts.engine import (
    DEFAULT_RATE_WPM,
    NoVoiceError,
    SpeechCancelled,
    SpeechEngine,
    SpeechError,
    SpeechRequest,
    Voice,
)
from app.tts.fake import FakeEngine
from app.tts.pyttsx3_engine import Pyttsx3Engine
from app.tts.sentences import split_sentences

__all__ = [
    "DEFAULT_RATE_WPM",
    "FakeEngine",
    "NoVoiceError",
    "Pyttsx3Engine",
    "SpeechCancelled",
    "SpeechEngine",
    "SpeechError",
    "SpeechRequest",
    "Voice",
    "create_engine",
    "split_sentences",
]

ENGINE_NAMES = ("auto", "pyttsx3", "fake")


def create_engine(name: str = "auto") -> SpeechEngine:
    """The engine called `name`; "auto" is pyttsx3 unless KINDRED_ENGINE names another."""
    if name == "auto":
        name = os.environ.get("KINDRED_ENGINE", "").strip().lower() or "auto"
    if name == "fake":
        return FakeEngine()
    if name in ("pyttsx3", "auto"):
        return Pyttsx3Engine()
    raise SpeechError(
        f"There is no speech engine called “{name}”. Use one of: {', '.join(ENGINE_NAMES)} "
        "(check the KINDRED_ENGINE environment variable)."
    )
