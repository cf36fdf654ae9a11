"""Pyttsx3Engine with the real espeak-ng voice, and with misbehaving stand-in workers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from app.tts import NoVoiceError, Pyttsx3Engine, SpeechCancelled, SpeechError, SpeechRequest
from app.tts.pace import Pace
from app.tts.worker_pool import WorkerPoolEngine

pytestmark = [
    pytest.mark.realvoice,
    pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed"),
]

SENTENCES = [
    "Let yourself arrive in this moment, just as you are.",
    "Notice the weight of your body resting where you sit.",
    "Breathe in gently, and let the breath go without effort.",
    "Bring to mind someone you love, and see their face.",
    "May you be safe, may you be well, may you be at ease.",
    "Notice any tension in your shoulders, and let it soften.",
    "There is nothing to fix and nowhere else to be.",
    "Feel the warmth of care that you have for them.",
    "Let this kindness turn toward yourself as well.",
    "When you are ready, open your eyes and return.",
]


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as f:
        assert f.getnchannels() == 1
        assert f.getsampwidth() == 2
        return np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(float), f.getframerate()


def part_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.part*"))


@pytest.fixture(scope="module")
def engine():
    with Pyttsx3Engine(workers=2) as e:
        yield e


# A stand-in worker that speaks the protocol of app/tts/worker.py but misbehaves on cue:
# "CRASH" aborts the process (every time, or only the first time with "CRASHONCE"),
# "HANG" writes half a file and never answers. Every text it receives is logged.
FAKE_WORKER = textwrap.dedent(
    """
    import json, os, resource, sys, time, wave
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # abort() without a core file
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    folder, mode = sys.argv[1], sys.argv[2]

    def send(message):
        out.write((json.dumps(message) + "\\n").encode())

    def log(text):
        with open(os.path.join(folder, "worker.log"), "a") as f:
            f.write(json.dumps([os.getpid(), text]) + "\\n")

    log("<start>")
    if mode == "noinit":
        send({"event": "hello", "ok": False, "kind": "init", "driver": "espeak",
              "error": "OSError: libespeak-ng.so.1: cannot open shared object file"})
        sys.exit(3)
    send({"event": "hello", "ok": True, "pid": os.getpid(), "driver": "espeak"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if request["op"] == "voices":
            voices = [] if mode == "novoices" else [["test/en", "Test English", "en"]]
            send({"id": request["id"], "ok": True, "voices": voices})
            continue
        text, path = request["text"], request["path"]
        log(text)
        if "CRASHONCE" in text:
            marker = os.path.join(folder, "crashed-once")
            if not os.path.exists(marker):
                open(marker, "w").close()
                os.abort()
        elif "CRASH" in text:
            os.abort()
        if "HANG" in text:
            with open(path, "wb") as f:
                f.write(b"RIFF\\0\\0\\0\\0WAVE")
            time.sleep(3600)
        with wave.open(path, "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(22050)
            f.writeframes(b"\\x10\\x00\\xf0\\xff" * 5000)
        send({"id": request["id"], "ok": True})
    """
)


@pytest.fixture(autouse=True)
def stand_in_pace(monkeypatch):
    """Stand-in workers speak at one speed whatever the rate: their pace is given, not measured."""
    real = WorkerPoolEngine.pace

    def pace(self, voice):
        if any("fake_worker" in part for part in self.worker_command):
            return Pace(0.0, 0.004)  # 150 wpm at espeak's rate 150
        return real(self, voice)

    monkeypatch.setattr(WorkerPoolEngine, "pace", pace)


def fake_worker(tmp_path: Path, mode: str = "normal") -> list[str]:
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER)
    return [sys.executable, str(script), str(tmp_path), mode]


def worker_log(tmp_path: Path) -> list[tuple[int, str]]:
    lines = (tmp_path / "worker.log").read_text().splitlines()
    return [tuple(json.loads(line)) for line in lines]


# -- the real voice ------------------------------------------------------------------------


def test_lists_voices_and_prefers_american_english(engine):
    voices = engine.voices()
    assert len(voices) > 10
    assert any(v.language.startswith("en") for v in voices)
    assert engine.default_voice() == "gmw/en-us"
    assert engine.engine_id.startswith("pyttsx3-") and engine.engine_id.endswith("-espeak")


def test_ten_sentences_in_parallel_give_ten_spoken_wavs(engine, tmp_path):
    requests = [SpeechRequest(text, tmp_path / f"{i:02}.wav") for i, text in enumerate(SENTENCES)]
    done: list[int] = []
    engine.synthesize(requests, on_done=done.append)

    assert sorted(done) == list(range(10))
    for request in requests:
        samples, rate = read_wav(request.out_path)
        assert rate == 22050
        seconds = len(samples) / rate
        expected = len(request.text.split()) * 60 / 150
        assert 0.5 * expected < seconds < 2.5 * expected, (request.text, seconds)
        rms_dbfs = 20 * np.log10(np.sqrt(np.mean(samples**2)) / 32768)
        assert rms_dbfs > -40, f"{request.out_path.name} is nearly silent ({rms_dbfs:.1f} dBFS)"
    assert part_files(tmp_path) == []


def test_slower_rate_gives_longer_audio(engine, tmp_path):
    text = SENTENCES[0]
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    engine.synthesize([SpeechRequest(text, slow, rate=100), SpeechRequest(text, fast, rate=200)])
    slow_s = len(read_wav(slow)[0]) / 22050
    fast_s = len(read_wav(fast)[0]) / 22050
    assert slow_s > 1.5 * fast_s


def test_every_rate_change_applies_in_one_worker(tmp_path):
    # espeak queues property changes, and pyttsx3's runAndWait cancels what is still
    # queued: without care, texts come out at the previous utterance's rate at random.
    rates = [100, 200, 150, 200, 100, 150, 100, 200, 150]
    requests = [SpeechRequest(SENTENCES[0], tmp_path / f"{i}.wav", rate=r) for i, r in enumerate(rates)]
    with Pyttsx3Engine(workers=1) as engine:
        engine.synthesize(requests)
    lengths: dict[int, list[int]] = {}
    for rate, request in zip(rates, requests, strict=True):
        lengths.setdefault(rate, []).append(len(read_wav(request.out_path)[0]))
    for rate, values in lengths.items():
        assert max(values) - min(values) < 0.02 * 22050, (rate, values)
    assert min(lengths[100]) > max(lengths[150]) > 0
    assert min(lengths[150]) > max(lengths[200]) > 0


def test_voice_choice_is_applied(engine, tmp_path):
    english, french = tmp_path / "en.wav", tmp_path / "fr.wav"
    engine.synthesize(
        [
            SpeechRequest("Bonjour, je suis ici.", english, voice="gmw/en-us"),
            SpeechRequest("Bonjour, je suis ici.", french, voice="roa/fr"),
        ]
    )
    assert not np.array_equal(read_wav(english)[0], read_wav(french)[0])


def test_unknown_voice_names_the_id(engine, tmp_path):
    with pytest.raises(SpeechError) as caught:
        engine.synthesize([SpeechRequest("Hello.", tmp_path / "x.wav", voice="xx/nonexistent")])
    assert "xx/nonexistent" in caught.value.explanation
    assert "kindred voices" in caught.value.explanation
    assert not (tmp_path / "x.wav").exists()


def test_cancel_stops_early_and_leaves_no_partial_files(engine, tmp_path):
    requests = [SpeechRequest(f"{SENTENCES[i % 10]} Number {i}.", tmp_path / f"{i}.wav") for i in range(40)]
    done: list[int] = []
    with pytest.raises(SpeechCancelled):
        engine.synthesize(requests, on_done=done.append, should_cancel=lambda: len(done) >= 3)
    written = sorted(p.name for p in tmp_path.glob("*.wav"))
    assert part_files(tmp_path) == []
    assert 3 <= len(written) < 40
    assert len(written) == len(done)  # every file on disk was reported, nothing else appeared
    # The engine is still usable after a cancel.
    engine.synthesize([SpeechRequest("Still here.", tmp_path / "after.wav")])
    assert (tmp_path / "after.wav").exists()


def test_worker_protocol_output_stays_clean(tmp_path):
    """espeak's driver prints "Audio saved to ..."; none of it may reach the protocol pipe."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    path = tmp_path / "a.wav"
    request = {
        "op": "say",
        "id": 7,
        "text": "Hello there.",
        "voice": "gmw/en-us",
        "rate": 150,
        "path": str(path),
        "timeout": 10,
    }
    result = subprocess.run(
        [sys.executable, "-m", "app.tts.worker"],
        input=(json.dumps(request) + "\n").encode(),
        capture_output=True,
        env=env,
        timeout=30,
    )
    lines = result.stdout.decode().splitlines()
    messages = [json.loads(line) for line in lines]  # fails on any non-JSON line
    assert messages[0]["event"] == "hello" and messages[0]["ok"] is True
    assert messages[1] == {"ok": True, "id": 7}
    assert read_wav(path)[0].size > 0
    assert b"Audio saved" not in result.stdout


def test_missing_espeak_library_raises_no_voice_error(tmp_path):
    # The real worker, on a machine where loading libespeak-ng fails exactly as it does
    # when the package is not installed (ctypes raises OSError for every path tried).
    wrapper = tmp_path / "no_espeak.py"
    wrapper.write_text(
        textwrap.dedent(
            """
            import ctypes, runpy
            real = ctypes.cdll.LoadLibrary

            def refuse_espeak(name):
                if "espeak" in str(name):
                    raise OSError(f"{name}: cannot open shared object file: No such file or directory")
                return real(name)

            ctypes.cdll.LoadLibrary = refuse_espeak
            runpy.run_module("app.tts.worker", run_name="__main__")
            """
        )
    )
    with Pyttsx3Engine(workers=1, worker_command=[sys.executable, str(wrapper)]) as engine:
        with pytest.raises(NoVoiceError) as caught:
            engine.voices()
        if sys.platform.startswith("linux"):
            assert "sudo apt install espeak-ng libespeak-ng1" in caught.value.explanation
        assert caught.value.title == "No voice is installed"
        with pytest.raises(NoVoiceError):
            engine.synthesize([SpeechRequest("Hello.", tmp_path / "x.wav", voice="gmw/en-us")])


# -- stand-in workers that crash, hang or fail -----------------------------------------------


def test_crashing_utterance_is_retried_once_then_reported(tmp_path):
    out = tmp_path / "out"
    with Pyttsx3Engine(workers=1, worker_command=fake_worker(tmp_path)) as engine:
        with pytest.raises(SpeechError) as caught:
            engine.synthesize(
                [
                    SpeechRequest("A fine first line.", out / "1.wav"),
                    SpeechRequest("Then this line will CRASH the voice.", out / "2.wav"),
                ]
            )
        message = caught.value.explanation
        assert "Then this line will CRASH" in message
        assert "kindred doctor" in message and "shorten" in message.lower()
        assert [t for _, t in worker_log(tmp_path)].count("Then this line will CRASH the voice.") == 2
        assert part_files(tmp_path) == []

        # The engine recovers: a fresh worker speaks the next lines.
        engine.synthesize([SpeechRequest("Another line.", out / "3.wav")])
        assert read_wav(out / "3.wav")[0].size == 10000


def test_one_crash_loses_no_request(tmp_path):
    out = tmp_path / "out"
    texts = [f"Line {i}." for i in range(8)]
    texts[3] = "Line 3 CRASHONCE."
    done: list[int] = []
    with Pyttsx3Engine(workers=2, worker_command=fake_worker(tmp_path)) as engine:
        requests = [SpeechRequest(t, out / f"{i}.wav") for i, t in enumerate(texts)]
        engine.synthesize(requests, on_done=done.append)
    assert sorted(done) == list(range(8))
    assert all((out / f"{i}.wav").exists() for i in range(8))
    log = worker_log(tmp_path)
    assert [t for _, t in log].count("Line 3 CRASHONCE.") == 2
    # The crashed worker was replaced: one more start than the workers that were ever busy. (The
    # second worker boots while the first already speaks, so it may log its start after the end.)
    started = {pid for pid, t in log if t == "<start>"}
    spoke = {pid for pid, t in log if t != "<start>"}
    assert len(spoke) >= 2 and spoke <= started


def test_hanging_utterance_times_out(tmp_path):
    out = tmp_path / "out"
    command = fake_worker(tmp_path)
    with Pyttsx3Engine(workers=1, worker_command=command, timeout_base=0.3, timeout_per_char=0) as engine:
        started = time.monotonic()
        with pytest.raises(SpeechError) as caught:
            engine.synthesize([SpeechRequest("Please HANG here.", out / "1.wav")])
        assert time.monotonic() - started < 5
        assert "Please HANG here." in caught.value.explanation
        assert "no answer" in caught.value.explanation
        assert [t for _, t in worker_log(tmp_path)].count("Please HANG here.") == 2
        assert part_files(tmp_path) == [] and not (out / "1.wav").exists()


def test_cancel_while_a_worker_hangs_removes_its_partial_file(tmp_path):
    out = tmp_path / "out"
    with Pyttsx3Engine(workers=1, worker_command=fake_worker(tmp_path)) as engine:
        started = time.monotonic()
        with pytest.raises(SpeechCancelled):
            engine.synthesize(
                [SpeechRequest("Please HANG here.", out / "1.wav")],
                should_cancel=lambda: time.monotonic() - started > 0.5,
            )
        assert time.monotonic() - started < 3
        assert list(out.iterdir()) == []


def test_worker_that_cannot_start_the_voice_raises_no_voice_error(tmp_path):
    command = fake_worker(tmp_path, "noinit")
    with Pyttsx3Engine(workers=2, worker_command=command) as engine, pytest.raises(NoVoiceError) as caught:
        engine.synthesize([SpeechRequest("Hello.", tmp_path / "x.wav")])
    assert "libespeak-ng.so.1" in caught.value.explanation


def test_empty_voice_list_raises_no_voice_error(tmp_path):
    command = fake_worker(tmp_path, "novoices")
    with Pyttsx3Engine(workers=1, worker_command=command) as engine, pytest.raises(NoVoiceError):
        engine.voices()


def test_close_ends_the_worker_processes(tmp_path):
    engine = Pyttsx3Engine(workers=2, worker_command=fake_worker(tmp_path))
    engine.synthesize([SpeechRequest(f"Line {i}.", tmp_path / f"{i}.wav") for i in range(4)])
    pids = {pid for pid, t in worker_log(tmp_path) if t == "<start>"}
    assert len(pids) == 2
    engine.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(SpeechError):
        engine.synthesize([SpeechRequest("Too late.", tmp_path / "late.wav")])


def test_worker_that_dies_at_start_is_reported_as_a_start_failure(tmp_path):
    command = [sys.executable, "-c", "import sys; sys.exit(4)"]
    with Pyttsx3Engine(workers=1, worker_command=command) as engine, pytest.raises(SpeechError) as caught:
        engine.voices()
    assert "exit code 4 while starting" in caught.value.explanation
    assert "kindred doctor" in caught.value.explanation
