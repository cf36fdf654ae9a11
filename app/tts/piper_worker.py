"""A neural-voice worker process: `python -m app.tts.piper_worker [MODEL CONFIG]`, driven by
PiperEngine. It speaks the protocol of app/tts/worker.py, with these fields of its own:

    worker → parent, once at start (after loading MODEL, when given, so the first utterance
    does not pay the ~1 s load):
        {"event": "hello", "ok": true, "pid": 123, "driver": "piper"}
        {"event": "hello", "ok": false, "kind": "no-piper" | "model", "error": "..."}
    parent → worker:
        {"op": "say", "id": 2, "text": "...", "path": "/tmp/x.part-123.wav", "timeout": 9.5,
         "model": "/…/voice.onnx", "config": "/…/voice.onnx.json",
         "length_scale": 1.9, "noise_scale": 0.667, "noise_w": 0.8, "postprocess": null}
        {"op": "check", "id": 3, "model": "...", "config": "..."}
            (load the voice and speak a word: the reply says whether it works)

One onnxruntime thread per worker: two single-threaded workers render a session faster on
two cores than one worker with two threads (9.5–10 s against 11.9–12.1 s for the same render,
measured with piper-tts 1.3), and suffer less under load.
"""

from __future__ import annotations

import json
import os
import sys
import wave
from pathlib import Path
from typing import Any

from app.tts.worker import _claim_stdout, _send, postprocess_reply, serve

#: Loaded voices kept per worker; a session uses one, "Hear it" in Settings may add a second.
MAX_LOADED = 2
CHECK_TEXT = "Breathe."


class PiperSpeaker:
    """Loads each voice model once and writes one WAV per request."""

    voices: list[list[str]] = []  # found by the parent from the voice files, not asked for

    def __init__(self) -> None:
        self.loaded: dict[str, Any] = {}

    def load(self, model: str, config: str) -> Any:
        voice = self.loaded.get(model)
        if voice is None:
            voice = load_voice(Path(model), Path(config))
            if len(self.loaded) >= MAX_LOADED:
                self.loaded.pop(next(iter(self.loaded)))  # the oldest: its memory goes back
            self.loaded[model] = voice
        return voice

    def say(self, request: dict[str, Any]) -> dict[str, Any]:
        from piper import SynthesisConfig

        try:
            voice = self.load(str(request["model"]), str(request["config"]))
        except Exception as exc:
            return {"ok": False, "kind": "voice", "error": f"the voice model could not be loaded: {exc}"}
        settings = SynthesisConfig(
            length_scale=float(request.get("length_scale") or 1.0),
            noise_scale=float(request.get("noise_scale", 0.667)),
            noise_w_scale=float(request.get("noise_w", 0.8)),
        )
        path = str(request["path"])
        if os.path.exists(path):
            os.remove(path)  # a leftover of a killed worker with the same pid
        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(int(voice.config.sample_rate))
            for chunk in voice.synthesize(str(request["text"]), syn_config=settings):
                out.writeframes(chunk.audio_int16_bytes)
        return postprocess_reply(request.get("postprocess"), path)

    def check(self, request: dict[str, Any]) -> dict[str, Any]:
        """Whether a model and config load and speak together (a voice being imported)."""
        from piper import SynthesisConfig

        try:
            voice = load_voice(Path(request["model"]), Path(request["config"]))
            exact = SynthesisConfig(noise_scale=0, noise_w_scale=0)
            samples = sum(len(chunk.audio_int16_bytes) // 2 for chunk in voice.synthesize(CHECK_TEXT, exact))
        except Exception as exc:
            return {"ok": False, "kind": "failed", "error": f"{type(exc).__name__}: {exc}"}
        if samples == 0:
            return {"ok": False, "kind": "failed", "error": "the voice produced no sound"}
        return {"ok": True, "sample_rate": int(voice.config.sample_rate)}


def load_voice(model: Path, config: Path) -> Any:
    """A PiperVoice over an onnxruntime session limited to one thread (see the module's note)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    with open(config, encoding="utf-8") as handle:
        settings = PiperConfig.from_dict(json.load(handle))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about the model's graph are not the user's concern
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(config=settings, session=session)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = _claim_stdout()
    try:
        import piper  # noqa: F401  (imported here so a missing package is reported, not raised)
    except ImportError as exc:
        _send(out, {"event": "hello", "ok": False, "kind": "no-piper", "error": str(exc), "driver": "piper"})
        return 3
    speaker = PiperSpeaker()
    if len(argv) >= 2:
        try:
            speaker.load(argv[0], argv[1])
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            _send(out, {"event": "hello", "ok": False, "kind": "model", "error": error, "driver": "piper"})
            return 3
    _send(out, {"event": "hello", "ok": True, "pid": os.getpid(), "driver": "piper"})
    return serve(out, speaker)


if __name__ == "__main__":
    sys.exit(main())
