"""The History page's practice calendar: thirteen weeks of days as squares, deeper for more minutes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.history import DayPractice
from app.ui.widgets.basics import labelled


class Heatmap(QWidget):
    """A calendar of practice days: one column per week, Monday at the top; deeper colour, more minutes.

    Weekday names run down the left and month names along the top, so a square can be read as a day.
    """

    CELL = 14
    GAP = 3
    #: Every other weekday is named (Mon, Wed, Fri, Sun): seven names would crowd 14-pixel rows.
    WEEKDAY_NAMES = {0: "Mon", 2: "Wed", 4: "Fri", 6: "Sun"}

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("heatmap")
        self.days: list[DayPractice] = []
        labelled(
            self, "Practice calendar", "The last 13 weeks; each square is a day, darker means more minutes"
        )

    def set_days(self, days: list[DayPractice]) -> None:
        self.days = days
        practised = sum(1 for day in days if day.minutes > 0)
        self.setAccessibleDescription(f"{practised} days with practice in the last 13 weeks")
        self.updateGeometry()
        self.update()

    def month_labels(self) -> list[tuple[int, str]]:
        """(column, month name) over the first week that begins in each month, as calendars do."""
        labels: list[tuple[int, str]] = []
        for column, monday in enumerate(day.day for day in self.days[::7]):
            if column == 0 or monday.day <= 7:  # the week holding the month's first Monday
                labels.append((column, monday.strftime("%b")))
        # The first column's month only when it has room before the next name: they would overlap.
        if len(labels) > 1 and labels[1][0] - labels[0][0] < 3:
            labels.pop(0)
        return labels

    def _margins(self) -> tuple[int, int]:
        """The room the labels take: left for the weekdays, top for the months."""
        metrics = self.fontMetrics()
        left = max(metrics.horizontalAdvance(name) for name in self.WEEKDAY_NAMES.values()) + 6
        return left, metrics.height() + 4

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        step = self.CELL + self.GAP
        left, top = self._margins()
        # A month named over the last week runs past its square: room for the widest name there.
        months = (date(2001, month, 1).strftime("%b") for month in range(1, 13))
        widest = max(self.fontMetrics().horizontalAdvance(name) for name in months)
        return QSize(left + 12 * step + max(self.CELL, widest), top + 7 * step)

    minimumSizeHint = sizeHint

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top = self._margins()
        self._paint_labels(painter, left, top)
        self._paint_days(painter, left, top)
        painter.end()

    def _paint_labels(self, painter: QPainter, left: int, top: int) -> None:
        step = self.CELL + self.GAP
        painter.setPen(self.palette().windowText().color())
        for row, name in self.WEEKDAY_NAMES.items():
            cell = QRectF(0, top + row * step, left - 6, self.CELL)
            painter.drawText(cell, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        for column, name in self.month_labels():
            painter.drawText(
                QRectF(left + column * step, 0, 3 * step, top - 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                name,
            )

    def _paint_days(self, painter: QPainter, left: int, top: int) -> None:
        step = self.CELL + self.GAP
        accent = self.palette().highlight().color()
        empty = self.palette().mid().color()
        empty.setAlpha(60)
        most = max((day.minutes for day in self.days), default=0) or 1
        first = self.days[0].day.toordinal()
        painter.setPen(Qt.PenStyle.NoPen)
        for day in self.days:
            offset = day.day.toordinal() - first
            rect = QRectF(left + (offset // 7) * step, top + (offset % 7) * step, self.CELL, self.CELL)
            if day.minutes > 0:
                colour = QColor(accent)
                # Never fainter than a third: any practice at all should be easy to see.
                colour.setAlphaF(0.35 + 0.65 * min(1.0, day.minutes / most))
            else:
                colour = empty
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 3, 3)
