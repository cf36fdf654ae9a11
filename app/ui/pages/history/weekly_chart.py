"""The History page's bar chart of minutes heard in each of the last weeks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from app.ui.widgets.basics import labelled


class WeeklyChart(QChartView):
    """`show_weeks` fills it; the chart paints with the colours it is given, so `restyle` hands it
    the page's palette whenever that changes (a switch between light and dark)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle("Minutes per week")
        chart.legend().hide()
        chart.setBackgroundVisible(False)
        chart.setPlotAreaBackgroundVisible(False)
        super().__init__(chart, parent)
        labelled(self, "Minutes per week", "Minutes heard in each of the last 12 weeks")
        self.setObjectName("weeklyChart")
        self.setStyleSheet("background: transparent")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        # Built at the first filling, in the page's font; then refilled: re-adding axes left ghosts.
        self._bars: QBarSet | None = None
        self._categories = QBarCategoryAxis()
        self._values = QValueAxis()

    def show_weeks(self, weeks: list[tuple[date, float]], label_font: QFont, palette: QPalette) -> None:
        """(Monday, minutes) of each week, oldest first; axis labels in `label_font`."""
        bars = self._bars if self._bars is not None else self._build_series(label_font)
        self.restyle(palette)
        if bars.count():
            bars.remove(0, bars.count())
        for _monday, minutes in weeks:
            bars.append(round(minutes, 1))
        # Day/month: twelve labels must fit under the bars without being cut.
        self._categories.setCategories([f"{monday.day}/{monday.month}" for monday, _m in weeks])
        self._values.setRange(0, max(10.0, max((m for _d, m in weeks), default=0) * 1.15))
        self._values.applyNiceNumbers()  # ticks at 0, 5, 10… rather than 0, 4.6, 9.2…

    def _build_series(self, label_font: QFont) -> QBarSet:
        chart = self.chart()
        self._bars = QBarSet("Minutes")
        series = QBarSeries()
        series.append(self._bars)
        chart.addSeries(series)
        self._values.setLabelFormat("%d")
        # The labels in the page's own font, as large as the text around them: smaller was hard to read.
        for axis in (self._categories, self._values):
            axis.setLabelsFont(label_font)
        # Qt shortens a label long before it would touch the next ("12/…"): shown whole, they fit.
        self._categories.setTruncateLabels(False)
        self._values.setTickCount(6)
        chart.addAxis(self._categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(self._categories)
        series.attachAxis(self._values)
        return self._bars

    def restyle(self, palette: QPalette) -> None:
        """Text and lines in the palette's colours (the chart's own theme is light: dark mode would
        hide them), the bars in its accent."""
        if self._bars is None:
            return  # nothing drawn yet: the first filling styles it
        accent = palette.highlight().color()
        self._bars.setColor(accent)
        self._bars.setBorderColor(accent)  # the chart theme's own is white: a glaring outline in dark
        text = palette.windowText().color()
        lines = palette.mid().color()
        lines.setAlpha(70)
        self.chart().setTitleBrush(text)
        for axis in (self._categories, self._values):
            axis.setLabelsColor(text)
            axis.setGridLineColor(lines)
            axis.setLinePenColor(lines)
