"""The export dialog's last page: what was saved, where, and a way to open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.render.export import ExportResult
from app.render.export_naming import length_label
from app.ui.dialogs.export_labels import plain_label
from app.ui.widgets.basics import labelled


def _selectable(label: QLabel, name: str) -> QLabel:
    """A path the person may want to copy, announced as `name` by screen readers."""
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class ExportDone(QWidget):
    """The files of a finished export; the dialog connects `open_folder_button` and `done_button`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(10)
        self.done_heading = plain_label("Saved", "exportDoneHeading")
        self.done_text = plain_label("", "exportDoneText", wrap=True)
        self.done_folder = _selectable(plain_label("", "exportFolder", wrap=True), "Folder")
        self.done_files = _selectable(plain_label("", "exportFiles", wrap=True), "Files")
        self.open_problem = plain_label("", "exportNote", wrap=True)
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
        self.open_folder_button = labelled(
            QPushButton("Open folder"), "Open folder", "Show the exported files in your file manager"
        )
        self.done_button = labelled(QPushButton("Done"), "Done", "Close this window")
        self.done_button.setObjectName("primaryButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)

    def show_result(self, result: ExportResult) -> None:
        """Name the audio, its length, the folder and every file written."""
        self.done_text.setText(
            f"“{result.audio.name}” is ready, {length_label(round(result.length_s, 1))} long, "
            "with its captions. The files are in:"
        )
        self.done_folder.setText(str(result.audio.parent))
        self.done_files.setText("\n".join(path.name for path in (result.audio, *result.captions)))
        self.open_problem.hide()

    def show_no_file_manager(self, folder: Path) -> None:
        """Opening the folder failed: say where the files are instead."""
        self.open_problem.setText(f"No file manager could be opened. The files are in {folder}.")
        self.open_problem.show()
