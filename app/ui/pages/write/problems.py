"""How the editor shows what is wrong with a script: underlines in the text, and a list below it.

Each ScriptError is underlined where the parser points (the directive, or the word), or its
whole line is tinted when there is nothing to underline; the list names every problem by line
and column, and a click on one goes there.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTextEdit, QWidget

from app.script import ScriptError
from app.ui.pages.write.highlighter import readable
from app.ui.pages.write.text_positions import qt_column, token_end
from app.ui.widgets.basics import labelled

#: Rows in the problems list; a pasted novel could hold thousands of stray brackets, and past
#: this many a list helps nobody. The editor's errors() still returns them all.
MAX_SHOWN_PROBLEMS = 200
#: The problems list shows this many rows before it scrolls, so the text keeps its room.
PROBLEM_ROWS = 4

_ERROR_RED = QColor("#c0392b")


@dataclass(frozen=True)
class ProblemMark:
    """Where one error is underlined, in document positions (UTF-16 units)."""

    start: int
    end: int
    block: int
    error: ScriptError

    def covers(self, position: int, block: int) -> bool:
        """A whole-line mark (nothing to underline) covers its line; an underline, its span."""
        return self.start <= position <= self.end if self.start < self.end else self.block == block


def problem_marks(document: QTextDocument, errors: list[ScriptError]) -> list[ProblemMark]:
    """Where each error sits in the document (an error past the end goes on the last line)."""
    marks = []
    for error in errors:
        block = document.findBlockByNumber(error.line - 1)
        if not block.isValid():
            block = document.lastBlock()
        line = block.text()
        index = min(max(error.column - 1, 0), len(line))
        start = block.position() + qt_column(line, index + 1)
        end = block.position() + qt_column(line, token_end(line, index) + 1)
        marks.append(ProblemMark(start, end, block.blockNumber(), error))
    return marks


def underlines(
    document: QTextDocument, marks: list[ProblemMark], palette: QPalette
) -> list[QTextEdit.ExtraSelection]:
    """The marks as the text area's extra selections, in a red readable on its background."""
    red = readable(_ERROR_RED, palette.color(QPalette.ColorRole.Base))
    tint = QColor(red)
    tint.setAlphaF(0.22)
    selections = []
    for mark in marks:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(mark.start)
        fmt = QTextCharFormat()
        if mark.end > mark.start:
            cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(red)
            fmt.setBackground(tint)  # a thin wavy line alone is easy to miss
        else:
            # Nothing to underline (an empty line, the end of a line): tint the whole line.
            fmt.setBackground(tint)
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = cursor
        selection.format = fmt
        selections.append(selection)
    return selections


class ProblemList(QListWidget):
    """The problems below the text, "Line 3, column 7: …"; hidden while there are none."""

    #: (line, column) of the problem clicked or activated, 1-based as the parser gives them
    placeChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemList")
        # Messages wrap rather than scroll sideways: the suggestion is at the end of the line.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fitted_width = -1
        labelled(self, "Problems", "Problems in the script; click one to go to its place")
        self.hide()
        self.itemClicked.connect(self._go_to)
        self.itemActivated.connect(self._go_to)

    def show_errors(self, errors: list[ScriptError]) -> None:
        rows = [(f"Line {e.line}, column {e.column}: {e.describe()}", (e.line, e.column)) for e in errors]
        self.show_rows(rows, MAX_SHOWN_PROBLEMS, "… and {} more problems: fix these first")

    def show_rows(self, rows: list[tuple[str, tuple[int, int]]], most: int, more_text: str) -> None:
        """Each row's text, leading to its (line, column); past `most`, one line says how many more."""
        self.clear()
        for text, place in rows[:most]:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, place)
            item.setToolTip(text)
            self.addItem(item)
        hidden = len(rows) - most
        if hidden > 0:
            more = QListWidgetItem(more_text.format(hidden))
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(more)
        self.setVisible(bool(rows))
        self.fit()

    def fit(self) -> None:
        """As tall as its first few rows (as wrapped now); more scroll, so the text keeps its room."""
        count = min(self.count(), PROBLEM_ROWS)
        if not count:
            return
        if not self.isVisible():
            # Not laid out yet, so no width to wrap at: one line a row until it is shown. (Rows
            # wrapped at a hidden widget's tiny width would be tall enough to grow the window.)
            line = self.fontMetrics().lineSpacing() + 12
            self.setFixedHeight(count * line + 2 * self.frameWidth() + 12)
            return
        self.doItemsLayout()
        rows = sum(self.visualItemRect(self.item(i)).height() for i in range(count))
        chrome = self.height() - self.viewport().height()  # frame and padding
        self.setFixedHeight(rows + max(chrome, 2 * self.frameWidth()))

    def event(self, event: QEvent) -> bool:
        # Shown, or at a new width, the messages wrap anew (a new height alone changes nothing).
        # Measured before the list handles the event, as a filter on it would.
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            width = self.width()
            if width != self._fitted_width or event.type() == QEvent.Type.Show:
                self._fitted_width = width
                self.fit()
        return super().event(event)

    def _go_to(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if place:
            self.placeChosen.emit(*place)
