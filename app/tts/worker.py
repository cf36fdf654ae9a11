"""A speech worker process: `python -m app.tts.worker`, driven by Pyttsx3Engine.

pyttsx3 runs here and not in the app because espeak can segfault on some texts (pyttsx3
issue #448); a dead worker costs one retry, not the user's session.

Protocol: one JSON object per line, both ways (see pyttsx3_engine.py for the parent side).

    worker → parent, once at start:
        {"event": "hello", "ok": true, "pid": 123, "driver": "espeak"}
        {"event": "hello", "ok": false, "kind": "no-pyttsx3" | "init" | "no-voices",
         "error": "...", "driver": "espeak"}          (and the worker exits)
    parent → worker:
        {"op": "voices", "id": 1}
        {"op": "say", "id": 2, "text": "...", "voice": "gmw/en-us", "rate": 150,
         "path": "/cache/x.part-123.wav", "timeout": 9.5,
         "postprocess": "package.module:function" or null}   (applied to the finished file)
    worker → parent, one reply per request, with the same id:
        {"id": 1, "ok": true, "voices": [["gmw/en-us", "English (America)", "en-us"], ...]}
        {"id": 2, "ok": true}                         (path is a complete WAV file)
        {"id": 2, "ok": false, "kind": "voice" | "failed", "error": "..."}
    End of input (or {"op": "quit"}) ends the worker.

The worker writes only the file it is given; the parent renames it into place, so that a
cancelled or failed request never leaves a file under its final name.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import types
import warnings
from typing import Any, BinaryIO

from app.tts.engine import load_postprocess

# How often to look at the file while waiting for it; pyttsx3 itself sleeps 10 ms per
# runAndWait, so 1 ms keeps the wait well below that.
_POLL_S = 0.001


#: How often a worker looks whether Kindred is still there.
PARENT_CHECK_S = 0.5


def _watch_parent() -> None:
    """Ends this worker as soon as the Kindred that started it is gone, killed included: it
    would otherwise go on speaking (and writing files) for nobody. Its parent then changes."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="kindred-parent-watch", daemon=True).start()


def _claim_stdout() -> BinaryIO:
    """Keep the real stdout for the protocol and send everything else printed to devnull.

    pyttsx3's espeak driver prints "Audio saved to ..." for every file, and a library may
    print anything; none of it may end up between two protocol lines. (Every worker calls
    this first: it also starts the watch on its parent.)
    """
    _watch_parent()
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    return os.fdopen(protocol_fd, "wb", buffering=0)


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode("ascii") + b"\n")


def _default_driver() -> str:
    # Mirrors pyttsx3.engine.engines_by_sys_platform, for the hello of a failed import.
    return {"darwin": "nsss", "win32": "sapi5"}.get(sys.platform, "espeak")


def _is_complete_wav(path: str) -> bool:
    """True when `path` is a RIFF/WAVE file whose header sizes match the file's size.

    The header is written first and patched when the file is closed, so matching sizes
    mean the writer has finished.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return False
    if int.from_bytes(head[4:8], "little") + 8 != size:
        return False
    pos = 12
    while pos + 8 <= len(head):
        chunk, length = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if chunk == b"data":
            return pos + 8 + length == size or pos + 8 + length + 1 == size  # odd size: pad byte
        pos += 8 + length + (length & 1)
    return False


def _aifc_module() -> types.ModuleType | None:
    """The standard library's aifc, or None on Python 3.13+ where it is gone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import aifc
    except ImportError:
        return None
    return aifc


