"""Export a session as an audio file: the format, the length, the background, where to save it.

The export itself (`app.render.export.export_session`) runs on a pool thread; its progress,
result or error come back as signals. While it runs the dialog shows a progress bar and a
Cancel button; afterwards it says where the files are, or what went wrong and what to do.
It never closes while an export is running: closing asks the export to stop and closes once
it has (cancelled exports leave nothing behind).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.history import Store
from app.render.cache_limit import LIMIT_SETTING, trim_soon
from app.render.export import FORMATS, ExportRequest, ExportResult, caption_paths, export_session
from app.render.sounds import ambience_names
from app.script import Script, format_duration
from app.tts import DEFAULT_RATE_WPM, SpeechEngine
from app.ui.services.pool_task import PoolTask, Progress
from app.ui.widgets.ambience_choice import sound_label
from app.ui.widgets.basics import labelled

#: The formats as offered: the name shown, the file suffix, and one line on when to pick it.
FORMAT_CHOICES: dict[str, tuple[str, str, str]] = {
    "mp3": ("MP3", ".mp3", "Plays everywhere: phones, cars, any music player."),
    "opus": ("Opus", ".opus", "The smallest file for the same sound; newer players."),
    "flac": ("FLAC", ".flac", "Lossless and larger: the copy to keep."),
    "wav": ("WAV", ".wav", "Uncompressed and largest: for editing the sound."),
}
#: Suffixes a typed file name may already carry; any of them is swapped for the chosen format's.
AUDIO_SUFFIXES = {".mp3", ".opus", ".ogg", ".oga", ".flac", ".wav"}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def length_label(seconds: float | None) -> str:
    if seconds is None:
        return "Natural"
    return f"{round(seconds / 60)} min" if seconds >= 60 and seconds % 60 == 0 else format_duration(seconds)


def suggested_name(title: str, length: float | None, fmt: str) -> str:
    """A file name from the title (and the length, so two lengths do not collide) safe on every system."""
    stem = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .") or "Meditation"
    if length is not None:
        stem += f" - {length_label(length)}"
    return stem + FORMAT_CHOICES[fmt][1]


def with_format_suffix(path: Path, fmt: str) -> Path:
    """`path` ending as the format's files do: a known audio suffix is swapped, none is added."""
    suffix = FORMAT_CHOICES[fmt][1]
    if path.suffix.lower() in AUDIO_SUFFIXES:
        if fmt == "opus" and path.suffix.lower() in (".ogg", ".oga"):
            return path  # Ogg Opus: both names are right
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


class ExportTask(PoolTask):
    """One export; its signals arrive on the UI thread (see PoolTask)."""

    failure_title = "The session could not be exported"

    def __init__(self, request: ExportRequest, engine: SpeechEngine):
        super().__init__()
        self.request = request
        self._engine = engine

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> ExportResult:
        return export_session(self.request, self._engine, progress=progress, should_cancel=should_cancel)


