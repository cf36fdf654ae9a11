"""One speech worker process, as the parent sees it: starting it, reading its replies, sending
it a message, and ending it (the worker's side of the protocol is app/tts/worker.py).

A reader thread per worker turns its replies into (worker, message) on one queue, which works
with pipes on every platform (select() does not on Windows) and wakes the caller as soon as a
reply arrives; None as the message means the worker's output ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import site
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from app.tts.engine import SpeechError, SpeechRequest

# Speech workers run this much "nicer" than Kindred itself (0 = the same, 19 = the least).
WORKER_NICENESS = 10

#: Where the readers put what the workers say: (worker, message, or None at the end).
Inbox = queue.Queue[tuple["WorkerProcess", Any]]


@dataclass
class SpeechJob:
    """One request of a synthesize() call, with the voice it resolved to."""

    index: int  # the request's place in the call, for on_done
    request: SpeechRequest
    voice: str
    attempts: int = 0


@dataclass(eq=False)
class WorkerProcess:
    """A running worker and what the pool knows of it: whether it has loaded its voice, the job
    it is speaking and by when it must answer."""

    proc: subprocess.Popen[bytes]
    ready: bool = False  # it said hello: its voice is loaded
    dead: bool = False
    job: SpeechJob | None = None
    message_id: int = 0  # of the last message sent; its reply carries the same
    job_timeout: float = 0.0
    deadline: float = 0.0
    tmp_path: Path | None = None  # where the job's audio is being written

    @classmethod
    def start(cls, command: list[str], inbox: Inbox) -> WorkerProcess:
        """Starts `command` as a worker whose replies arrive in `inbox`; SpeechError if it cannot."""
        env = dict(os.environ)
        root = _worker_import_root()
        if root:
            env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                # A GUI app must not flash a console window per worker on Windows.
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError as exc:
            raise SpeechError(
                f"The speech process could not be started ({exc}). Run `kindred doctor` to check "
                "the installation."
            ) from exc
        # The voice works ahead of the listener: it may wait for the sound and the window, which
        # must not wait for it (on 2 cores, two busy workers otherwise delay the sound's thread).
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, proc.pid, WORKER_NICENESS)
        worker = cls(proc)
        assert proc.stdout is not None
        threading.Thread(
            target=_read_replies,
            args=(worker, proc.stdout, inbox),
            name="kindred-tts-reader",
            daemon=True,
        ).start()
        return worker

    def post(self, message: dict[str, Any]) -> bool:
        """Sends one message (a line of JSON); False when the worker can no longer be written to."""
        self.message_id = message["id"]
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(message).encode("ascii") + b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            return False
        return True

    def kill(self) -> None:
        """Ends the process now and waits for it, so nothing it does comes after."""
        self.dead = True
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin:
                self.proc.stdin.close()

    def death(self) -> str:
        """How the process ended (or that it hangs), for a message."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2)
        code = self.proc.returncode
        if code is None:
            how = "it stopped answering"
        elif code < 0:
            how = f"it crashed with signal {-code}"
        else:
            how = f"it stopped with exit code {code}"
        return how if self.ready else how + " while starting"


def stop_workers(workers: list[WorkerProcess], grace: float = 0.5) -> None:
    """Ask every worker to end (EOF on its input), kill those that do not in time."""
    for w in workers:
        with contextlib.suppress(OSError, ValueError):
            if w.proc.stdin:
                w.proc.stdin.close()
    deadline = time.monotonic() + grace
    for w in workers:
        try:
            w.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            w.proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                w.proc.wait(2)
        w.dead = True
    workers.clear()


def _read_replies(worker: WorkerProcess, stream: IO[bytes], inbox: Inbox) -> None:
    """Reader thread: every line the worker writes becomes (worker, message); EOF is None."""
    try:
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not protocol: ignore rather than guess
            if isinstance(message, dict):
                inbox.put((worker, message))
    except (OSError, ValueError):
        pass
    # Closed here, not by the killer: closing a buffered pipe another thread is reading
    # from can block until that read returns.
    with contextlib.suppress(OSError):
        stream.close()
    inbox.put((worker, None))


def _worker_import_root() -> str | None:
    """The folder `app` was imported from, when a child Python would not find it by itself.

    An installed copy (a wheel, pipx, an editable install) is found by every child through
    site-packages; putting site-packages on PYTHONPATH would even place it before the standard
    library. Only `app` run from a plain folder (`python -m app` in an uninstalled source tree)
    is found through the current directory, which the worker does not share.
    """
    import app

    root = Path(app.__file__).resolve().parent.parent
    site_dirs = {Path(p).resolve() for p in (*site.getsitepackages(), site.getusersitepackages())}
    return None if root in site_dirs else str(root)