def _to_wav_if_aiff(path: str) -> None:
    """nsss (macOS) writes AIFF whatever the file name says; the renderer reads WAV.

    Not exercised on Linux or Windows. aifc is in the stdlib up to Python 3.12; on 3.13+
    ffmpeg does the conversion instead.
    """
    with open(path, "rb") as f:
        head = f.read(12)
    if head[:4] != b"FORM":
        return
    aifc = _aifc_module()
    if aifc is not None:
        import array
        import wave

        with aifc.open(path, "rb") as src:
            channels, width, rate, frames = (
                src.getnchannels(),
                src.getsampwidth(),
                src.getframerate(),
                src.getnframes(),
            )
            data = src.readframes(frames)
        if width == 2:  # aifc returns big-endian samples; WAV wants little-endian
            samples = array.array("h", data)
            if sys.byteorder == "little":
                samples.byteswap()
            with wave.open(path + ".tmp", "wb") as dst:
                dst.setnchannels(channels)
                dst.setsampwidth(2)
                dst.setframerate(rate)
                dst.writeframes(samples.tobytes())
            os.replace(path + ".tmp", path)
            return
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("the voice wrote AIFF and neither aifc nor ffmpeg can convert it")
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-f",
            "aiff",
            "-i",
            path,
            "-c:a",
            "pcm_s16le",
            "-f",
            "wav",
            path + ".tmp",
        ],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    os.replace(path + ".tmp", path)


class _Speaker:
    """One pyttsx3 engine, initialised once, that writes one file per request."""

    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init()
        self.driver = str(getattr(self.engine, "driver_name", _default_driver()))
        self.voices = [_describe(v) for v in self.engine.getProperty("voices") or []]
        self.voice_ids = {v[0] for v in self.voices}
        self.voice: str | None = None
        self.rate: int | None = None
        # espeak synthesizes on its own thread and writes the file after runAndWait has
        # returned; the 'finished-utterance' event marks the end.
        self.finished = threading.Event()
        self.errors: list[BaseException] = []
        self.engine.connect("finished-utterance", self._on_finished)
        self.engine.connect("error", self._on_error)
        # espeak runs every call (SetParameter, Synth) through its own command queue, and
        # pyttsx3's runAndWait cancels whatever is still in that queue: a rate set just
        # before would be dropped, or the new utterance cut. So wait until espeak is idle
        # before each utterance (measured: otherwise rate changes apply at random).
        self._espeak_busy: Any = None
        if self.driver == "espeak":
            from pyttsx3.drivers import _espeak

            self._espeak_busy = _espeak.IsPlaying
            _shorten_espeak_loop_sleep()
        # The first runAndWait leaves pyttsx3's "busy" start state; after it, setProperty
        # applies at once instead of waiting in pyttsx3's queue.
        self.engine.runAndWait()

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        if completed:  # an utterance cancelled by espeak has no complete file behind it
            self.finished.set()

    def _wait_until_idle(self, limit: float = 2.0) -> None:
        if self._espeak_busy is None:
            return
        deadline = time.monotonic() + limit
        while self._espeak_busy() and time.monotonic() < deadline:
            time.sleep(0.0002)

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        if exception is not None:
            self.errors.append(exception)

    def say(self, request: dict[str, Any]) -> dict[str, Any]:
        text, path = str(request["text"]), str(request["path"])
        voice, rate = request.get("voice"), int(request.get("rate") or 150)
        timeout = float(request.get("timeout") or 30.0)
        self.errors.clear()
        # Properties are set only when they change: setting the voice makes espeak load it
        # again, and every property call goes through espeak's queue (see __init__).
        if voice and voice != self.voice:
            if voice not in self.voice_ids:
                return {"ok": False, "kind": "voice", "error": f"no voice with the id {voice!r}"}
            self.engine.setProperty("voice", voice)
            if self.errors:
                return {"ok": False, "kind": "voice", "error": str(self.errors[0])}
            self.voice = voice
        if rate != self.rate:
            self.engine.setProperty("rate", rate)
            self.rate = rate
        if os.path.exists(path):
            os.remove(path)  # a leftover of a killed worker with the same pid
        self._wait_until_idle()
        self.finished.clear()
        self.engine.save_to_file(text, path)
        self.engine.runAndWait()
        deadline = time.monotonic() + timeout
        # Wait for the event and the finished file; sapi5 has written it already, nsss
        # writes AIFF (no WAV header) and is done when the event comes.
        while True:
            done = self.finished.wait(_POLL_S)
            if self.errors:
                self.voice = None  # a failed setProperty may have left any voice behind
                return {"ok": False, "kind": "failed", "error": str(self.errors[0])}
            # espeak is only done after its event (the file is written from its thread just
            # before); the other drivers may finish the file without one.
            if done or self.driver != "espeak":
                if done and os.path.exists(path):
                    _to_wav_if_aiff(path)
                if _is_complete_wav(path):
                    return postprocess_reply(request.get("postprocess"), path)
                if done:
                    time.sleep(_POLL_S)  # the event came first: look at the file again shortly
            if time.monotonic() > deadline:
                return {"ok": False, "kind": "failed", "error": f"no complete file after {timeout:.1f} s"}


