"""The two lists beside the caption: the chapters of the session, and the transcript of all it says.

Each row holds what a click needs: a chapter its index, a sentence where it begins (ms). Both
are filled when a session starts and retimed as its sentences settle to their real lengths.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.render.sidecar import Chapter, Sidecar
from app.time_text import clock_ms
from app.ui.widgets.basics import labelled

#: Where each row keeps its chapter's index, or its sentence's start in milliseconds.
ROW_DATA = Qt.ItemDataRole.UserRole


def chapter_text(chapter: Chapter) -> str:
    """`Arriving    0:30`; a section without a heading is the beginning."""
    return f"{chapter.title or 'Beginning'}    {clock_ms(round(chapter.start * 1000))}"


class ChapterList(QListWidget):
    """The session's sections, each with where it begins; a click jumps there."""

    def __init__(self) -> None:
        super().__init__()
        labelled(self, "Chapters", "Jump to a chapter")
        self.setObjectName("chapters")
        self.setMaximumHeight(170)

    def fill(self, timeline: Sidecar) -> None:
        self.clear()
        for index, chapter in enumerate(timeline.sections):
            item = QListWidgetItem(chapter_text(chapter))
            item.setData(ROW_DATA, index)
            self.addItem(item)

    def retime(self, timeline: Sidecar) -> None:
        for index, chapter in enumerate(timeline.sections):
            item = self.item(index)
            if item is not None:
                item.setText(chapter_text(chapter))

    @staticmethod
    def index_of(item: QListWidgetItem) -> int:
        return int(item.data(ROW_DATA))


class TranscriptList(QListWidget):
    """Every sentence the voice says, one a row, wrapped onto as many lines as it needs."""

    def __init__(self) -> None:
        super().__init__()
        labelled(self, "Transcript", "Everything the voice says; click a line to go there")
        self.setObjectName("transcript")
        # Long sentences wrap onto more lines, never cut: rows of their own heights, measured
        # again whenever the width changes (a scrollbar appearing, the splitter moved).
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setItemDelegate(SentenceRows(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fill(self, timeline: Sidecar) -> None:
        self.clear()
        for cue in timeline.cues:
            item = QListWidgetItem(cue.text)
            item.setData(ROW_DATA, round(cue.start * 1000))
            self.addItem(item)

    def retime(self, timeline: Sidecar) -> None:
        for index, cue in enumerate(timeline.cues):
            item = self.item(index)
            if item is not None:
                item.setData(ROW_DATA, round(cue.start * 1000))

    def show_row(self, row: int) -> None:
        """Selects the sentence being spoken and brings it to the middle of the list."""
        self.setCurrentRow(row)
        self.scrollToItem(self.item(row), QListWidget.ScrollHint.PositionAtCenter)

    @staticmethod
    def start_ms(item: QListWidgetItem) -> int:
        return int(item.data(ROW_DATA))


class SentenceRows(QStyledItemDelegate):
    """Measures each transcript sentence at the width its list has now. Qt measures a row at a width
    a little off the one it paints it at (and without the stylesheet's padding), so a long sentence
    got one line too few and its end was cut."""

    def __init__(self, view: QListView):
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self._view
        one_line = QStyleOptionViewItem(option)
        one_line.rect = QRect()  # no width: the sentence on one line, padding and all
        self.initStyleOption(one_line, index)
        natural = super().sizeHint(one_line, index).width()
        text_margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        padding = natural - one_line.fontMetrics.horizontalAdvance(one_line.text) - 2 * text_margin
        wrapped = QStyleOptionViewItem(option)
        wrapped.rect = QRect(0, 0, view.viewport().width() - padding, 1)  # a height of 0 is "no rect"
        return super().sizeHint(wrapped, index)
