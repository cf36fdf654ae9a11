"""A private PulseAudio server with a null sink, so tests can record what the app plays.

The server runs in the foreground of a process this module starts (so it is ended by its
own pid, never by name), with its runtime, state and socket in a fresh temporary folder,
and anonymous access on its socket: a player is pointed at it with PULSE_SERVER and
nothing else. It works as root too: PulseAudio warns that it is "not intended to be run
as root" but runs in user mode; `--system` is not needed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

SINK = "kindred_test"
TOOLS = ("pulseaudio", "parec", "pactl")
START_TIMEOUT_S = 10.0


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class PulseServer:
    """A running private server; `client_env()` is the environment of a program that should play into it."""

    def __init__(self, folder: Path, socket: Path, process: subprocess.Popen):
        self.folder = folder
        self.socket = socket
        self.process = process

    @property
    def address(self) -> str:
        return f"unix:{self.socket}"

    @property
    def monitor(self) -> str:
        return f"{SINK}.monitor"

    def client_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["PULSE_SERVER"] = self.address
        env["PULSE_SINK"] = SINK
        # No cookie is needed (anonymous access); a private home keeps the client off the user's config.
        env["PULSE_CLIENTCONFIG"] = str(self.folder / "client.conf")
        return env

    def pactl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["pactl", f"--server={self.address}", *args],
            env=self.client_env(),
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )

    @contextlib.contextmanager
    def record(self, path: Path, rate: int = 22050) -> Iterator[Path]:
        """Records the sink's monitor (mono, 16 bit) into `path` for as long as the block runs."""
        command = [
            "parec",
            f"--server={self.address}",
            f"--device={self.monitor}",
            "--file-format=wav",
            "--format=s16le",
            "--channels=1",
            f"--rate={rate}",
            "--latency-msec=20",
            str(path),
        ]
        recorder = subprocess.Popen(command, env=self.client_env(), stderr=subprocess.PIPE)
        try:
            # The null sink runs all the time, so its monitor delivers silence at once: data
            # beyond the header means the recording has really started.
            deadline = time.monotonic() + START_TIMEOUT_S
            while not (path.exists() and path.stat().st_size > 44 + rate // 10):
                if recorder.poll() is not None:
                    reason = recorder.stderr.read().decode(errors="replace")
                    raise RuntimeError(f"parec stopped at once: {reason}")
                if time.monotonic() > deadline:
                    raise RuntimeError("parec did not start recording within 10 s")
                time.sleep(0.02)
            yield path
        finally:
            _end(recorder)


@contextlib.contextmanager
def private_pulse() -> Iterator[PulseServer]:
    """Starts a private PulseAudio server with a null sink, and ends it (by its pid) afterwards."""
    # A short folder under /tmp: a unix socket's path may not be longer than 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="kindred-pulse-"))
    runtime = folder / "run"
    runtime.mkdir(mode=0o700)
    (folder / "home").mkdir()
    (folder / "client.conf").write_text("autospawn = no\n", encoding="utf-8")
    socket = folder / "native"
    # Nothing of the user's own sound server (or session bus) may leak into the private one.
    private = ("PULSE_", "DBUS_SESSION_BUS_ADDRESS")
    env = {key: value for key, value in os.environ.items() if not key.startswith(private)}
    env.update(
        HOME=str(folder / "home"),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(folder / "home" / ".config"),
        PULSE_RUNTIME_PATH=str(runtime / "pulse"),
        PULSE_STATE_PATH=str(folder / "state"),
        PULSE_CLIENTCONFIG=str(folder / "client.conf"),
    )
    command = [
        "pulseaudio",
        "--daemonize=no",  # in the foreground: the pid is the one this module started
        "-n",  # none of the system's default.pa: only the two modules below
        "--exit-idle-time=-1",
        "--use-pid-file=no",
        "--disable-shm=yes",  # containers often have a tiny /dev/shm
        "--realtime=no",
        "--high-priority=no",
        "--log-target=stderr",
        f"--load=module-null-sink sink_name={SINK}",
        f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
    ]
    log = (folder / "pulseaudio.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = PulseServer(folder, socket, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited with status {process.returncode}: {_tail(folder)}")
            if socket.exists() and SINK in server.pactl("list", "short", "sinks").stdout:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio did not offer its null sink within 10 s: {_tail(folder)}")
            time.sleep(0.05)
        yield server
    finally:
        _end(process)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _end(process: subprocess.Popen) -> None:
    """Ends one process this module started: politely first (parec then finishes its WAV header)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _tail(folder: Path) -> str:
    try:
        return (folder / "pulseaudio.log").read_text(errors="replace")[-2000:]
    except OSError:
        return "(no log)"


def read_recording(path: Path) -> tuple[np.ndarray, int]:
    """The samples (floats in -1..1, mono) and rate of a 16-bit PCM WAV, even one whose header
    was never finished (a recorder that was killed leaves a data size of 0 or of "unknown")."""
    data = path.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path} is not a WAV file")
    position, rate, channels = 12, 0, 1
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        body = position + 8
        if chunk == b"fmt ":
            channels = int.from_bytes(data[body + 2 : body + 4], "little")
            rate = int.from_bytes(data[body + 4 : body + 8], "little")
        elif chunk == b"data":
            end = len(data) if size in (0, 0xFFFFFFFF) or body + size > len(data) else body + size
            frames = (end - body) // (2 * channels) * channels
            samples = np.frombuffer(data, "<i2", count=frames, offset=body).astype(np.float64) / 32768.0
            return samples.reshape(-1, channels).mean(axis=1), rate
        position = body + size + (size & 1)
    raise ValueError(f"{path} has no audio data")


def play_recorded(
    program: str, script_text: str, folder: Path, timeout: float = 90
) -> tuple[subprocess.CompletedProcess, np.ndarray, int]:
    """Runs `program` (Python source, given a script file and a cache folder as its arguments)
    against a private null sink while recording it; returns what it printed and what was heard."""
    import sys

    script, child, capture = folder / "script.md", folder / "child.py", folder / "captured.wav"
    script.write_text(script_text, encoding="utf-8")
    child.write_text(program, encoding="utf-8")
    with private_pulse() as pulse, pulse.record(capture):
        env = pulse.client_env({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        played = subprocess.run(
            [sys.executable, str(child), str(script), str(folder / "cache")],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        time.sleep(0.3)  # the last of the sound reaches the monitor after the program has ended
    samples, rate = read_recording(capture)
    return played, samples, rate