def postprocess_reply(spec: str | None, path: str) -> dict[str, Any]:
    """The reply for a finished file, after the request's postprocess has rewritten it."""
    if spec:
        try:
            load_postprocess(spec)(path)  # the module is imported once, then found in sys.modules
        except Exception as exc:
            return {"ok": False, "kind": "failed", "error": f"processing the speech failed: {exc}"}
    return {"ok": True}


def _shorten_espeak_loop_sleep() -> None:
    """Let pyttsx3's espeak loop look every 1 ms instead of every 10 ms.

    runAndWait sleeps 10 ms per turn of its loop, while espeak speaks a sentence in about
    6 ms: the sleep, not the voice, set the pace (10.8 → 5.9 ms per utterance measured).
    This swaps the `time` module the driver sees for one whose sleep is capped at 1 ms; if
    a pyttsx3 version no longer has that module attribute, nothing changes.
    """
    from pyttsx3.drivers import espeak

    if getattr(espeak, "time", None) is not time:
        return
    fast = types.SimpleNamespace(
        **{name: getattr(time, name) for name in dir(time) if not name.startswith("_")}
    )
    fast.sleep = lambda seconds: time.sleep(min(seconds, 0.001))
    espeak.time = fast


def _describe(voice: Any) -> list[str]:
    languages = getattr(voice, "languages", None) or []
    language = languages[0] if languages else ""
    if isinstance(language, bytes):
        language = language.decode("utf-8", "replace")
    return [str(voice.id), str(voice.name or voice.id), str(language).replace("_", "-")]


def main() -> int:
    out = _claim_stdout()
    try:
        import pyttsx3  # noqa: F401  (imported here so a missing package is reported, not raised)
    except ImportError as exc:
        _send(
            out,
            {
                "event": "hello",
                "ok": False,
                "kind": "no-pyttsx3",
                "error": str(exc),
                "driver": _default_driver(),
            },
        )
        return 3
    try:
        speaker = _Speaker()
    except Exception as exc:  # RuntimeError/OSError when the system voice is missing
        _send(
            out,
            {
                "event": "hello",
                "ok": False,
                "kind": "init",
                "error": f"{type(exc).__name__}: {exc}",
                "driver": _default_driver(),
            },
        )
        return 3
    if not speaker.voices:
        _send(
            out,
            {
                "event": "hello",
                "ok": False,
                "kind": "no-voices",
                "error": "the voice list is empty",
                "driver": speaker.driver,
            },
        )
        return 3
    _send(out, {"event": "hello", "ok": True, "pid": os.getpid(), "driver": speaker.driver})
    return serve(out, speaker)


def serve(out: BinaryIO, speaker: Any) -> int:
    """Answer requests until the input ends. `speaker` has `voices` and `say(request)`; every
    worker (this one, app/tts/piper_worker.py) shares this loop and so the protocol above."""
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        op = request.get("op")
        if op == "quit":
            break
        if op == "voices":
            reply: dict[str, Any] = {"ok": True, "voices": speaker.voices}
        elif op in ("say", "check") and hasattr(speaker, op):
            try:
                reply = getattr(speaker, op)(request)
            except Exception as exc:
                reply = {"ok": False, "kind": "failed", "error": f"{type(exc).__name__}: {exc}"}
        else:
            reply = {"ok": False, "kind": "failed", "error": f"unknown op {op!r}"}
        reply["id"] = request.get("id")
        _send(out, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
