"""Export a session as an audio file: the format, the length, the background, where to save it.

The export itself (`app.render.export.export_session`) runs on a pool thread; its progress,
result or error come back as signals. While it runs the dialog shows a progress bar and a
Cancel button; afterwards it says where the files are, or what went wrong and what to do.
It never closes while an export is running: closing asks the export to stop and closes once
it has (cancelled exports leave nothing behind).

The dialog is put together from its parts: the questions (`export_form`), the progress and
messages under them (`export_progress`), the finished page (`export_done`) and the running
export (`export_task`). File names are `app.render.export_naming`'s.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from app import paths
from app.render.export import FORMATS, ExportRequest, ExportResult
from app.render.export_naming import existing_outputs, format_suffix, with_format_suffix
from app.script import Script
from app.tts import SpeechEngine
from app.ui.dialogs.export_done import ExportDone
from app.ui.dialogs.export_form import FORMAT_CHOICES, ExportForm
from app.ui.dialogs.export_labels import plain_label
from app.ui.dialogs.export_progress import ExportMessage, ExportStatus
from app.ui.dialogs.export_task import ExportTask
from app.ui.services.pool_task import one_at_a_time_pool
from app.ui.widgets.basics import button


class ExportDialog(QDialog):
    """Export one script; `start_export` (the Export button) runs it, `cancel_export` stops it.

    The questions it asks (replace a file? which file?) are the methods `ask_replace` and
    `choose_target`, so a test can answer them without a dialog.
    """

    exportFinished = Signal(object)  # ExportResult
    exportFailed = Signal(str, str)  # title, explanation
    exportCancelled = Signal()

    def __init__(
        self,
        script: Script,
        engine: SpeechEngine,
        *,
        length: float | None,
        voice: str | None,
        rate: int,
        ambience: str | None,
        ambience_volume: float = 0.5,
        fmt: str = "mp3",
        folder: Path | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        # No fixed minimum width: the layout's own minimum keeps every line whole.
        self.script = script
        self.engine = engine
        self.voice = voice
        self.rate = rate
        self.ambience_volume = ambience_volume
        self.folder = folder or paths.music_dir()
        # Shadows QDialog.result() (the accept/reject code, unused here): callers and tests read
        # the export's result under this name.
        self.export_result: ExportResult | None = None
        #: The largest share of the work the export has reported (1.0 when it completed).
        self.max_progress = 0.0
        self._task: ExportTask | None = None
        self._close_when_done = False
        self.pool = one_at_a_time_pool(self)

        self._column = layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        self.intro = plain_label(
            "Save the session as an audio file to hear on a phone, in the car or on a walk.",
            "exportIntro",
            wrap=True,
        )
        layout.addWidget(plain_label(f"Export “{script.meta.title}”", "exportHeading", wrap=True))
        layout.addWidget(self.intro)
        # Two pages, one hidden; not a stacked widget, which would keep the short finished page
        # as tall as the form.
        self.form_page = self._build_form_page(length, ambience, fmt if fmt in FORMATS else "mp3")
        self.done_page = self._build_done_page()
        self.done_page.hide()
        layout.addWidget(self.form_page, 1)
        layout.addWidget(self.done_page, 1)
        self._expose_controls()

    # -- building -----------------------------------------------------------------------

    def _build_form_page(self, length: float | None, ambience: str | None, fmt: str) -> QWidget:
        """The questions; under them the progress or a message, when there is one; then the buttons."""
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(12)
        self.form = ExportForm(
            self.script.meta.title,
            self.script.meta.durations,
            length=length,
            ambience=ambience,
            ambience_volume=self.ambience_volume,
            fmt=fmt,
            folder=self.folder,
        )
        self.form.choose_button.clicked.connect(self._choose)
        self.status = ExportStatus()
        self.status.cancel_button.clicked.connect(self.cancel_export)
        self.status.hide()
        self.message = ExportMessage()
        self.message.hide()
        self.close_button = button("Close", "Close", "Close without exporting", self.reject)
        self.export_button = button(
            "Export", "Export", "Save the session as an audio file", self.start_export, "primaryButton"
        )
        self.export_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        column.addWidget(self.form)
        column.addWidget(self.status)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addLayout(buttons)
        return page

    def _build_done_page(self) -> ExportDone:
        page = ExportDone()
        page.open_folder_button.clicked.connect(self.open_folder)
        page.done_button.clicked.connect(self.accept)
        return page

    def _expose_controls(self) -> None:
        """The controls callers and tests reach for, on the dialog where they always were."""
        self.format_buttons = self.form.format_buttons
        self.length_picker = self.form.length_picker
        self.ambience_check = self.form.ambience_check
        self.ambience_picker = self.form.ambience_picker
        self.ambience_note = self.form.ambience_note
        self.target_field = self.form.target_field
        self.choose_button = self.form.choose_button
        self.progress = self.status.progress
        self.cancel_button = self.status.cancel_button
        self.done_folder = self.done_page.done_folder
        self.done_files = self.done_page.done_files
        self.open_folder_button = self.done_page.open_folder_button
        self.done_button = self.done_page.done_button

    # -- choices --------------------------------------------------------------------------

    def format(self) -> str:
        return self.form.format()

    def set_format(self, fmt: str) -> None:
        self.form.set_format(fmt)

    def length(self) -> float | None:
        return self.form.length()

    def ambience(self) -> str:
        """The background to mix in: a sound's name, or "none"."""
        return self.form.ambience()

    def target(self) -> Path | None:
        return self.form.target()

    def set_target(self, path: Path) -> None:
        self.form.set_target(path)

    def _choose(self) -> None:
        suggested = self.target() or self.folder / self.form.suggested_name(self.format())
        chosen = self.choose_target(suggested)
        if chosen is not None:
            self.set_target(with_format_suffix(chosen, self.format()))

    def choose_target(self, suggested: Path) -> Path | None:
        """The save dialog; replaced in tests. Kindred asks about an existing file itself."""
        fmt = self.format()
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Export as",
            str(suggested),
            f"{FORMAT_CHOICES[fmt].name} audio (*{format_suffix(fmt)})",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return Path(chosen) if chosen else None

    def ask_replace(self, target: Path, existing: list[Path]) -> bool:
        """Whether to replace files already there; replaced in tests so that none ever waits."""
        names = "”, “".join(path.name for path in existing)
        answer = QMessageBox.question(
            self,
            "Replace the existing file?",
            f"“{names}” already {'exists' if len(existing) == 1 else 'exist'} in {target.parent}. "
            "Replace with this export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- exporting ------------------------------------------------------------------------

    def is_exporting(self) -> bool:
        return self._task is not None

    def start_export(self) -> bool:
        """Check the target, ask before replacing, then export on a pool thread; False if not started."""
        if self._task is not None:
            return False
        target = self.target()
        if target is None:
            self.show_message("Choose where to save", "Type a file name, or press Choose… to pick one.")
            return False
        fixed = with_format_suffix(target, self.format())
        if fixed != target:
            target = fixed
            self.set_target(target)
        existing = existing_outputs(target)
        if existing and not self.ask_replace(target, existing):
            self.show_message(
                "Nothing was replaced", "Choose another name or folder, then export again.", error=False
            )
            return False
        self._run(self._request(target, overwrite=bool(existing)))
        return True

    def _request(self, target: Path, overwrite: bool) -> ExportRequest:
        return ExportRequest(
            script=self.script,
            length=self.length(),
            voice=self.voice,
            rate=self.rate,
            ambience=self.ambience(),
            format=self.format(),
            target=target,
            ambience_volume=self.ambience_volume,
            overwrite=overwrite,
        )

    def _run(self, request: ExportRequest) -> None:
        task = ExportTask(request, self.engine)
        self._task = task
        task.progress.connect(self._on_progress)
        # Each handler is told which task spoke: a late signal from an earlier export is ignored.
        task.finished.connect(lambda result: self._on_finished(task, result))
        task.failed.connect(lambda title, text: self._on_failed(task, title, text))
        task.cancelled.connect(lambda: self._on_cancelled(task))
        self.export_result = None
        self.max_progress = 0.0
        self.status.begin()
        self._set_busy(True)
        task.start_on(self.pool)

    def cancel_export(self) -> None:
        if self._task is not None and not self._task.is_cancelled():
            self._task.cancel()
            self.status.show_stopping()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    def _set_busy(self, busy: bool) -> None:
        self.form.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        self.status.setVisible(busy)
        if busy:
            self.message.hide()
        self._fit()

    def _fit(self) -> None:
        """Grow to show a progress bar or a message: Qt does not keep a window with wrapping
        labels (height-for-width) at its minimum height, and squeezes the form instead."""
        layout = self._column
        layout.activate()
        wanted = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def _on_progress(self, fraction: float, stage: str) -> None:
        self.max_progress = max(self.max_progress, fraction)
        stopping = self._task is not None and self._task.is_cancelled()
        # Once stopping, "Stopping…" stays: the export's later stages are not what happens now.
        self.status.show_progress(fraction, None if stopping else stage)

    def _ended(self, task: ExportTask) -> bool:
        """Whether `task` is the export under way; if so it is over and the form is back."""
        if task is not self._task:
            return False
        self._task = None
        self._set_busy(False)
        return True

    def _close_if_asked(self) -> None:
        if self._close_when_done:
            super().reject()

    def _on_finished(self, task: ExportTask, result: ExportResult) -> None:
        if not self._ended(task):
            return
        self.export_result = result
        self.status.show_complete()
        self._show_done(result)
        self.exportFinished.emit(result)
        self._close_if_asked()

    def _on_failed(self, task: ExportTask, title: str, explanation: str) -> None:
        if not self._ended(task):
            return
        self.show_message(title, explanation)
        self.exportFailed.emit(title, explanation)
        self._close_if_asked()

    def _on_cancelled(self, task: ExportTask) -> None:
        if not self._ended(task):
            return
        self.show_message("Export cancelled", "Nothing was saved.", error=False)
        self.exportCancelled.emit()
        self._close_if_asked()

    def show_message(self, title: str, explanation: str, error: bool = True) -> None:
        self.message.say(title, explanation, error)
        self._fit()

    def message_shown(self) -> str:
        """The message on screen, title and explanation, or "" when there is none."""
        return self.message.shown()

    # -- done -----------------------------------------------------------------------------

    def _show_done(self, result: ExportResult) -> None:
        self.done_page.show_result(result)
        self.intro.hide()
        self.form_page.hide()
        self.done_page.show()
        # Shrink to the short finished page (_fit only grows).
        self._column.activate()
        self.resize(self.width(), self._column.totalHeightForWidth(self.width()))
        self.done_button.setFocus()

    def open_folder(self) -> bool:
        if self.export_result is None:
            return False
        folder = self.export_result.audio.parent
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        self.done_page.show_no_file_manager(folder)
        return False

    # -- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, Close or the window's ✕: while exporting, stop first and close once stopped."""
        if self._task is not None:
            self._close_when_done = True
            self.cancel_export()
            return
        super().reject()
