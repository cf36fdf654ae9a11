"""The left side of the Library page: search, filters, the Continue strip, and the list of scripts.

The browser owns its widgets and the keys that move between them; what a search or a filter
means is the model's business, and what happens on a choice is the page's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.library.catalogue import theme_label
from app.ui.pages.library.continue_strip import ContinueStrip
from app.ui.pages.library.labels import embolden, plain_label
from app.ui.pages.library.model import LibraryFilterModel
from app.ui.pages.library.row_delegate import LibraryDelegate
from app.ui.widgets.basics import button, labelled


def empty_list_text(total: int, search: str, favourites_only: bool, has_favourites: bool) -> tuple[str, str]:
    """(title, hint) of the empty list: why nothing shows, and what to do about it."""
    text = search.strip()
    if total == 0:
        return (
            "Your library is empty",
            "Kindred found no meditation scripts. Add one of your own to your library folder.",
        )
    if favourites_only and not has_favourites:
        return "No favourites yet", "Select a meditation and press its star to keep it here."
    if text:
        return (
            f"No meditations match “{text}”",
            "Try fewer or shorter words, another theme, or turn off Favourites only.",
        )
    return "No meditations match these filters", "Try another theme, or turn off Favourites only."


class LibraryBrowser(QWidget):
    """The search field, the theme and favourites filters, the Continue strip, and the list
    (or, when the filters leave nothing, a note saying why)."""

    #: Enter on a row, or a double click away from its star: play the selected script.
    playSelectedRequested = Signal()

    def __init__(self, rows: LibraryFilterModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryBrowser")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(self._build_search())
        layout.addLayout(self._build_filters())
        self.continue_strip = ContinueStrip()
        layout.addWidget(self.continue_strip)

        self.list_stack = QStackedWidget()
        self.list_stack.setObjectName("libraryListStack")
        self.list_stack.addWidget(self._build_list(rows))
        self.list_stack.addWidget(self._build_empty_state())
        layout.addWidget(self.list_stack, 1)

    # -- building ------------------------------------------------------------------------

    def _build_search(self) -> QLineEdit:
        self.search_field = QLineEdit()
        self.search_field.setObjectName("librarySearch")
        self.search_field.setPlaceholderText("Search titles, summaries and tags")
        self.search_field.setClearButtonEnabled(True)
        labelled(
            self.search_field,
            "Search the library",
            "Type words from a title, summary or tag; every word must match (Ctrl+F)",
        )
        self.search_field.installEventFilter(self)
        return self.search_field

    def _build_filters(self) -> QLayout:
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.theme_filter = QComboBox()
        self.theme_filter.setObjectName("themeFilter")
        labelled(self.theme_filter, "Theme", "Show only the meditations of one theme")
        filters.addWidget(self.theme_filter)
        self.favourites_filter = QPushButton("★ Favourites only")
        self.favourites_filter.setObjectName("favouritesFilter")
        self.favourites_filter.setCheckable(True)
        labelled(self.favourites_filter, "Favourites only", "Show only the meditations you starred")
        filters.addWidget(self.favourites_filter)
        filters.addStretch(1)
        self.count_label = plain_label("", "libraryCount")
        labelled(self.count_label, "Number of meditations shown", "How many meditations the filters show")
        filters.addWidget(self.count_label)
        return filters

    def _build_list(self, rows: LibraryFilterModel) -> QListView:
        self.list_view = QListView()
        self.list_view.setObjectName("libraryList")
        self.list_view.setModel(rows)
        self.delegate = LibraryDelegate(self.list_view)
        self.list_view.setItemDelegate(self.delegate)
        # Every row has the same height: the view measures one, not a thousand.
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setMouseTracking(True)
        self.list_view.setFrameShape(QFrame.Shape.NoFrame)
        labelled(
            self.list_view,
            "Meditations",
            "Select a meditation to see its details; Enter or double-click plays it",
        )
        self.list_view.installEventFilter(self)
        self.list_view.doubleClicked.connect(self._on_double_click)
        return self.list_view

    def _build_empty_state(self) -> QWidget:
        self.empty_state = QWidget()
        self.empty_state.setObjectName("libraryEmpty")
        empty = QVBoxLayout(self.empty_state)
        empty.setContentsMargins(24, 40, 24, 24)
        empty.setSpacing(10)
        self.empty_title = embolden(plain_label("", "emptyTitle", wrap=True), 1.15)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_hint = plain_label("", "emptyHint", wrap=True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.clear_filters_button = button(
            "Clear search and filters",
            "Clear search and filters",
            "Show every meditation again",
            self.clear_filters,
            object_name="clearFiltersButton",
        )
        empty.addWidget(self.empty_title)
        empty.addWidget(self.empty_hint)
        empty.addWidget(self.clear_filters_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addStretch(1)
        return self.empty_state

    # -- showing -------------------------------------------------------------------------

    def set_themes(self, themes: list[str]) -> None:
        """Offer "All themes" and then `themes`, keeping the chosen one if it is still there."""
        current = self.theme_filter.currentData()
        self.theme_filter.blockSignals(True)
        self.theme_filter.clear()
        self.theme_filter.addItem("All themes", None)
        for theme in themes:
            self.theme_filter.addItem(theme_label(theme), theme)
        position = self.theme_filter.findData(current) if current is not None else 0
        self.theme_filter.setCurrentIndex(max(0, position))
        self.theme_filter.blockSignals(False)

    def show_count(self, shown: int, total: int) -> None:
        self.count_label.setText(
            f"{total} meditation{'s' if total != 1 else ''}" if shown == total else f"{shown} of {total}"
        )

    def show_list(self) -> None:
        self.list_stack.setCurrentWidget(self.list_view)

    def show_empty(self, title: str, hint: str, can_clear: bool) -> None:
        """Put the note in place of the list; `can_clear` when clearing the filters would help."""
        self.empty_title.setText(title)
        self.empty_hint.setText(hint)
        self.clear_filters_button.setVisible(can_clear)
        self.list_stack.setCurrentWidget(self.empty_state)

    def clear_filters(self) -> None:
        self.search_field.clear()
        self.theme_filter.setCurrentIndex(0)
        self.favourites_filter.setChecked(False)

    # -- mouse and keys ------------------------------------------------------------------

    def _on_double_click(self, index: QModelIndex) -> None:
        # A double click on the star is two toggles, not a request to play.
        position = self.list_view.viewport().mapFromGlobal(QCursor.pos())
        if self.delegate.star_rect(self.list_view.visualRect(index)).contains(position):
            return
        self.playSelectedRequested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.list_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.playSelectedRequested.emit()
                return True
            if watched is self.search_field:
                rows = self.list_view.model().rowCount()
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and rows:
                    # From the search straight to the results: a second Enter then plays.
                    self.list_view.setFocus(Qt.FocusReason.TabFocusReason)
                    return True
                if key == Qt.Key.Key_Escape and self.search_field.text():
                    self.search_field.clear()
                    return True
        return super().eventFilter(watched, event)
