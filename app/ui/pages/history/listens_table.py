"""The History page's table of listens: one row each, newest first, added a page at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.history import Listen
from app.ui.pages.history.stat_cards import minutes_text
from app.ui.widgets.basics import labelled

COLUMNS = ("Date", "Session", "Minutes", "Completed", "Note")
SESSION_COLUMN = 1
CENTRED_COLUMNS = (2, 3)
NOTE_COLUMN = 4
#: Where each cell keeps the id of its row's listen.
LISTEN_ID = Qt.ItemDataRole.UserRole


def completed_text(listen: Listen) -> str:
    # A listen still under way has no answer yet: a blank would say "not completed".
    if listen.in_progress:
        return "in progress"
    return "✓" if listen.completed else ""


def row_texts(listen: Listen) -> tuple[str, ...]:
    """The cells of `listen`'s row, in COLUMNS' order."""
    # A practice entered by hand has a day, not a time (it is stored at noon).
    when = listen.started_at.strftime("%a %d %b %Y" if listen.manual else "%a %d %b %Y, %H:%M")
    return (when, listen.title, minutes_text(listen.minutes_heard), completed_text(listen), listen.note or "")


class ListensTable(QTableWidget):
    """One row is chosen at a time; Enter or a double click on it emits editRequested."""

    editRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        labelled(self, "Listens", "Every listen, newest first")
        self.setObjectName("listens")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        # The column widths are set each time rows are added (`append`).
        self.doubleClicked.connect(lambda _index: self.editRequested.emit())

    def append(self, listens: list[Listen]) -> None:
        """`listens` in rows under the ones shown."""
        first = self.rowCount()
        # Columns sized to their contents re-measure every row on each setItem (200 rows took
        # 1.9 s); sized once after filling, the page is ready in a few milliseconds.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setUpdatesEnabled(False)
        self.setRowCount(first + len(listens))
        for row, listen in enumerate(listens, start=first):
            for column, text in enumerate(row_texts(listen)):
                item = QTableWidgetItem(text)
                item.setData(LISTEN_ID, listen.id)
                if column == NOTE_COLUMN and text:
                    item.setToolTip(text)
                if column in CENTRED_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, column, item)
        self.resizeColumnsToContents()
        header.setSectionResizeMode(SESSION_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.setUpdatesEnabled(True)

    def listen_id_at(self, row: int) -> int:
        item = self.item(row, 0)
        assert item is not None, f"no listen in row {row}"
        return int(item.data(LISTEN_ID))

    def selected_listen_id(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return self.listen_id_at(rows[0].row()) if rows else None

    def select_listen(self, listen_id: int) -> bool:
        """Selects the row of `listen_id` if it is shown; says whether it was."""
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and int(item.data(LISTEN_ID)) == listen_id:
                self.selectRow(row)
                self.scrollToItem(item)
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # Enter edits the chosen row, as a double click does; a table would only move down a row.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_listen_id() is not None:
            self.editRequested.emit()
            return
        super().keyPressEvent(event)
