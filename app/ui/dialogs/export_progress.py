"""The passing states under the export form: the progress of a running export, and a message.

While an export runs, `ExportStatus` says what is being done and how far it has come, with the
way to stop it. After a problem, a cancel or a refusal to replace, `ExportMessage` says what
happened and what to do. Both are styled frames the dialog shows and hides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.ui.dialogs.export_labels import plain_label
from app.ui.widgets.basics import labelled

#: The progress bar's steps: fine enough that a long export visibly moves.
PROGRESS_STEPS = 1000


def _column(frame: QFrame, name: str, bottom: int, spacing: int) -> QVBoxLayout:
    """Name `frame` for the stylesheet and give it the column its lines go in."""
    frame.setObjectName(name)
    column = QVBoxLayout(frame)
    column.setContentsMargins(14, 10, 14, bottom)
    column.setSpacing(spacing)
    return column


class ExportStatus(QFrame):
    """The stage, a progress bar and Cancel; the dialog connects `cancel_button`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = _column(self, "exportStatus", 12, 8)
        self.stage_label = plain_label("", "exportStage", wrap=True)
        self.progress = labelled(QProgressBar(), "Export progress", "How far the export has come")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.cancel_button = labelled(QPushButton("Cancel"), "Cancel the export", "Stop; nothing is saved")
        line = QHBoxLayout()
        line.setSpacing(12)
        line.addWidget(self.progress, 1)
        line.addWidget(self.cancel_button)
        column.addWidget(self.stage_label)
        column.addLayout(line)

    def begin(self) -> None:
        """Back to the start, for a new export."""
        self.progress.setValue(0)
        self.stage_label.setText("Preparing the session")
        self.cancel_button.setEnabled(True)

    def show_progress(self, fraction: float, stage: str | None) -> None:
        """Move the bar to `fraction` (clamped to 0..1); a `stage` of None or "" leaves the words."""
        self.progress.setValue(round(min(1.0, max(0.0, fraction)) * PROGRESS_STEPS))
        if stage:
            self.stage_label.setText(stage)

    def show_complete(self) -> None:
        self.progress.setValue(PROGRESS_STEPS)

    def show_stopping(self) -> None:
        """Cancel was asked: say so, and take the button away (asking twice does nothing more)."""
        self.stage_label.setText("Stopping…")
        self.cancel_button.setEnabled(False)


class ExportMessage(QFrame):
    """A title and an explanation, styled as an error or as plain news."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = _column(self, "exportMessage", 10, 4)
        self.message_title = plain_label("", "exportMessageTitle", wrap=True)
        self.message_text = plain_label("", "exportMessageText", wrap=True)
        # Selectable, so an error can be copied into a report or a search.
        self.message_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.message_title)
        column.addWidget(self.message_text)

    def say(self, title: str, explanation: str, error: bool = True) -> None:
        """Show the message; `error` picks the stylesheet's look (the `error` property)."""
        self.message_title.setText(title)
        self.message_text.setText(explanation)
        self.setProperty("error", error)
        # A changed dynamic property is only restyled once the style is applied again.
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()

    def shown(self) -> str:
        """The message on screen, title and explanation, or "" when there is none."""
        if self.isHidden():
            return ""
        return f"{self.message_title.text()}\n{self.message_text.text()}"
