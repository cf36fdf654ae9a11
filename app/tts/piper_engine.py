"""The neural voice: Piper (piper-tts, onnxruntime) in two worker processes.

Each worker (app/tts/piper_worker.py) loads the default voice's model once as it starts, so
`warm_up()` at the window's opening hides the ~1 s load from the first Play. Utterances are
sentence-sized (the renderer splits them), spoken with one onnxruntime thread per worker.
The speaking rate becomes Piper's length scale through the voice's measured pace.
"""

from __future__ import annotations

import sys
from importlib import metadata
from typing import Any

from app.tts.engine import NoVoiceError, SpeechError, Voice
from app.tts.pace import Pace
from app.tts.piper_voices import BUNDLED_ID, JOE_SHA256, PiperVoiceFile, file_sha256
from app.tts.worker_pool import WorkerPoolEngine
from app.tts.worker_process import SpeechJob

ENGINE_LABEL = "Piper (neural)"
#: The voices' own variation (Piper's defaults); 0 and 0 make every rendering bit-identical.
NATURAL_NOISE = (0.667, 0.8)
#: The bundled joe voice's pace with NATURAL_NOISE, measured here as every voice is on first use
#: (three measurements: intercept 0.0690–0.0709, slope 0.1937–0.1955): shipped, so that the
#: first session does not wait the ~10 s of measuring for the voice everyone starts with.
JOE_NATURAL_PACE = Pace(intercept=0.0698, slope=0.1947)


def piper_version() -> str | None:
    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return None


class PiperEngine(WorkerPoolEngine):
    """A SpeechEngine over Piper voice files (see app/tts/piper_voices.py)."""

    PACE_KNOBS = (1.0, 2.0)
    #: Beyond these length scales the voice slurs or chops its words.
    KNOB_RANGE = (0.5, 4.0)

    def __init__(
        self,
        voices: list[PiperVoiceFile],
        *,
        deterministic: bool = False,
        workers: int | None = None,
        timeout_base: float = 10.0,
        timeout_per_char: float = 0.05,
        start_timeout: float = 30.0,
        **pool_options: Any,
    ) -> None:
        if not voices:
            raise NoVoiceError("No neural voice is installed.")
        self.voice_files = {voice.id: voice for voice in voices}
        default = self.voice_files.get(BUNDLED_ID) or voices[0]
        super().__init__(
            # The default voice's files on the command line: each worker loads it as it starts.
            [sys.executable, "-m", "app.tts.piper_worker", str(default.model), str(default.config)],
            workers=workers,
            timeout_base=timeout_base,
            timeout_per_char=timeout_per_char,
            start_timeout=start_timeout,
            **pool_options,
        )
        self.engine_id = f"piper-{piper_version() or 'missing'}"
        self._default = default.id
        self.noise = (0.0, 0.0) if deterministic else NATURAL_NOISE
        self._identities: dict[str, str] = {}

    def set_voices(self, voices: list[PiperVoiceFile]) -> None:
        """After a voice was added or removed; the default voice's workers stay as they are."""
        with self._lock:
            kept = {voice.id: voice for voice in voices}
            if self._default not in kept:
                kept[self._default] = self.voice_files[self._default]
            self.voice_files = kept
            self._voices = None

    def _load_voices(self) -> list[Voice]:
        return [
            Voice(v.id, v.name, v.language, quality=v.quality, engine=ENGINE_LABEL)
            for v in self.voice_files.values()
        ]

    def default_voice(self) -> str:
        return self._default

    def cache_identity(self, voice: str) -> str:
        """Engine and version, the model file's hash and the noise settings."""
        if voice not in self._identities:
            files = self._voice_file(voice)
            digest = file_sha256(files.model)
            noise = f"noise={self.noise[0]},{self.noise[1]}"
            self._identities[voice] = f"{self.engine_id}:{voice}:{digest}:{noise}"
        return self._identities[voice]

    def pace(self, voice: str) -> Pace:
        official = f":{JOE_SHA256}:" in self.cache_identity(voice)  # holds the model's hash, kept
        if self._voice_file(voice).bundled and self.noise == NATURAL_NOISE and official:
            return JOE_NATURAL_PACE
        return super().pace(voice)

    def _voice_file(self, voice: str) -> PiperVoiceFile:
        try:
            return self.voice_files[voice]
        except KeyError:
            raise SpeechError(
                f"There is no voice with the id “{voice}” on this computer. "
                "Run `kindred voices` to see the voices you can use."
            ) from None

    def _say_fields(self, job: SpeechJob) -> dict[str, Any]:
        files = self._voice_file(job.voice)
        return {
            "model": str(files.model),
            "config": str(files.config),
            "length_scale": self._job_knob(job),
            "noise_scale": self.noise[0],
            "noise_w": self.noise[1],
        }

    def _no_voice(self, message: dict[str, Any]) -> NoVoiceError:
        kind, detail = message.get("kind"), message.get("error") or "no details"
        if kind == "no-piper":
            return NoVoiceError(
                f"The neural voice's engine, piper-tts, is missing ({detail}). Reinstall Kindred, or "
                "run “pip install piper-tts” in its environment."
            )
        return NoVoiceError(f"The neural voice could not be loaded ({detail}).")
