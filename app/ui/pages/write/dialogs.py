"""The questions the Write page asks and the strips it shows, apart from the page itself.

Every modal question lives in EditorDialogs so tests can replace it with scripted answers
and never wait on a dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.ui.widgets.basics import button


class EditorDialogs:
    """Every question the Write page asks, in one place a test can replace with scripted answers."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def ask_title(self) -> str | None:
        text, ok = QInputDialog.getText(
            self.parent, "New script", "A title for your meditation:", text="My Practice"
        )
        return text if ok else None

    def ask_new_name(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.parent, "Rename script", "A new name for the file:", text=current
        )
        return text if ok else None

    def choose_import_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self.parent, "Import scripts", str(Path.home()), "Scripts (*.md *.txt)"
        )
        return [Path(name) for name in names]

    def choose_export_file(self, suggested: Path) -> Path | None:
        # Kindred asks about an existing file itself (ask_overwrite), so the dialog must not.
        name, _filter = QFileDialog.getSaveFileName(
            self.parent,
            "Export script",
            str(suggested),
            "Scripts (*.md)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return Path(name) if name else None

    def ask_clash(self, name: str) -> str:
        """ "replace", "keep_both" or "cancel" for an import whose name is taken."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "A script with this name already exists",
            f"Your scripts already include “{name}”. Replace it (the old one goes to the trash), "
            "keep both, or cancel the import?",
            parent=self.parent,
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        both = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(both)
        box.exec()
        clicked = box.clickedButton()
        return "replace" if clicked is replace else "keep_both" if clicked is both else "cancel"

    def ask_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.parent,
            "Replace the existing file?",
            f"“{path.name}” already exists in {path.parent}. Replace it with this script?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_unsaved(self, name: str) -> str:
        """ "save", "discard" or "cancel" before leaving a script with unsaved changes."""
        answer = QMessageBox.question(
            self.parent,
            "Save your changes?",
            f"“{name}” has changes that are not saved yet.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"


class NoticeBar(QFrame):
    """A calm strip with a line of text and buttons: the undo, draft and message bars."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setAccessibleName(name)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # file names and titles are the user's
        self.label.setWordWrap(True)
        self.row.addWidget(self.label, 1)
        self.hide()

    def add_button(self, text: str, name: str, tip: str) -> QPushButton:
        added = button(text, name, tip)
        self.row.addWidget(added)
        return added
