"""The Library screen: find a meditation, see what is in it, and play it at the length you want.

On the left, the browser (browser.py): the search field, the theme and favourites filters, a
"Continue" strip for sessions left part-way (continue_strip.py), and the list of every script,
painted by a delegate (row_delegate.py) so that a thousand user scripts cost no widgets. On the
right, the details pane (details.py): the selected script (script_details.py), or, for a script
with errors, the lines to fix and a button to open the file (error_details.py).

This module is the page itself: it holds the models (model.py) and the store, wires the parts
together, and says what the listener asked for through its signals.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from app import settings
from app.history import Store
from app.library import LibraryEntry
from app.render.estimate import playable_lengths
from app.settings import Settings
from app.ui.pages.library.browser import LibraryBrowser, empty_list_text
from app.ui.pages.library.continue_strip import CONTINUE_LIMIT, minutes_left_text, sessions_to_continue
from app.ui.pages.library.details import DetailsPane
from app.ui.pages.library.model import LibraryFilterModel, LibraryModel
from app.ui.pages.library.row_delegate import LibraryDelegate
from app.ui.widgets.basics import local_shortcut

# Importable from here as before the page was split into its parts.
__all__ = ["CONTINUE_LIMIT", "LibraryDelegate", "LibraryView", "minutes_left_text"]


class LibraryView(QWidget):
    """The Library screen. Emits what the listener asks for; playing it is the window's job."""

    #: (entry, length in seconds, or None for the script's natural length)
    playRequested = Signal(object, object)
    #: (entry, length in seconds of the part-way session, position in ms to continue from)
    resumeRequested = Signal(object, float, int)
    #: (entry) a bundled script to copy into the user's library and open in the editor
    copyRequested = Signal(object)
    #: (entry) one of the user's own scripts to open in the editor
    editRequested = Signal(object)
    #: (entry, length in seconds or None) the script to save as an audio file, at the chosen length
    exportRequested = Signal(object, object)

    def __init__(self, entries: list[LibraryEntry], store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryView")
        self._store = store
        self._model = LibraryModel(entries, store.favourites(), self)
        self._proxy = LibraryFilterModel(self)
        self._proxy.setSourceModel(self._model)
        self._details_entry: LibraryEntry | None = None
        #: The slug of the session playing right now: it is not offered to continue, it is going on.
        self._playing_slug: str | None = None

        self.browser = LibraryBrowser(self._proxy)
        self.details = DetailsPane()
        self._name_the_parts()
        self._connect_the_parts()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # The main window may own a window-wide Ctrl+F instead; it can then disable this one.
        self.search_shortcut = local_shortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

        self._rebuild_themes()
        self.refresh_continue()
        self._after_filter()

    def _name_the_parts(self) -> None:
        """The widgets the window and the tests reach for, under the page's own names."""
        browser, script, errors = self.browser, self.details.script, self.details.errors
        self.search_field = browser.search_field
        self.theme_filter = browser.theme_filter
        self.favourites_filter = browser.favourites_filter
        self.count_label = browser.count_label
        self.continue_strip = browser.continue_strip
        self.list_stack = browser.list_stack
        self.list_view = browser.list_view
        self._delegate = browser.delegate
        self.empty_state = browser.empty_state
        self.empty_title = browser.empty_title
        self.empty_hint = browser.empty_hint
        self.clear_filters_button = browser.clear_filters_button

        self.details_stack = self.details.details_stack
        self.placeholder_label = self.details.placeholder_label
        self.details_title = script.details_title
        self.details_meta = script.details_meta
        self.details_summary = script.details_summary
        self.details_tags = script.details_tags
        self.details_sections = script.details_sections
        self.length_picker = script.length_picker
        self.play_button = script.play_button
        self.favourite_button = script.favourite_button
        self.copy_button = script.copy_button
        self.edit_button = script.edit_button
        self.export_button = script.export_button
        self.error_title = errors.error_title
        self.error_headline = errors.error_headline
        self.error_explanation = errors.error_explanation
        self.error_text = errors.error_text
        self.error_path = errors.error_path
        self.fix_button = errors.fix_button
        self.open_file_button = errors.open_file_button
        self.open_file_problem = errors.open_file_problem

    def _connect_the_parts(self) -> None:
        self.search_field.textChanged.connect(self._on_search)
        self.theme_filter.currentIndexChanged.connect(self._on_theme)
        self.favourites_filter.toggled.connect(self._on_favourites_only)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self._delegate.favouriteClicked.connect(self._on_star_clicked)
        self.browser.playSelectedRequested.connect(self._play_current)
        self.continue_strip.resumeRequested.connect(self.resumeRequested)
        self.continue_strip.forgetRequested.connect(self._forget)

        self.play_button.clicked.connect(self._play_details)
        self.favourite_button.toggled.connect(self._on_favourite_button)
        self.copy_button.clicked.connect(self._copy_details)
        self.edit_button.clicked.connect(self._edit_details)
        self.export_button.clicked.connect(self._export_details)
        self.fix_button.clicked.connect(self._edit_details)

    # -- public ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        """Show a new catalogue (after a script was added or edited), keeping the selection."""
        selected = self.selected_entry()
        self._model.set_favourites(self._store.favourites())
        self._model.set_entries(entries)
        self._details_entry = None
        self._rebuild_themes()
        if selected is not None:
            self._select_slug(selected.slug)
        self.refresh_continue()
        self._after_filter()

    def refresh_continue(self) -> None:
        """Rebuild the Continue strip from the store's part-way sessions."""
        sessions = sessions_to_continue(self._store.unfinished(), self._model.find_entry, self._playing_slug)
        self.continue_strip.show_sessions(sessions)

    def set_playing(self, slug: str | None) -> None:
        """The session playing now (None when nothing plays) leaves the Continue strip until it pauses."""
        if slug != self._playing_slug:
            self._playing_slug = slug
            self.refresh_continue()

    def selected_entry(self) -> LibraryEntry | None:
        index = self.list_view.currentIndex()
        if not index.isValid() or not self.list_view.selectionModel().isSelected(index):
            return None
        return index.data(LibraryModel.EntryRole)

    def visible_titles(self) -> list[str]:
        return [
            str(self._proxy.index(row, 0).data(LibraryModel.TitleRole))
            for row in range(self._proxy.rowCount())
        ]

    def continue_titles(self) -> list[str]:
        return [entry.title for entry in self.continue_strip.entries]

    def select_entry(self, entry: LibraryEntry) -> bool:
        """Select a script by slug; False when the filters hide it."""
        return self._select_slug(entry.slug)

    def show_slug(self, slug: str) -> bool:
        """Select the script `slug` whatever the filters were; False when it is not in the library."""
        self.clear_filters()
        return self._select_slug(slug)

    def set_favourite(self, entry: LibraryEntry, favourite: bool) -> None:
        self._store.set_favourite(entry.slug, favourite)
        self._model.set_favourite(entry.slug, favourite)
        if self._details_entry is not None and self._details_entry.slug == entry.slug:
            self.details.script.show_favourite(favourite)
        self._after_filter()

    def clear_filters(self) -> None:
        self.browser.clear_filters()

    def chosen_length(self) -> float | None:
        """The length picked for the script in the details pane; None means its natural length."""
        return self.details.script.chosen_length()

    # -- continue -------------------------------------------------------------------------

    def _forget(self, slug: str) -> None:
        self._store.clear_position(slug)
        self.refresh_continue()

    # -- filters --------------------------------------------------------------------------

    def _rebuild_themes(self) -> None:
        self.browser.set_themes(self._model.themes())
        self._proxy.set_theme(self.theme_filter.currentData())

    def _on_search(self, text: str) -> None:
        self._proxy.set_search(text)
        self._after_filter()

    def _on_theme(self, _index: int) -> None:
        self._proxy.set_theme(self.theme_filter.currentData())
        self._after_filter()

    def _on_favourites_only(self, on: bool) -> None:
        self._proxy.set_favourites_only(on)
        self._after_filter()

    def _after_filter(self) -> None:
        """Keep a visible row selected, and show why the list is empty when it is."""
        shown = self._proxy.rowCount()
        total = self._model.rowCount()
        self.browser.show_count(shown, total)
        if shown == 0:
            title, hint = empty_list_text(
                total, self.search_field.text(), self._proxy.favourites_only, bool(self._store.favourites())
            )
            self.browser.show_empty(title, hint, can_clear=total > 0)
            self._show_details(None)
            return
        self.browser.show_list()
        current = self.list_view.currentIndex()
        if not current.isValid():
            current = self._proxy.index(0, 0)
        # Filtering can leave the current row unselected; selecting it keeps details and Enter in step.
        self.list_view.setCurrentIndex(current)
        self.list_view.scrollTo(current)
        self._on_current_changed(current, QModelIndex())

    def _select_slug(self, slug: str) -> bool:
        row = self._model.row_of(slug)
        if row is None:
            return False
        index = self._proxy.mapFromSource(self._model.index(row))
        if not index.isValid():
            return False
        self.list_view.setCurrentIndex(index)
        return True

    # -- selection and details ------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(LibraryModel.EntryRole) if current.isValid() else None
        self._show_details(entry)

    def _show_details(self, entry: LibraryEntry | None) -> None:
        if entry is self._details_entry and entry is not None:
            return  # same script: keep the length the listener picked
        self._details_entry = entry
        if entry is None:
            self.details.show_nothing()
        elif entry.script is None:
            self.details.show_errors(entry)
        else:
            # Only what fits at the listener's rate: a slow voice needs more room than the author's.
            values = Settings(self._store)
            self.details.show_script(
                entry,
                playable_lengths(entry.script, values.get(settings.RATE)),
                values.get(settings.DEFAULT_LENGTH),
                self._model.is_favourite(entry.slug),
            )

    # -- favourites and play --------------------------------------------------------------

    def _on_favourite_button(self, on: bool) -> None:
        if self._details_entry is not None:
            self.set_favourite(self._details_entry, on)

    def _on_star_clicked(self, index: QPersistentModelIndex) -> None:
        entry = index.data(LibraryModel.EntryRole) if index.isValid() else None
        if entry is not None:
            self.set_favourite(entry, not self._model.is_favourite(entry.slug))

    def _play_current(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.script is None:
            return
        if entry is not self._details_entry:
            self._show_details(entry)
        self.playRequested.emit(entry, self.chosen_length())

    def _copy_details(self) -> None:
        if self._details_entry is not None:
            self.copyRequested.emit(self._details_entry)

    def _edit_details(self) -> None:
        if self._details_entry is not None:
            self.editRequested.emit(self._details_entry)

    def _export_details(self) -> None:
        entry = self._details_entry
        if entry is not None and entry.script is not None:
            self.exportRequested.emit(entry, self.chosen_length())

    def _play_details(self) -> None:
        entry = self._details_entry
        if entry is not None and entry.script is not None:
            self.playRequested.emit(entry, self.chosen_length())
