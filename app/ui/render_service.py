"""Rendering off the UI thread: progress and the result or the error come back as signals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool

from app.render import RenderResult, render_session
from app.script import Script
from app.tts import SpeechEngine
from app.ui.pool_task import PoolTask, Progress


@dataclass(frozen=True)
class RenderRequest:
    script: Script
    length: float | None
    voice: str | None
    rate: int
    cache_root: Path | None = None


class RenderTask(PoolTask):
    """One render; its signals arrive on the UI thread (see PoolTask)."""

    failure_title = "The session could not be prepared"

    def __init__(self, request: RenderRequest, engine: SpeechEngine):
        super().__init__()
        self.request = request
        self._engine = engine

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> RenderResult:
        request = self.request
        return render_session(
            request.script,
            self._engine,
            length=request.length,
            voice=request.voice,
            rate=request.rate,
            cache_root=request.cache_root,
            progress=progress,
            should_cancel=should_cancel,
        )


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
        task.start_on(self.pool)
        return task

    def cancel_all(self) -> None:
        for task in self._tasks:
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
