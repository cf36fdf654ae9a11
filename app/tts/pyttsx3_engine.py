"""The computer's own voices through pyttsx3 (espeak-ng on Linux, SAPI5, macOS voices).

Spoken in worker processes (app/tts/worker.py; the pool is app/tts/worker_pool.py), because
espeak segfaults on some texts (pyttsx3 issue #448). Starting a worker costs about 0.2 s,
an utterance about 11 ms, so workers are kept between calls.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from importlib import metadata
from typing import Any

from app.tts.engine import NoVoiceError, Voice
from app.tts.worker_pool import WorkerPoolEngine
from app.tts.worker_process import SpeechJob


def _driver_name() -> str:
    # The default driver of pyttsx3.engine.engines_by_sys_platform, without importing it.
    return {"darwin": "nsss", "win32": "sapi5"}.get(sys.platform, "espeak")


def _pyttsx3_version() -> str:
    try:
        return metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        return "missing"


def install_hint() -> str:
    """What to install for pyttsx3 to find a voice on this platform."""
    if sys.platform == "win32":
        return (
            "Windows speech (SAPI5) voices come with Windows: open Settings → Time & language → "
            "Speech and add a voice under “Manage voices”."
        )
    if sys.platform == "darwin":
        return (
            "Kindred uses the macOS system voices: open System Settings → Accessibility → "
            "Spoken Content → System voice → Manage Voices… and add one."
        )
    return (
        "Kindred speaks with eSpeak NG. On Debian or Ubuntu install it with "
        "“sudo apt install espeak-ng libespeak-ng1”; on other systems install the espeak-ng "
        "package of your distribution."
    )


class Pyttsx3Engine(WorkerPoolEngine):
    """A SpeechEngine over pyttsx3; the driver's own rate setting is found from words per minute
    by measuring each voice (app/tts/pace.py)."""

    PACE_KNOBS = (100.0, 200.0)
    #: espeak-ng takes no rate below 80 (about 105 words a minute of speech once trimmed).
    KNOB_RANGE = (80.0, 450.0)

    def __init__(
        self,
        workers: int | None = None,
        worker_command: list[str] | None = None,
        timeout_base: float = 5.0,
        timeout_per_char: float = 0.05,
        start_timeout: float = 20.0,
        **pool_options: Any,
    ) -> None:
        super().__init__(
            list(worker_command or [sys.executable, "-m", "app.tts.worker"]),
            workers=workers,
            timeout_base=timeout_base,
            timeout_per_char=timeout_per_char,
            start_timeout=start_timeout,
            **pool_options,
        )
        self.engine_id = f"pyttsx3-{_pyttsx3_version()}-{_driver_name()}"

    def _load_voices(self) -> list[Voice]:
        engine = "eSpeak NG" if _driver_name() == "espeak" else "System voice"
        return [replace(voice, engine=engine) for voice in self._ask_voices()]

    def default_voice(self) -> str:
        voices = self.voices()
        for v in voices:
            if v.id.lower() == "gmw/en-us":
                return v.id
        for v in voices:
            if "en-us" in v.id.lower() or "en-us" in v.name.lower() or v.language.lower() == "en-us":
                return v.id
        for v in voices:
            lang = v.language.lower()
            if lang == "en" or lang.startswith("en-") or v.id.lower().split("/")[-1].startswith("en"):
                return v.id
        return voices[0].id

    def _slowness(self, knob: float) -> float:
        return 100.0 / knob  # espeak stretches its phonemes in proportion to 1/rate

    def _knob(self, slowness: float) -> float:
        return 100.0 / slowness

    def _say_fields(self, job: SpeechJob) -> dict[str, Any]:
        return {"voice": job.voice, "rate": round(self._job_knob(job))}

    def _no_voice(self, message: dict[str, Any]) -> NoVoiceError:
        kind, detail = message.get("kind"), message.get("error") or "no details"
        if kind == "no-pyttsx3":
            return NoVoiceError(
                f"The speech module pyttsx3 is missing ({detail}). Reinstall Kindred, or run "
                "“pip install pyttsx3” in its environment."
            )
        if kind == "no-voices":
            return NoVoiceError(f"The system speech reports no voices ({detail}). {install_hint()}")
        return NoVoiceError(f"The system speech could not start ({detail}). {install_hint()}")
