"""The history page: statistics, minutes per week, a practice calendar, and every listen."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.history import DayPractice, Listen, ListenLog, Store, minutes_per_week, practice_days, statistics
from app.library.catalogue import theme_label
from app.ui.dialogs.listen import ListenDialog, aware_start
from app.ui.pages.history.csv_buttons import HistoryCsvButtons
from app.ui.widgets.basics import labelled

#: How many listens the table shows at first, and how many more each "Show more" adds.
PAGE_SIZE = 200
COLUMNS = ("Date", "Session", "Minutes", "Completed", "Note")


class StatCard(QFrame):
    """One number with its caption."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.value = QLabel("–")
        self.value.setObjectName("statValue")
        self.value.setWordWrap(True)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.value.setFont(font)
        label = QLabel(caption)
        label.setObjectName("statCaption")
        layout.addWidget(self.value)
        layout.addWidget(label)
        labelled(self, caption, tip)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.setAccessibleDescription(text)


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
        step = self.CELL + self.GAP
        left, top = self._margins()
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
        painter.end()


def _minutes(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def _completed(listen: Listen) -> str:
    # A listen still under way has no answer yet: a blank would say "not completed".
    if listen.in_progress:
        return "in progress"
    return "✓" if listen.completed else ""


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


class HistoryView(QWidget):
    """Everything the log knows, shown gently; `refresh()` reads it again."""

    def __init__(self, log: ListenLog, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.log = log
        self.store = store
        #: What the undo bar's Undo does: it holds the last action only.
        self._undo_action: Callable[[], None] | None = None
        #: Makes the add and edit dialogs; tests may put their own here.
        self.dialog_factory: Callable[[ListenLog, Listen | None, QWidget], ListenDialog] = ListenDialog
        self.listen_dialog: ListenDialog | None = None
        self.setObjectName("historyView")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(14)
        heading = QLabel("History")
        heading.setObjectName("pageHeading")
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        self.csv = HistoryCsvButtons(store.path)
        self.csv.imported.connect(self.refresh)
        heading_row.addWidget(self.csv)
        outer.addLayout(heading_row)

        cards = QHBoxLayout()
        cards.setSpacing(12)
        self.total_card = StatCard("Minutes in total", "All the time you have spent listening")
        self.sessions_card = StatCard("Sessions completed", "Sessions and timers you listened to the end")
        self.current_card = StatCard("Current streak", "Days in a row with a completed session, up to today")
        self.longest_card = StatCard("Longest streak", "Your longest run of days in a row")
        self.themes_card = StatCard("Favourite themes", "The themes you complete most")
        for card in (self.total_card, self.sessions_card, self.current_card, self.longest_card):
            cards.addWidget(card, 1)
        cards.addWidget(self.themes_card, 2)
        outer.addLayout(cards)

        charts = QHBoxLayout()
        charts.setSpacing(16)
        self.chart = QChart()
        self.chart.setTitle("Minutes per week")
        self.chart.legend().hide()
        self.chart.setBackgroundVisible(False)
        self.chart.setPlotAreaBackgroundVisible(False)
        self.chart_view = labelled(
            QChartView(self.chart), "Minutes per week", "Minutes heard in each of the last 12 weeks"
        )
        self.chart_view.setObjectName("weeklyChart")
        self.chart_view.setStyleSheet("background: transparent")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        charts.addWidget(self.chart_view, 3)
        calendar = QVBoxLayout()
        calendar_label = QLabel("Practice days")
        calendar_label.setObjectName("paneHeading")
        self.heatmap = Heatmap()
        calendar.addWidget(calendar_label)
        calendar.addWidget(self.heatmap)
        calendar.addStretch(1)
        charts.addLayout(calendar, 1)
        outer.addLayout(charts)

        filters = QHBoxLayout()
        listens_label = QLabel("Listens")
        listens_label.setObjectName("paneHeading")
        self.month_filter = labelled(QComboBox(), "Month", "Show the listens of one month")
        self.theme_filter = labelled(QComboBox(), "Theme", "Show the listens of one theme")
        # Other filters, other listens: start again from the first page.
        self.month_filter.activated.connect(lambda _index: self._fill_table())
        self.theme_filter.activated.connect(lambda _index: self._fill_table())
        self.add_button = labelled(
            QPushButton("Add practice…"), "Add practice", "Add a practice you did without the app"
        )
        self.add_button.setObjectName("addPractice")
        self.add_button.clicked.connect(self.add_practice)
        self.edit_button = labelled(
            QPushButton("Edit…"), "Edit the listen", "Change the date, minutes or note of the selected listen"
        )
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = labelled(
            QPushButton("Delete"), "Delete the listen", "Delete the selected listen"
        )
        self.delete_button.clicked.connect(self.delete_selected)
        filters.addWidget(listens_label)
        filters.addStretch(1)
        filters.addWidget(self.month_filter)
        filters.addWidget(self.theme_filter)
        filters.addSpacing(8)
        filters.addWidget(self.add_button)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)
        outer.addLayout(filters)

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(10, 4, 10, 4)
        self.undo_label = QLabel("Listen deleted.")
        self.undo_button = labelled(QPushButton("Undo"), "Undo delete", "Bring the deleted listen back")
        self.undo_button.clicked.connect(self.undo)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        outer.addWidget(self.undo_bar)

        self.table = labelled(QTableWidget(0, len(COLUMNS)), "Listens", "Every listen, newest first")
        self.table.setObjectName("listens")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # The column widths are set each time rows are added (`_append`).
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        # Enter on a row edits it, as a double click does (watched here: the table would only move down).
        self.table.installEventFilter(self)
        self.more_button = labelled(
            QPushButton("Show more"), "Show more listens", f"Show the next {PAGE_SIZE} older listens"
        )
        self.more_button.setObjectName("showMore")
        self.more_button.clicked.connect(self.show_more)
        more_row = QHBoxLayout()
        more_row.addStretch(1)
        more_row.addWidget(self.more_button)
        more_row.addStretch(1)
        self.empty_label = QLabel("Nothing here yet. Your listens will appear here after your first session.")
        self.empty_label.setObjectName("emptyHistory")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.table, 1)
        outer.addLayout(more_row)
        outer.addWidget(self.empty_label)
        self.refresh()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        practice = self.log.practice()
        stats = statistics(practice)
        self.total_card.set_value(_minutes(stats.total_minutes))
        self.sessions_card.set_value(str(stats.sessions_completed))
        self.current_card.set_value(_days(stats.current_streak))
        self.longest_card.set_value(_days(stats.longest_streak))
        self.themes_card.set_value(", ".join(theme for theme, _n in stats.favourite_themes) or "–")
        show_streaks = bool(self.store.get_setting("show_streaks", True))
        self.current_card.setVisible(show_streaks)
        self.longest_card.setVisible(show_streaks)
        self._fill_chart(minutes_per_week(practice, weeks=12))
        self.heatmap.set_days(practice_days(practice, weeks=13))
        self._fill_filters(practice)
        # As many rows as were shown: a change far down the table keeps the reader's place.
        self._fill_table(max(PAGE_SIZE, self.table.rowCount()))

    def _fill_chart(self, weeks: list[tuple[date, float]]) -> None:
        """One series and two axes for the life of the view, refilled: re-adding axes left ghosts."""
        if not self.chart.series():
            self._bars = QBarSet("Minutes")
            series = QBarSeries()
            series.append(self._bars)
            self.chart.addSeries(series)
            self._categories = QBarCategoryAxis()
            self._values = QValueAxis()
            self._values.setLabelFormat("%d")
            # The labels in the page's own font, as large as the text around them: smaller was hard to read.
            for axis in (self._categories, self._values):
                axis.setLabelsFont(self.font())
            # Qt shortens a label long before it would touch the next ("12/…"): shown whole, they fit.
            self._categories.setTruncateLabels(False)
            self._values.setTickCount(6)
            self.chart.addAxis(self._categories, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(self._values, Qt.AlignmentFlag.AlignLeft)
            series.attachAxis(self._categories)
            series.attachAxis(self._values)
        self._style_chart()
        if self._bars.count():
            self._bars.remove(0, self._bars.count())
        for _monday, minutes in weeks:
            self._bars.append(round(minutes, 1))
        # Day/month: twelve labels must fit under the bars without being cut.
        self._categories.setCategories([f"{monday.day}/{monday.month}" for monday, _m in weeks])
        self._values.setRange(0, max(10.0, max((m for _d, m in weeks), default=0) * 1.15))
        self._values.applyNiceNumbers()  # ticks at 0, 5, 10… rather than 0, 4.6, 9.2…

    def _style_chart(self) -> None:
        accent = self.palette().highlight().color()
        self._bars.setColor(accent)
        self._bars.setBorderColor(accent)  # the chart theme's own is white: a glaring outline in dark
        # The chart's own theme is light: text and lines follow the palette, or dark mode hides them.
        text = self.palette().windowText().color()
        lines = self.palette().mid().color()
        lines.setAlpha(70)
        self.chart.setTitleBrush(text)
        for axis in (self._categories, self._values):
            axis.setLabelsColor(text)
            axis.setGridLineColor(lines)
            axis.setLinePenColor(lines)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # The chart paints with colours given to it, not the palette: a switch between light and
        # dark (the desktop's, with the setting on "Follow system") must hand it the new ones.
        restyled = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)
        if event.type() in restyled and hasattr(self, "_bars"):  # not before the chart is built
            self._style_chart()
        super().changeEvent(event)

    def _fill_filters(self, practice) -> None:
        month, theme = self.month_filter.currentData(), self.theme_filter.currentData()
        # Distinct days first: a few thousand dates rather than one per row of practice.
        days = [date.fromordinal(day) for day in {row.day for row in practice}]
        months = sorted({f"{day.year:04d}-{day.month:02d}" for day in days}, reverse=True)
        self.month_filter.clear()
        self.month_filter.addItem("All months", None)
        for value in months:
            self.month_filter.addItem(date.fromisoformat(f"{value}-01").strftime("%B %Y"), value)
        self.month_filter.setCurrentIndex(max(0, self.month_filter.findData(month)))
        self.theme_filter.clear()
        self.theme_filter.addItem("All themes", None)
        for value in self.log.themes():
            self.theme_filter.addItem(theme_label(value), value)
        self.theme_filter.setCurrentIndex(max(0, self.theme_filter.findData(theme)))

    def _page(self, offset: int, limit: int) -> tuple[list[Listen], bool]:
        """Up to `limit` listens from `offset` under the current filters, and whether more follow."""
        found = self.log.listens(
            month=self.month_filter.currentData(),
            theme=self.theme_filter.currentData(),
            limit=limit + 1,  # one more than shown says whether "Show more" has anything to show
            offset=offset,
        )
        return found[:limit], len(found) > limit

    def _fill_table(self, rows: int = PAGE_SIZE) -> None:
        """The first `rows` listens under the current filters, keeping the selected one selected."""
        selected = self.selected_listen_id()
        listens, more = self._page(0, rows)
        self.table.setRowCount(0)
        self._append(listens, more)
        if selected is not None:
            self.select_listen(selected)

    def show_more(self) -> None:
        """Adds the next PAGE_SIZE older listens under the ones shown."""
        listens, more = self._page(self.table.rowCount(), PAGE_SIZE)
        self._append(listens, more)

    def _append(self, listens: list[Listen], more: bool) -> None:
        first = self.table.rowCount()
        # Columns sized to their contents re-measure every row on each setItem (200 rows took
        # 1.9 s); sized once after filling, the page is ready in a few milliseconds.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(first + len(listens))
        for row, listen in enumerate(listens, start=first):
            # A practice entered by hand has a day, not a time (it is stored at noon).
            when = listen.started_at.strftime("%a %d %b %Y" if listen.manual else "%a %d %b %Y, %H:%M")
            cells = (
                when,
                listen.title,
                _minutes(listen.minutes_heard),
                _completed(listen),
                listen.note or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, listen.id)
                if column == 4 and text:
                    item.setToolTip(text)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setUpdatesEnabled(True)
        shown = self.table.rowCount()
        self.table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        self.more_button.setVisible(more)
        self._follow_selection()

    # -- selection ----------------------------------------------------------------------

    def listen_id_at(self, row: int) -> int:
        item = self.table.item(row, 0)
        return int(item.data(Qt.ItemDataRole.UserRole))

    def selected_listen_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.listen_id_at(rows[0].row()) if rows else None

    def select_listen(self, listen_id: int) -> bool:
        """Selects the row of `listen_id` if it is shown; says whether it was."""
        for row in range(self.table.rowCount()):
            if self.listen_id_at(row) == listen_id:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
                return True
        return False

    def _follow_selection(self) -> None:
        chosen = self.selected_listen_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.selected_listen_id() is not None
        ):
            self.edit_selected()
            return True
        return super().eventFilter(watched, event)

    # -- adding and editing -------------------------------------------------------------

    def add_practice(self) -> ListenDialog:
        """Opens the dialog for a practice done without the app; returns it (tests fill it in)."""
        dialog = self._open_dialog(None)
        dialog.listenAdded.connect(self._on_added)
        return dialog

    def edit_selected(self) -> ListenDialog | None:
        listen_id = self.selected_listen_id()
        return self.edit_listen(listen_id) if listen_id is not None else None

    def edit_listen(self, listen_id: int) -> ListenDialog | None:
        """Opens the edit dialog for `listen_id`; returns it, or None if the listen is gone."""
        try:
            listen = self.log.get(listen_id)
        except KeyError:
            self.refresh()
            return None
        dialog = self._open_dialog(listen)
        dialog.listenEdited.connect(self._on_edited)
        return dialog

    def _open_dialog(self, listen: Listen | None) -> ListenDialog:
        if self.listen_dialog is not None:
            self.listen_dialog.deleteLater()
        self.listen_dialog = self.dialog_factory(self.log, listen, self)
        # open(), not exec(): modal to the window without a nested event loop.
        self.listen_dialog.open()
        return self.listen_dialog

    def _on_added(self, listen_id: int) -> None:
        self._offer_undo(
            "Practice added.",
            "Undo add",
            "Remove the practice just added",
            lambda: self.log.delete(listen_id),
        )
        self.refresh()
        self.select_listen(listen_id)

    def _on_edited(self, before: Listen) -> None:
        self._offer_undo(
            "Listen changed.", "Undo change", "Put the listen back as it was", lambda: self._restore(before)
        )
        self.refresh()
        self.select_listen(before.id)

    def _restore(self, before: Listen) -> None:
        """Writes back the fields an edit can change, only those that now differ from `before`."""
        now = self.log.get(before.id)
        fields: dict[str, object] = {}
        # The zone's name counts too: writing an unchanged start back could otherwise lose it.
        if (now.started_at, now.tz) != (before.started_at, before.tz):
            fields["started_at"] = aware_start(before)
        for name in ("heard_s", "completed", "note"):
            if getattr(now, name) != getattr(before, name):
                fields[name] = getattr(before, name)
        if fields:
            self.log.edit(before.id, **fields)

    # -- delete and undo ----------------------------------------------------------------

    def delete_selected(self) -> None:
        listen_id = self.selected_listen_id()
        if listen_id is not None:
            self.delete_listen(listen_id)

    def delete_listen(self, listen_id: int) -> None:
        self.log.delete(listen_id)
        self._offer_undo(
            "Listen deleted.",
            "Undo delete",
            "Bring the deleted listen back",
            lambda: self.log.undo_delete(listen_id),
        )
        self.refresh()

    def _offer_undo(self, text: str, name: str, tip: str, action: Callable[[], None]) -> None:
        """Shows the undo bar for `action`; the action it offered before can no longer be undone."""
        self._undo_action = action
        self.undo_label.setText(text)
        labelled(self.undo_button, name, tip)
        self.undo_bar.show()

    def undo(self) -> None:
        action, self._undo_action = self._undo_action, None
        self.undo_bar.hide()
        if action is not None:
            # The listen may have gone meanwhile (another Kindred, say): nothing is left to put back.
            with contextlib.suppress(KeyError):
                action()
        self.refresh()
