"""One export running on a pool thread, reporting to the dialog by signals (see PoolTask)."""

from __future__ import annotations

from collections.abc import Callable

from app.render.export import ExportRequest, ExportResult, export_session
from app.tts import SpeechEngine
from app.ui.services.pool_task import PoolTask, Progress


class ExportTask(PoolTask):
    """Exports `request` with `engine`; `finished` carries the ExportResult."""

    failure_title = "The session could not be exported"

    def __init__(self, request: ExportRequest, engine: SpeechEngine):
        super().__init__()
        self.request = request
        self._engine = engine

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> ExportResult:
        return export_session(self.request, self._engine, progress=progress, should_cancel=should_cancel)
