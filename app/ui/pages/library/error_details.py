"""The details of a script that cannot be played: the lines to fix, where the file is, and the
buttons to fix it in Write or open it in the listener's own text editor."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from app.library import LibraryEntry
from app.ui.pages.library.labels import embolden, plain_label
from app.ui.pages.library.wrapping_row import WrappingRow
from app.ui.widgets.basics import button


def errors_headline(count: int) -> str:
    """`This script has an error`, or how many it has."""
    return "This script has an error" if count == 1 else f"This script has {count} errors"


def errors_text(errors: Iterable[object]) -> str:
    """One error a line, each starting with a capital as a sentence does."""
    return "\n".join(str(error)[:1].upper() + str(error)[1:] for error in errors)


class ErrorDetails(QWidget):
    """What is wrong with a script, and the ways to fix it.

    "Open file" is handled here; "Fix in Write" (`fix_button`) is the Library page's to connect.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDetails")
        # Qt paints a stylesheet's background on plain QWidgets only; a subclass has to ask for it
        # (the theme gives the pages of a stack the window's colour).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._entry: LibraryEntry | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        self._add_explanation(layout)
        layout.addSpacing(6)
        self.error_path = plain_label("", "errorPath", wrap=True, selectable=True)
        self.error_path.setAccessibleName("File location")
        layout.addWidget(self.error_path)
        layout.addLayout(self._build_buttons())
        self.open_file_problem = plain_label("", "openFileProblem", wrap=True, selectable=True)
        self.open_file_problem.hide()
        layout.addWidget(self.open_file_problem)
        layout.addStretch(1)

    def _add_explanation(self, layout: QVBoxLayout) -> None:
        self.error_title = embolden(plain_label("", "detailsTitle", wrap=True, selectable=True), 1.6)
        self.error_title.setAccessibleName("File name")
        self.error_headline = embolden(plain_label("This script has errors", "errorHeadline", wrap=True), 1.1)
        self.error_explanation = plain_label(
            "Kindred cannot play it until these lines are fixed. Open the file, correct them, and save it.",
            "errorExplanation",
            wrap=True,
        )
        self.error_text = plain_label("", "errorText", wrap=True, selectable=True)
        self.error_text.setAccessibleName("Errors")
        for widget in (self.error_title, self.error_headline, self.error_explanation, self.error_text):
            layout.addWidget(widget)

    def _build_buttons(self) -> QLayout:
        error_buttons = WrappingRow(spacing=10)
        self.fix_button = button(
            "Fix in Write",
            "Fix in Write",
            "Open the script in Write, where every error is marked",
            object_name="fixButton",
        )
        self.fix_button.setMinimumHeight(40)
        self.open_file_button = button(
            "Open file",
            "Open file",
            "Open the script in your text editor to fix it",
            self._open_file,
            object_name="openFileButton",
        )
        self.open_file_button.setMinimumHeight(40)
        error_buttons.addWidget(self.fix_button)
        error_buttons.addWidget(self.open_file_button)
        return error_buttons

    def show_errors(self, entry: LibraryEntry) -> None:
        self._entry = entry
        self.error_title.setText(entry.path.name)
        self.error_headline.setText(errors_headline(len(entry.errors)))
        self.error_text.setText(errors_text(entry.errors))
        self.error_path.setText(str(entry.path))
        # Write changes only the user's own scripts; a bundled one is not theirs to edit.
        self.fix_button.setVisible(entry.origin == "user")
        self.open_file_problem.hide()

    def _open_file(self) -> None:
        entry = self._entry
        if entry is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(entry.path))):
            self.open_file_problem.setText(
                "The file could not be opened: no program for text files was found. "
                f"Open it yourself from {entry.path.parent}."
            )
            self.open_file_problem.show()
