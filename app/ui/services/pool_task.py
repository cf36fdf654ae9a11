"""Long work (a render, an export) on a thread pool, reporting to the UI thread by signals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from app.errors import KindredError
from app.render import RenderCancelled

Progress = Callable[[float, str], None]


class PoolTask(QObject):
    """One piece of work; its public signals arrive on the thread that created it (the UI thread).

    Subclasses implement `work`, which runs on a pool thread, touches no widget, and may raise
    RenderCancelled (cancelled), a KindredError (shown to the person) or anything else (a bug,
    still shown as a message rather than killing the thread).
    """

    progress = Signal(float, str)
    finished = Signal(object)  # the work's result
    failed = Signal(str, str)  # title, explanation
    cancelled = Signal()

    # The pool thread emits these; they reach the public signals above through the event loop.
    # Quick work (a cached render) can finish before whoever started it has connected to
    # `finished`, and a signal emitted with nobody connected is lost. These are connected
    # before the work starts, so the result always arrives, one event-loop turn later.
    _progress_from_pool = Signal(float, str)
    _finished_from_pool = Signal(object)
    _failed_from_pool = Signal(str, str)
    _cancelled_from_pool = Signal()

    #: The title of the message when the work fails with an unexpected error.
    failure_title = "Something went wrong"

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.done = False
        queued = Qt.ConnectionType.QueuedConnection
        self._progress_from_pool.connect(self.progress, queued)
        self._finished_from_pool.connect(self.finished, queued)
        self._failed_from_pool.connect(self.failed, queued)
        self._cancelled_from_pool.connect(self.cancelled, queued)
        for signal in (self.finished, self.failed, self.cancelled):
            signal.connect(self._mark_done)

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> Any:
        """The work itself, on the pool thread; every subclass defines it (QObject cannot be an ABC)."""
        raise NotImplementedError(f"{type(self).__name__} must define work()")

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start_on(self, pool: QThreadPool) -> None:
        pool.start(_Runner(self))

    def start(self) -> None:
        """On the window's shared pool: short work (a voice warming up, a sound or a CSV read)."""
        self.start_on(QThreadPool.globalInstance())

    def _mark_done(self, *args: object) -> None:
        self.done = True

    def run(self) -> None:
        """Runs on a pool thread; only emits."""
        try:
            result = self.work(
                lambda fraction, stage: self._progress_from_pool.emit(fraction, stage), self._cancel.is_set
            )
        except RenderCancelled:
            self._cancelled_from_pool.emit()
        except KindredError as error:
            self._failed_from_pool.emit(error.title, error.explanation)
        except Exception as error:  # a bug must still reach the window as a message, not kill a thread
            self._failed_from_pool.emit(self.failure_title, f"{type(error).__name__}: {error}")
        else:
            self._finished_from_pool.emit(result)


class _Runner(QRunnable):
    def __init__(self, task: PoolTask):
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task.run()


class CallTask(PoolTask):
    """Any quick-ish call off the UI thread (adding a voice loads and tries it): its result or
    its KindredError come back as finished / failed."""

    def __init__(self, call: Callable[[], Any], failure_title: str = "Something went wrong") -> None:
        super().__init__()
        self.call = call
        self.failure_title = failure_title

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> Any:
        return self.call()


def one_at_a_time_pool(parent: QObject) -> QThreadPool:
    """A pool of one thread owned by `parent`: long work (an export) that must not run beside
    another of its kind, nor take the shared pool's threads from the window's short work."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool
