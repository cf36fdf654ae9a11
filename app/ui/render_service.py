"""Rendering off the UI thread: progress and the result or the error come back as signals."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from app.errors import KindredError
from app.render import RenderCancelled, RenderResult, render_session
from app.script import Script
from app.tts import SpeechEngine


@dataclass(frozen=True)
class RenderRequest:
    script: Script
    length: float | None
    voice: str | None
    rate: int
    cache_root: Path | None = None


class RenderTask(QObject):
    """One render; its signals arrive on the thread that created it (the UI thread)."""

    progress = Signal(float, str)
    finished = Signal(object)  # RenderResult
    failed = Signal(str, str)  # title, explanation
    cancelled = Signal()

    # The pool thread emits these; they reach the public signals above through the event loop.
    # A cached render can finish before whoever called RenderService.start has connected to
    # `finished`, and a signal emitted with nobody connected is lost. These are connected
    # before the render starts, so the result always arrives, one event-loop turn later.
    _progress_from_pool = Signal(float, str)
    _finished_from_pool = Signal(object)
    _failed_from_pool = Signal(str, str)
    _cancelled_from_pool = Signal()

    def __init__(self, request: RenderRequest, engine: SpeechEngine):
        super().__init__()
        self.request = request
        self._engine = engine
        self._cancel = threading.Event()
        self.done = False
        queued = Qt.ConnectionType.QueuedConnection
        self._progress_from_pool.connect(self.progress, queued)
        self._finished_from_pool.connect(self.finished, queued)
        self._failed_from_pool.connect(self.failed, queued)
        self._cancelled_from_pool.connect(self.cancelled, queued)
        self.finished.connect(self._mark_done)
        self.failed.connect(self._mark_done)
        self.cancelled.connect(self._mark_done)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _mark_done(self, *args: object) -> None:
        self.done = True

    def run(self) -> None:
        """Runs on a pool thread; touches no widget, only emits."""
        request = self.request
        try:
            result: RenderResult = render_session(
                request.script,
                self._engine,
                length=request.length,
                voice=request.voice,
                rate=request.rate,
                cache_root=request.cache_root,
                progress=lambda fraction, stage: self._progress_from_pool.emit(fraction, stage),
                should_cancel=self._cancel.is_set,
            )
        except RenderCancelled:
            self._cancelled_from_pool.emit()
        except KindredError as error:
            self._failed_from_pool.emit(error.title, error.explanation)
        except Exception as error:  # a bug must still reach the window as a message, not kill a thread
            self._failed_from_pool.emit(
                "The session could not be prepared", f"{type(error).__name__}: {error}"
            )
        else:
            self._finished_from_pool.emit(result)


class _Runner(QRunnable):
    def __init__(self, task: RenderTask):
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task.run()


class RenderService(QObject):
    """Starts renders on a thread pool of its own; one speech engine serves them all."""

    def __init__(self, engine: SpeechEngine, parent: QObject | None = None):
        super().__init__(parent)
        self.engine = engine
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # renders share the voice workers: one at a time
        self._tasks: list[RenderTask] = []

    def start(self, request: RenderRequest) -> RenderTask:
        task = RenderTask(request, self.engine)
        self._tasks = [t for t in self._tasks if not t.done] + [task]
        self.pool.start(_Runner(task))
        return task

    def cancel_all(self) -> None:
        for task in self._tasks:
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
