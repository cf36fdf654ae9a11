"""The left side of the Write page: the list of scripts, and the buttons that act on their files.

The pane only shows and reports; the page wires its buttons to the file actions and opens
what the list reports chosen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.library import LibraryEntry
from app.ui.pages.write.catalogue import file_key
from app.ui.pages.write.dialogs import NoticeBar
from app.ui.widgets.basics import button, labelled

_PATH_ROLE = Qt.ItemDataRole.UserRole


class ScriptList(QListWidget):
    """Your scripts first (title, then the file name), then the bundled ones to read or copy."""

    #: (Path) the person made a script's row the current one (the page opens it)
    pathChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        labelled(self, "Scripts", "Your scripts, and the bundled ones to read or copy; select one to open it")
        self.setObjectName("scriptList")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.currentItemChanged.connect(self._on_current_changed)

    def show_entries(self, entries: list[LibraryEntry], open_path: Path | None) -> None:
        """Fill the list from the catalogue, with the open script's row selected."""
        with QSignalBlocker(self):
            self.clear()
            user = [entry for entry in entries if entry.origin == "user"]
            bundled = [entry for entry in entries if entry.origin == "bundled"]
            self._add_heading("Your scripts")
            if not user:
                self._add_heading("None yet: press New", muted=True)
            for entry in user:
                text = f"{entry.title}\n{entry.path.name}"
                if entry.script is None:
                    text += "  ·  has errors"
                self._add_row(text, entry.path)
            if bundled:
                self._add_heading("Bundled with Kindred")
            for entry in bundled:
                self._add_row(entry.title, entry.path)
            self.select(open_path)

    def select(self, open_path: Path | None) -> None:
        """Show `open_path`'s row as the current one (none for None), without reporting a choice."""
        with QSignalBlocker(self):
            self.setCurrentRow(-1)
            if open_path is None:
                return
            wanted = file_key(open_path)
            for row in range(self.count()):
                data = self.item(row).data(_PATH_ROLE)
                if data and file_key(Path(data)) == wanted:
                    self.setCurrentRow(row)
                    return

    def shown_paths(self) -> list[Path]:
        """Every script the list offers, in order (user scripts first)."""
        return [
            Path(self.item(row).data(_PATH_ROLE))
            for row in range(self.count())
            if self.item(row).data(_PATH_ROLE)
        ]

    def _add_heading(self, text: str, muted: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(not muted)
        font.setItalic(muted)
        item.setFont(font)
        self.addItem(item)

    def _add_row(self, text: str, path: Path) -> None:
        item = QListWidgetItem(text)
        item.setData(_PATH_ROLE, str(path))
        item.setToolTip(str(path))
        self.addItem(item)

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        data = current.data(_PATH_ROLE) if current is not None else None
        if data:
            self.pathChosen.emit(Path(data))


class ScriptListPane(QWidget):
    """Heading, New and Import, the list, Rename / Delete / Export, and the bar to undo a delete."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scriptListPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 10, 12)
        layout.setSpacing(10)
        heading = QLabel("Write")
        heading.setObjectName("pageHeading")
        layout.addWidget(heading)
        layout.addLayout(self._build_create_row())
        self.script_list = ScriptList()
        layout.addWidget(self.script_list, 1)
        layout.addLayout(self._build_file_row())
        self.undo_bar = NoticeBar("Undo delete")
        self.undo_button = self.undo_bar.add_button("Undo", "Undo delete", "Bring the deleted script back")
        layout.addWidget(self.undo_bar)

    def _build_create_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.new_button = button(
            "New",
            "New script",
            "Start a new script from a short example (Ctrl+N)",
            object_name="primaryButton",
        )
        self.import_button = button(
            "Import…", "Import scripts", "Add .md or .txt files to your scripts (or drop them here)"
        )
        row.addWidget(self.new_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        return row

    def _build_file_row(self) -> QHBoxLayout:
        """What acts on the open script's file."""
        row = QHBoxLayout()
        row.setSpacing(8)
        self.rename_button = button("Rename…", "Rename script", "Give the open script's file a new name")
        self.delete_button = button(
            "Delete", "Delete script", "Move the open script to the trash (you can undo it)"
        )
        self.export_button = button(
            "Export…", "Export script", "Save a copy of the open script as a file wherever you like"
        )
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        return row

    def enable_file_buttons(self, *, is_open: bool, own: bool) -> None:
        """Rename and Delete for one of the user's own scripts; Export for any open one."""
        self.rename_button.setEnabled(own)
        self.delete_button.setEnabled(own)
        self.export_button.setEnabled(is_open)
