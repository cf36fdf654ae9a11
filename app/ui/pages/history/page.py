"""The History page: statistics, minutes per week, a practice calendar, and every listen.

The page's parts are modules of their own: the numbers (stat_cards), the chart (weekly_chart),
the calendar (heatmap), the table (listens_table), the undo bar (undo_bar) and the CSV buttons
(csv_buttons); this module lays them out, fills them from the log, and adds, edits and deletes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import settings
from app.history import Listen, ListenLog, Practice, Store, minutes_per_week, practice_days, statistics
from app.library.catalogue import theme_label
from app.settings import Settings
from app.ui.dialogs.listen import ListenDialog, aware_start
from app.ui.pages.history.csv_buttons import HistoryCsvButtons
from app.ui.pages.history.heatmap import Heatmap
from app.ui.pages.history.listens_table import COLUMNS, ListensTable
from app.ui.pages.history.stat_cards import StatCard, StatCards
from app.ui.pages.history.undo_bar import UndoBar
from app.ui.pages.history.weekly_chart import WeeklyChart
from app.ui.widgets.basics import labelled

#: How many listens the table shows at first, and how many more each "Show more" adds.
PAGE_SIZE = 200
#: The weeks the chart and the calendar show.
CHART_WEEKS = 12
CALENDAR_WEEKS = 13

__all__ = ["COLUMNS", "PAGE_SIZE", "Heatmap", "HistoryView", "StatCard"]


class HistoryView(QWidget):
    """Everything the log knows, shown gently; `refresh()` reads it again."""

    def __init__(self, log: ListenLog, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.log = log
        self.store = store
        #: Makes the add and edit dialogs; tests may put their own here.
        self.dialog_factory: Callable[[ListenLog, Listen | None, QWidget], ListenDialog] = ListenDialog
        self.listen_dialog: ListenDialog | None = None
        self.setObjectName("historyView")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(14)
        outer.addLayout(self._build_heading())
        outer.addLayout(self._build_cards())
        outer.addLayout(self._build_charts())
        outer.addLayout(self._build_filters())
        self.undo_bar = UndoBar()
        self.undo_label = self.undo_bar.label
        self.undo_button = self.undo_bar.button
        self.undo_button.clicked.connect(self.undo)
        outer.addWidget(self.undo_bar)
        self._build_list(outer)
        self.refresh()

    # -- building -----------------------------------------------------------------------

    def _build_heading(self) -> QHBoxLayout:
        heading = QLabel("History")
        heading.setObjectName("pageHeading")
        row = QHBoxLayout()
        row.addWidget(heading)
        row.addStretch(1)
        self.csv = HistoryCsvButtons(self.store.path)
        self.csv.imported.connect(self.refresh)
        row.addWidget(self.csv)
        return row

    def _build_cards(self) -> QHBoxLayout:
        self.cards = StatCards()
        self.total_card = self.cards.total
        self.sessions_card = self.cards.sessions
        self.current_card = self.cards.current_streak
        self.longest_card = self.cards.longest_streak
        self.themes_card = self.cards.themes
        return self.cards.row

    def _build_charts(self) -> QHBoxLayout:
        """The weekly chart, and the calendar beside it."""
        row = QHBoxLayout()
        row.setSpacing(16)
        self.chart_view = WeeklyChart()
        self.chart = self.chart_view.chart()
        row.addWidget(self.chart_view, 3)
        calendar = QVBoxLayout()
        calendar_label = QLabel("Practice days")
        calendar_label.setObjectName("paneHeading")
        self.heatmap = Heatmap()
        calendar.addWidget(calendar_label)
        calendar.addWidget(self.heatmap)
        calendar.addStretch(1)
        row.addLayout(calendar, 1)
        return row

    def _build_filters(self) -> QHBoxLayout:
        """The heading of the list, its month and theme filters, and what can be done to a listen."""
        row = QHBoxLayout()
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
        row.addWidget(listens_label)
        row.addStretch(1)
        row.addWidget(self.month_filter)
        row.addWidget(self.theme_filter)
        row.addSpacing(8)
        for action in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(action)
        return row

    def _build_list(self, outer: QVBoxLayout) -> None:
        """The table, "Show more" under it, and what the page says while there is nothing to list."""
        self.table = ListensTable()
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.table.editRequested.connect(self.edit_selected)
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

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        practice = self.log.practice()
        self.cards.show(statistics(practice), Settings(self.store).get(settings.SHOW_STREAKS))
        self.chart_view.show_weeks(minutes_per_week(practice, weeks=CHART_WEEKS), self.font(), self.palette())
        self.heatmap.set_days(practice_days(practice, weeks=CALENDAR_WEEKS))
        self._fill_filters(practice)
        # As many rows as were shown: a change far down the table keeps the reader's place.
        self._fill_table(max(PAGE_SIZE, self.table.rowCount()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # The chart paints with colours given to it, not the palette: a switch between light and
        # dark (the desktop's, with the setting on "Follow system") must hand it the new ones.
        restyled = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)
        chart_view = getattr(self, "chart_view", None)  # not before the chart is built
        if event.type() in restyled and chart_view is not None:
            chart_view.restyle(self.palette())
        super().changeEvent(event)

    def _fill_filters(self, practice: list[Practice]) -> None:
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
        self.table.append(listens)
        shown = self.table.rowCount()
        self.table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        self.more_button.setVisible(more)
        self._follow_selection()

    # -- selection ----------------------------------------------------------------------

    def listen_id_at(self, row: int) -> int:
        return self.table.listen_id_at(row)

    def selected_listen_id(self) -> int | None:
        return self.table.selected_listen_id()

    def select_listen(self, listen_id: int) -> bool:
        """Selects the row of `listen_id` if it is shown; says whether it was."""
        return self.table.select_listen(listen_id)

    def _follow_selection(self) -> None:
        chosen = self.selected_listen_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

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
        self.undo_bar.offer(
            "Practice added.",
            "Undo add",
            "Remove the practice just added",
            lambda: self.log.delete(listen_id),
        )
        self.refresh()
        self.select_listen(listen_id)

    def _on_edited(self, before: Listen) -> None:
        self.undo_bar.offer(
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
        self.undo_bar.offer(
            "Listen deleted.",
            "Undo delete",
            "Bring the deleted listen back",
            lambda: self.log.undo_delete(listen_id),
        )
        self.refresh()

    def undo(self) -> None:
        """The undo bar's Undo: the last add, edit or delete is put back."""
        self.undo_bar.undo()
        self.refresh()