def _plain_label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    # Titles and paths are the user's own: never read as rich text.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def _panel(name: str, bottom: int, spacing: int) -> tuple[QFrame, QVBoxLayout]:
    """A styled frame for a passing state (the progress, a message) and its column."""
    frame = QFrame()
    frame.setObjectName(name)
    column = QVBoxLayout(frame)
    column.setContentsMargins(14, 10, 14, bottom)
    column.setSpacing(spacing)
    return frame, column


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
        self.result: ExportResult | None = None
        #: The largest share of the work the export has reported (1.0 when it completed).
        self.max_progress = 0.0
        self._task: ExportTask | None = None
        self._close_when_done = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        heading = _plain_label(f"Export “{script.meta.title}”", "exportHeading", wrap=True)
        self.intro = intro = _plain_label(
            "Save the session as an audio file to hear on a phone, in the car or on a walk.",
            "exportIntro",
            wrap=True,
        )
        layout.addWidget(heading)
        layout.addWidget(intro)
        # Two pages, one hidden; not a stacked widget, which would keep the short finished page
        # as tall as the form.
        self.form_page = self._build_form_page(length, ambience, fmt if fmt in FORMATS else "mp3")
        self.done_page = self._build_done_page()
        self.done_page.hide()
        layout.addWidget(self.form_page, 1)
        layout.addWidget(self.done_page, 1)

    # -- building -----------------------------------------------------------------------

    def _build_form_page(self, length: float | None, ambience: str | None, fmt: str) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 4, 0, 0)
        outer.setSpacing(12)
        self.form = QWidget()
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)

        formats = QGridLayout()
        formats.setHorizontalSpacing(14)
        formats.setVerticalSpacing(6)
        self.format_group = QButtonGroup(self)
        self.format_group.setExclusive(True)
        self.format_buttons: dict[str, QPushButton] = {}
        for row, key in enumerate(FORMATS):
            name, _suffix, hint = FORMAT_CHOICES[key]
            # Pills, as the timer's lengths: radio circles all but vanish in the dark theme.
            button = labelled(QPushButton(name), f"Format {name}", hint)
            button.setObjectName("formatChoice")
            button.setCheckable(True)
            button.setMinimumWidth(76)
            hint_label = _plain_label(hint, "formatHint")
            hint_label.setBuddy(button)
            self.format_group.addButton(button, row)
            self.format_buttons[key] = button
            formats.addWidget(button, row, 0)
            formats.addWidget(hint_label, row, 1)
        formats.setColumnStretch(1, 1)
        self.format_buttons[fmt].setChecked(True)
        self.format_group.idToggled.connect(self._on_format_toggled)
        format_label = self._field_label("Format")
        format_label.setContentsMargins(0, 5, 0, 0)  # level with the first pill's text
        grid.addWidget(format_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(formats, 0, 1)

        self.length_picker = labelled(QComboBox(), "Length", "How long the exported session lasts")
        offered: list[float | None] = list(self.script.meta.durations) or [None]
        if length is not None and length not in offered:
            offered.append(length)
        for seconds in offered:
            # Written as the player and the library write lengths.
            self.length_picker.addItem("Natural" if seconds is None else format_duration(seconds), seconds)
        self.length_picker.setCurrentIndex(max(0, self.length_picker.findData(length)))
        self.length_picker.setEnabled(len(offered) > 1)
        self.length_picker.currentIndexChanged.connect(self._on_length_changed)
        length_row = QHBoxLayout()
        length_row.addWidget(self.length_picker)
        length_row.addStretch(1)
        grid.addWidget(self._field_label("Length", self.length_picker), 1, 0)
        grid.addLayout(length_row, 1, 1)

        names = ambience_names()
        self.ambience_check = labelled(
            QCheckBox("Include"),
            "Include the background sound",
            "Mix the background sound under the voice, at the player's background volume",
        )
        self.ambience_picker = labelled(QComboBox(), "Background sound", "The sound under the voice")
        for name in names:
            self.ambience_picker.addItem(sound_label(name), name)
        if ambience in names:
            self.ambience_picker.setCurrentIndex(self.ambience_picker.findData(ambience))
        self.ambience_check.setChecked(ambience in names)
        self.ambience_check.setEnabled(bool(names))
        self.ambience_picker.setEnabled(self.ambience_check.isChecked())
        self.ambience_check.toggled.connect(self.ambience_picker.setEnabled)
        self.ambience_note = _plain_label(
            f"Mixed under the voice at {round(self.ambience_volume * 100)}% volume, as in the player."
            if names
            else "No background sounds are installed.",
            "exportNote",
            wrap=True,
        )
        ambience_row = QHBoxLayout()
        ambience_row.setSpacing(10)
        ambience_row.addWidget(self.ambience_check)
        ambience_row.addWidget(self.ambience_picker)
        ambience_row.addStretch(1)
        self.ambience_picker.setVisible(bool(names))
        grid.addWidget(self._field_label("Background"), 2, 0)
        grid.addLayout(ambience_row, 2, 1)
        grid.addWidget(self.ambience_note, 3, 1)

        self.target_field = labelled(
            QLineEdit(), "Save as", "The audio file to write; the captions are saved beside it"
        )
        self.target_field.setObjectName("exportTarget")
        self.target_field.setMinimumWidth(380)  # room for most of a path and a title
        self._auto_target = self.folder / self._suggested_name(fmt)
        self.target_field.setText(str(self._auto_target))
        self.target_field.setCursorPosition(0)
        self.choose_button = labelled(
            QPushButton("Choose…"), "Choose where to save", "Choose the folder and file name"
        )
        self.choose_button.clicked.connect(self._choose)
        target_row = QHBoxLayout()
        target_row.setSpacing(8)
        target_row.addWidget(self.target_field, 1)
        target_row.addWidget(self.choose_button)
        grid.addWidget(self._field_label("Save as", self.target_field), 4, 0)
        grid.addLayout(target_row, 4, 1)
        self.captions_note = _plain_label(
            "Captions are saved beside it as .vtt and .srt files with the same name; "
            "chapters and tags go into the audio file where the format allows.",
            "exportNote",
            wrap=True,
        )
        grid.addWidget(self.captions_note, 5, 1)
        outer.addWidget(self.form)

        # While exporting: what is being done, how far, and the way to stop.
        self.status, status = _panel("exportStatus", 12, 8)
        self.stage_label = _plain_label("", "exportStage", wrap=True)
        self.progress = labelled(QProgressBar(), "Export progress", "How far the export has come")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = labelled(QPushButton("Cancel"), "Cancel the export", "Stop; nothing is saved")
        self.cancel_button.clicked.connect(self.cancel_export)
        progress_row = QHBoxLayout()
        progress_row.setSpacing(12)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        status.addWidget(self.stage_label)
        status.addLayout(progress_row)
        self.status.hide()
        outer.addWidget(self.status)

        # After a problem, a cancel or a refusal to replace: what happened and what to do.
        self.message, message = _panel("exportMessage", 10, 4)
        self.message_title = _plain_label("", "exportMessageTitle", wrap=True)
        self.message_text = _plain_label("", "exportMessageText", wrap=True)
        self.message_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message.addWidget(self.message_title)
        message.addWidget(self.message_text)
        self.message.hide()
        outer.addWidget(self.message)
        outer.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = labelled(QPushButton("Close"), "Close", "Close without exporting")
        self.close_button.clicked.connect(self.reject)
        self.export_button = labelled(QPushButton("Export"), "Export", "Save the session as an audio file")
        self.export_button.setObjectName("primaryButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        outer.addLayout(buttons)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(10)
        self.done_heading = _plain_label("Saved", "exportDoneHeading")
        self.done_text = _plain_label("", "exportDoneText", wrap=True)
        self.done_folder = _plain_label("", "exportFolder", wrap=True)
        self.done_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_folder.setAccessibleName("Folder")
        self.done_files = _plain_label("", "exportFiles", wrap=True)
        self.done_files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_files.setAccessibleName("Files")
        self.open_problem = _plain_label("", "exportNote", wrap=True)
        self.open_problem.hide()
        for widget in (
            self.done_heading,
            self.done_text,
            self.done_folder,
            self.done_files,
            self.open_problem,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_folder_button = labelled(
            QPushButton("Open folder"), "Open folder", "Show the exported files in your file manager"
        )
        self.open_folder_button.clicked.connect(self.open_folder)
        self.done_button = labelled(QPushButton("Done"), "Done", "Close this window")
        self.done_button.setObjectName("primaryButton")
        self.done_button.clicked.connect(self.accept)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        return page

    @staticmethod
    def _field_label(text: str, buddy: QWidget | None = None) -> QLabel:
        label = _plain_label(text, "exportField")
        if buddy is not None:
            label.setBuddy(buddy)
        return label

    # -- choices --------------------------------------------------------------------------

    def format(self) -> str:
        return FORMATS[self.format_group.checkedId()]

    def set_format(self, fmt: str) -> None:
        self.format_buttons[fmt].setChecked(True)

    def length(self) -> float | None:
        return self.length_picker.currentData()

    def _suggested_name(self, fmt: str) -> str:
        return suggested_name(self.script.meta.title, self.length(), fmt)

    def ambience(self) -> str:
        """The background to mix in: a sound's name, or "none"."""
        if self.ambience_check.isChecked() and self.ambience_picker.currentData():
            return str(self.ambience_picker.currentData())
        return "none"

    def target(self) -> Path | None:
        text = self.target_field.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        # A bare name is saved in the export folder, not wherever the app was started.
        return path if path.is_absolute() else self.folder / path

    def set_target(self, path: Path) -> None:
        self.target_field.setText(str(path))
        self.target_field.setCursorPosition(0)

    def _on_format_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        target = self.target()
        if target is not None:
            renamed = with_format_suffix(target, self.format())
            if target == self._auto_target:
                self._auto_target = renamed
            self.set_target(renamed)

    def _on_length_changed(self, _index: int) -> None:
        # A name Kindred suggested follows the length; one the person typed is theirs.
        if self.target() == self._auto_target:
            self._auto_target = self._auto_target.with_name(self._suggested_name(self.format()))
            self.set_target(self._auto_target)

    def _choose(self) -> None:
        suggested = self.target() or self.folder / self._suggested_name(self.format())
        chosen = self.choose_target(suggested)
        if chosen is not None:
            self.set_target(with_format_suffix(chosen, self.format()))

    def choose_target(self, suggested: Path) -> Path | None:
        """The save dialog; replaced in tests. Kindred asks about an existing file itself."""
        name, suffix, _hint = FORMAT_CHOICES[self.format()]
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Export as",
            str(suggested),
            f"{name} audio (*{suffix})",
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
        fmt = self.format()
        fixed = with_format_suffix(target, fmt)
        if fixed != target:
            target = fixed
            self.set_target(target)
        existing = [path for path in (target, *caption_paths(target)) if path.is_file()]
        if existing and not self.ask_replace(target, existing):
            self.show_message(
                "Nothing was replaced", "Choose another name or folder, then export again.", error=False
            )
            return False
        request = ExportRequest(
            script=self.script,
            length=self.length(),
            voice=self.voice,
            rate=self.rate,
            ambience=self.ambience(),
            format=fmt,
            target=target,
            ambience_volume=self.ambience_volume,
            overwrite=bool(existing),
        )
        task = ExportTask(request, self.engine)
        self._task = task
        task.progress.connect(self._on_progress)
        task.finished.connect(lambda result: self._on_finished(task, result))
        task.failed.connect(lambda title, text: self._on_failed(task, title, text))
        task.cancelled.connect(lambda: self._on_cancelled(task))
        self.result = None
        self.max_progress = 0.0
        self.progress.setValue(0)
        self.stage_label.setText("Preparing the session")
        self.cancel_button.setEnabled(True)
        self._set_busy(True)
        task.start_on(self.pool)
        return True

    def cancel_export(self) -> None:
        if self._task is not None and not self._task.is_cancelled():
            self._task.cancel()
            self.stage_label.setText("Stopping…")
            self.cancel_button.setEnabled(False)

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
        layout = self.layout()
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
        self.progress.setValue(round(min(1.0, max(0.0, fraction)) * 1000))
        if stage and not (self._task is not None and self._task.is_cancelled()):
            self.stage_label.setText(stage)

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
        self.result = result
        self.progress.setValue(1000)
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
        self.message_title.setText(title)
        self.message_text.setText(explanation)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
        self._fit()

    def message_shown(self) -> str:
        """The message on screen, title and explanation, or "" when there is none."""
        if self.message.isHidden():
            return ""
        return f"{self.message_title.text()}\n{self.message_text.text()}"

    # -- done -----------------------------------------------------------------------------

    def _show_done(self, result: ExportResult) -> None:
        self.done_text.setText(
            f"“{result.audio.name}” is ready, {length_label(round(result.length_s, 1))} long, "
            "with its captions. The files are in:"
        )
        self.done_folder.setText(str(result.audio.parent))
        self.done_files.setText("\n".join(path.name for path in (result.audio, *result.captions)))
        self.open_problem.hide()
        self.intro.hide()
        self.form_page.hide()
        self.done_page.show()
        layout = self.layout()
        layout.activate()
        self.resize(self.width(), layout.totalHeightForWidth(self.width()))
        self.done_button.setFocus()

    def open_folder(self) -> bool:
        if self.result is None:
            return False
        folder = self.result.audio.parent
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        self.open_problem.setText(f"No file manager could be opened. The files are in {folder}.")
        self.open_problem.show()
        return False

    # -- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, Close or the window's ✕: while exporting, stop first and close once stopped."""
        if self._task is not None:
            self._close_when_done = True
            self.cancel_export()
            return
        super().reject()


def open_export_dialog(
    parent: QWidget,
    store: Store,
    engine: SpeechEngine,
    script: Script,
    length: float | None,
    ambience: str | None,
    ambience_volume: float | None = None,
) -> ExportDialog:
    """Open (without blocking) the export dialog with the voice and rate the player uses.

    The format and folder of the last export are offered again.
    """
    folder_setting = store.get_setting("export_folder")
    folder = (
        Path(folder_setting) if isinstance(folder_setting, str) and Path(folder_setting).is_dir() else None
    )
    dialog = ExportDialog(
        script,
        engine,
        length=length,
        voice=store.get_setting("voice"),
        rate=int(store.get_setting("rate", DEFAULT_RATE_WPM)),
        ambience=ambience,
        ambience_volume=float(
            store.get_setting("ambience_volume", 0.5) if ambience_volume is None else ambience_volume
        ),
        fmt=store.get_setting("export_format", "mp3"),
        folder=folder,
        parent=parent,
    )

    def remember(result: ExportResult) -> None:
        store.set_setting("export_format", dialog.format())
        store.set_setting("export_folder", str(result.audio.parent))
        trim_soon(store.get_setting(LIMIT_SETTING))

    dialog.exportFinished.connect(remember)
    dialog.open()
    return dialog


def retire_export_dialog(dialog: ExportDialog | None) -> None:
    """Free the dialog of an earlier export when a new one opens; one still exporting finishes first."""
    if dialog is not None and not dialog.is_exporting():
        dialog.deleteLater()
