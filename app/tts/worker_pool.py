"""Speech in worker processes: the parent side shared by every engine that has workers.

Why processes: a voice library can crash on some texts (espeak segfaults, pyttsx3 issue
#448) and a neural model holds hundreds of MB and a core; in a worker a crash costs one retry,
not the user's session, and two workers speak on two cores. Each worker (the protocol is in
app/tts/worker.py; one process as the parent sees it is app/tts/worker_process.py) loads its
voice once and is kept alive between calls. This module hands the utterances out to the
workers, retries one whose worker failed, and gives up cleanly on a cancel or an error.

An engine subclasses WorkerPoolEngine and says what differs: the worker's command, how its
voices are found, the fields of a "say" message, and what to tell the user when none can start.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import tempfile
import threading
import time
import wave
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import paths
from app.leftovers import owned_prefix
from app.tts.engine import NoVoiceError, SpeechCancelled, SpeechError, SpeechRequest, Voice
from app.tts.pace import SAMPLE_SENTENCES, Pace, PaceBook, fit_pace, sample_words, speech_seconds
from app.tts.worker_process import WORKER_NICENESS, Inbox, SpeechJob, WorkerProcess, stop_workers

__all__ = ["WORKER_NICENESS", "WorkerPoolEngine", "SpeechJob"]

# How long the caller's thread blocks at most before it looks at should_cancel again.
_CANCEL_POLL_S = 0.02
# After a cancel or a failure, how long busy workers get to finish their utterance before
# they are killed (killing costs a restart on the next call, finishing costs ~11 ms).
_DRAIN_S = 0.3


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class WorkerPoolEngine:
    """A SpeechEngine whose utterances are spoken by worker processes.

    Not safe for concurrent calls from several threads: calls are serialised by a lock.
    """

    engine_id = "workers"
    #: Two of the engine's own speed settings, far enough apart to measure a voice's pace on.
    PACE_KNOBS: tuple[float, float] = (1.0, 2.0)
    #: The settings a voice is allowed, whatever rate is asked for (beyond them it garbles).
    KNOB_RANGE: tuple[float, float] = (0.0, float("inf"))

    def __init__(
        self,
        worker_command: list[str],
        workers: int | None = None,
        timeout_base: float = 5.0,
        timeout_per_char: float = 0.05,
        start_timeout: float = 20.0,
        pace_book: PaceBook | None = None,
    ) -> None:
        self.max_workers = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
        self.worker_command = list(worker_command)
        self.timeout_base = timeout_base
        self.timeout_per_char = timeout_per_char
        self.start_timeout = start_timeout
        self._workers: list[WorkerProcess] = []
        self._inbox: Inbox = queue.Queue()
        self._voices: list[Voice] | None = None
        self._next_id = 0
        self._lock = threading.RLock()
        self._closed = False
        self.pace_book = pace_book or PaceBook(paths.cache_dir() / "voices" / "pace.json")
        #: The speed setting for each (voice, words per minute) asked for so far.
        self._knobs: dict[tuple[str, int], float] = {}
        # Stop the workers when the engine is collected or the interpreter exits; the
        # callback holds the list, never the engine, so it does not keep it alive.
        self._finalizer = weakref.finalize(self, stop_workers, self._workers)

    # -- what an engine defines ---------------------------------------------------------

    def _slowness(self, knob: float) -> float:
        """The engine's speed setting as a quantity speech time grows in a straight line with."""
        return knob

    def _knob(self, slowness: float) -> float:
        return slowness

    def default_voice(self) -> str:
        raise NotImplementedError

    def _load_voices(self) -> list[Voice]:
        """The voices, found once; by default the first worker is asked for them."""
        return self._ask_voices()

    def _say_fields(self, job: SpeechJob) -> dict[str, Any]:
        """The engine's own fields of a "say" message (voice, speed …)."""
        raise NotImplementedError

    def _job_knob(self, job: SpeechJob) -> float:
        request = job.request
        return request.knob if request.knob is not None else self._knobs[(job.voice, int(request.rate))]

    def _no_voice(self, message: dict[str, Any]) -> NoVoiceError:
        """What to tell the user when a worker says at start that it cannot speak."""
        detail = message.get("error") or "no details"
        return NoVoiceError(f"The voice could not start ({detail}).")

    # -- public API ---------------------------------------------------------------------

    def voices(self) -> list[Voice]:
        with self._lock:
            if self._voices is None:
                self._check_open()
                self._voices = self._load_voices()
            return list(self._voices)

    def cache_identity(self, voice: str) -> str:
        """Everything besides the text and rate that shapes this voice's audio (speech cache keys)."""
        return f"{self.engine_id}:{voice}"

    def pace(self, voice: str) -> Pace:
        """How `voice`'s speech time follows its speed setting: measured once, then kept."""
        with self._lock:
            return self.pace_book.get(self.cache_identity(voice), lambda: self._measure_pace(voice))

    def knob_for(self, voice: str, words_per_minute: int) -> float:
        """The engine's speed setting that makes `voice` speak `words_per_minute`."""
        with self._lock:
            key = (voice, int(words_per_minute))
            if key not in self._knobs:
                wanted = self._knob(self.pace(voice).slowness_for(max(1, words_per_minute)))
                low, high = self.KNOB_RANGE
                self._knobs[key] = min(max(wanted, low), high)
            return self._knobs[key]

    def _measure_pace(self, voice: str) -> Pace:
        points = []
        with tempfile.TemporaryDirectory(prefix=owned_prefix("pace")) as folder:
            for knob in self.PACE_KNOBS:
                requests = [
                    SpeechRequest(text, Path(folder) / f"{knob}-{index}.wav", voice, knob=knob)
                    for index, text in enumerate(SAMPLE_SENTENCES)
                ]
                self.synthesize(requests)
                seconds = sum(speech_seconds(request.out_path) for request in requests)
                points.append((self._slowness(knob), seconds / sample_words()))
        try:
            return fit_pace(points)
        except ValueError as error:
            raise SpeechError(f"The voice “{voice}” could not be measured: {error}.") from None

    def ensure_ready(self) -> None:
        """Start the workers and wait until one has loaded its voice; NoVoiceError if none can."""
        with self._lock:
            self.warm_up()
            deadline = time.monotonic() + self.start_timeout
            while not any(w.ready for w in self._workers):
                if not self._workers:
                    raise NoVoiceError("The voice process stopped while starting.")
                try:
                    worker, message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    self._abandon()
                    raise NoVoiceError(
                        f"The voice did not start within {self.start_timeout:.0f} s. Run `kindred doctor`."
                    ) from None
                self._handle(worker, message)  # a failed hello raises the engine's NoVoiceError
                if message is None and worker in self._workers and not worker.ready:
                    reason = worker.death()
                    self._kill(worker)
                    raise NoVoiceError(f"The voice process failed ({reason}).")

    def warm_up(self) -> None:
        """Start every worker now, so the first utterance does not wait for a voice to load."""
        with self._lock:
            self._check_open()
            self._workers[:] = [w for w in self._workers if not (w.dead or w.proc.poll() is not None)]
            while len(self._workers) < self.max_workers:
                self._start_worker()

    def synthesize(
        self,
        requests: Sequence[SpeechRequest],
        on_done: Callable[[int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        with self._lock:
            self._check_open()
            cancelled = should_cancel or (lambda: False)
            if cancelled():
                raise SpeechCancelled()
            jobs = self._jobs(requests, on_done)
            # Speed settings first: measuring a new voice's pace speaks through these workers too.
            speeds = {(job.voice, int(job.request.rate)) for job in jobs if job.request.knob is None}
            for voice, rate in speeds:
                self.knob_for(voice, rate)
            pending = collections.deque(jobs)
            try:
                self._run(pending, on_done, cancelled)
            except BaseException:
                self._abandon()
                raise

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._finalizer()

    def __enter__(self) -> WorkerPoolEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- synthesis ----------------------------------------------------------------------

    def _jobs(
        self, requests: Sequence[SpeechRequest], on_done: Callable[[int], None] | None
    ) -> list[SpeechJob]:
        """Resolve and check voices before any work starts, so a typo fails at once."""
        jobs = []
        default = self.default_voice() if any(not r.voice for r in requests) else None
        known = {v.id for v in self.voices()} if requests else set()
        for index, request in enumerate(requests):
            voice = request.voice or default
            assert voice is not None
            if voice not in known:
                raise SpeechError(
                    f"There is no voice with the id “{voice}” on this computer. "
                    "Run `kindred voices` to see the voices you can use."
                )
            Path(request.out_path).parent.mkdir(parents=True, exist_ok=True)
            if not request.text.strip():
                # Nothing to say (pyttsx3 refuses empty text): a short silence keeps the
                # request's promise of a WAV file.
                _write_silence(request.out_path, 0.2)
                if on_done:
                    on_done(index)
                continue
            jobs.append(SpeechJob(index, request, voice))
        return jobs

    def _run(
        self,
        pending: collections.deque[SpeechJob],
        on_done: Callable[[int], None] | None,
        cancelled: Callable[[], bool],
    ) -> None:
        while pending or any(w.job for w in self._workers):
            if cancelled():
                raise SpeechCancelled()
            while pending:
                worker = self._idle_worker()
                if worker is None:
                    break
                self._send_job(worker, pending.popleft(), pending)
            now = time.monotonic()
            busy = [w for w in self._workers if w.job]
            wait = min([_CANCEL_POLL_S] + [w.deadline - now for w in busy])
            try:
                worker, message = self._inbox.get(timeout=max(wait, 0.0))
            except queue.Empty:
                pass
            else:
                reply = self._handle(worker, message)
                if reply is not None and worker.job and reply.get("id") == worker.message_id:
                    job, tmp = worker.job, worker.tmp_path
                    worker.job, worker.tmp_path = None, None
                    if reply.get("ok"):
                        assert tmp is not None
                        os.replace(tmp, job.request.out_path)
                        if on_done:
                            on_done(job.index)
                    elif reply.get("kind") == "voice":
                        _remove(tmp)
                        raise SpeechError(
                            f"The voice “{job.voice}” could not be used ({reply.get('error')}). "
                            "Run `kindred voices` to see the voices you can use."
                        )
                    else:
                        # The worker is in an unknown state: start afresh and retry.
                        worker.job, worker.tmp_path = job, tmp
                        self._fail(worker, f"it reported: {reply.get('error')}", pending)
                elif message is None and worker.job:
                    self._fail(worker, worker.death(), pending)
            now = time.monotonic()
            for w in [w for w in self._workers if w.job and now > w.deadline]:
                assert w.job is not None
                self._fail(w, f"it gave no answer within {w.job_timeout:.1f} s", pending)

    def _send_job(self, worker: WorkerProcess, job: SpeechJob, pending: collections.deque[SpeechJob]) -> None:
        out = Path(job.request.out_path)
        tmp = out.with_suffix(f".part-{worker.proc.pid}.wav")
        timeout = self.timeout_base + self.timeout_per_char * len(job.request.text)
        message = {
            "op": "say",
            "text": job.request.text,
            "path": str(tmp),
            "timeout": timeout,
            "postprocess": job.request.postprocess,
            **self._say_fields(job),
        }
        job.attempts += 1
        worker.job, worker.tmp_path, worker.job_timeout = job, tmp, timeout
        # A worker that has not said hello yet gets its start-up time on top; the hello
        # resets the deadline to the utterance's own timeout.
        worker.deadline = time.monotonic() + timeout + (0 if worker.ready else self.start_timeout)
        if not self._post(worker, message):
            self._fail(worker, worker.death(), pending)

    def _fail(self, worker: WorkerProcess, reason: str, pending: collections.deque[SpeechJob]) -> None:
        """Kill the worker that failed a job; retry the job once on a fresh worker."""
        job, tmp, was_ready = worker.job, worker.tmp_path, worker.ready
        worker.job, worker.tmp_path = None, None
        self._kill(worker)
        _remove(tmp)
        if job is None:
            return
        if job.attempts < 2:
            pending.appendleft(job)
            return
        if not was_ready:  # the process never got as far as the text: not the line's fault
            raise SpeechError(
                f"The speech process could not start ({reason}). Run `kindred doctor` to check the "
                "voice installation."
            )
        raise SpeechError(
            f"The voice could not speak the line “{_excerpt(job.request.text)}”: the speech "
            f"process failed twice ({reason}). Try shortening or simplifying this line; if "
            "other lines fail too, run `kindred doctor` to check the voice installation."
        )

    def _abandon(self) -> None:
        """After a cancel or an error: let busy workers finish briefly, publish nothing."""
        deadline = time.monotonic() + _DRAIN_S
        while any(w.job for w in self._workers):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                worker, message = self._inbox.get(timeout=remaining)
            except queue.Empty:
                break
            try:
                reply = self._handle(worker, message)
            except SpeechError:
                reply = None
            if worker.job and (message is None or (reply and reply.get("id") == worker.message_id)):
                if message is None:
                    self._kill(worker)
                _remove(worker.tmp_path)
                worker.job, worker.tmp_path = None, None
        for w in [w for w in self._workers if w.job]:
            tmp = w.tmp_path
            w.job, w.tmp_path = None, None
            self._kill(w)  # waits for the process to end, so nothing writes the file after
            _remove(tmp)

    # -- workers --------------------------------------------------------------------------

    def _idle_worker(self) -> WorkerProcess | None:
        for w in list(self._workers):
            if w.job:
                continue
            if w.dead or w.proc.poll() is not None:
                self._kill(w)  # died while idle: not the fault of any request
                continue
            return w
        if len(self._workers) < self.max_workers:
            return self._start_worker()
        return None

    def _start_worker(self) -> WorkerProcess:
        worker = WorkerProcess.start(self.worker_command, self._inbox)
        self._workers.append(worker)
        return worker

    def _post(self, worker: WorkerProcess, message: dict[str, Any]) -> bool:
        self._next_id += 1
        message["id"] = self._next_id
        return worker.post(message)

    def _handle(self, worker: WorkerProcess, message: dict[str, Any] | None) -> dict[str, Any] | None:
        """Apply a message to the worker's state; return it when it is a reply."""
        if worker not in self._workers:
            return None  # from a worker already killed
        if message is None:
            worker.dead = True
            return None
        if message.get("event") == "hello":
            if not message.get("ok"):
                self._kill(worker)
                raise self._no_voice(message)
            worker.ready = True
            if worker.job:
                worker.deadline = time.monotonic() + worker.job_timeout
            return None
        return message

    def _kill(self, worker: WorkerProcess) -> None:
        worker.kill()
        if worker in self._workers:
            self._workers.remove(worker)

    def _ask_voices(self) -> list[Voice]:
        for attempt in (1, 2):
            worker = self._idle_worker()
            assert worker is not None  # no synthesis is running while the lock is held
            # The voice list comes before any synthesis: let the other workers boot meanwhile,
            # so they are ready when the first utterances are sent.
            while len(self._workers) < self.max_workers:
                self._start_worker()
            deadline = time.monotonic() + self.start_timeout + self.timeout_base
            reason = worker.death() if not self._post(worker, {"op": "voices"}) else None
            while reason is None:
                try:
                    sender, message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    reason = "it gave no answer"
                    break
                reply = self._handle(sender, message)
                if sender is worker and message is None:
                    reason = worker.death()
                elif sender is worker and reply and reply.get("id") == worker.message_id:
                    voices = [Voice(str(i), str(n), str(lang)) for i, n, lang in reply.get("voices") or []]
                    if not voices:
                        raise self._no_voice({"kind": "no-voices", "error": "the voice list is empty"})
                    return voices
            self._kill(worker)
            if attempt == 2:
                raise SpeechError(
                    f"The speech process could not list the voices ({reason}). Run `kindred doctor` "
                    "to check the voice installation."
                )
        raise AssertionError("unreachable")

    def _check_open(self) -> None:
        if self._closed:
            raise SpeechError("This speech engine was closed; create a new one.")


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def _write_silence(path: Path, seconds: float, rate: int = 22050) -> None:
    path = Path(path)
    tmp = path.with_suffix(f".part-{os.getpid()}.wav")
    with wave.open(str(tmp), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\0\0" * int(seconds * rate))
    os.replace(tmp, path)
