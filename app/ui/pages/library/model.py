"""The library as Qt item models: one row per script, filtered by search, theme and favourites.

Everything a row shows or is searched by is computed once when the entries are set, so that
filtering a thousand scripts on every keystroke is a handful of string tests per row, and
painting a row never touches the script itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.library import LibraryEntry
from app.library.catalogue import theme_label
from app.script import format_duration

NATURAL_LENGTH = "natural length"
HAS_ERRORS = "has errors"

AnyIndex = QModelIndex | QPersistentModelIndex


def lengths_text(entry: LibraryEntry) -> str:
    """The lengths a script offers (`10m · 20m`), or that it plays at its natural length."""
    if entry.script is None:
        return ""
    durations = entry.script.meta.durations
    if not durations:
        return NATURAL_LENGTH
    return " · ".join(format_duration(seconds) for seconds in durations)


def search_words(text: str) -> tuple[str, ...]:
    """What a search box holds, as the case-folded words that must all be found."""
    return tuple(text.casefold().split())


@dataclass(frozen=True)
class LibraryRow:
    """What one row shows and is searched by, worked out once per entry."""

    entry: LibraryEntry
    title: str
    summary: str
    theme: str
    lengths: str
    haystack: str  # title, summary and tags, case-folded, for the search

    @property
    def has_errors(self) -> bool:
        return self.entry.script is None

    @classmethod
    def of(cls, entry: LibraryEntry) -> LibraryRow:
        if entry.script is None:
            # A broken file has only its name; keep it findable by that name.
            title = entry.path.name
            count = len(entry.errors)
            summary = f"{count} error{'s' if count != 1 else ''} — select it to see which lines"
            return cls(entry, title, summary, "", "", title.casefold())
        meta = entry.script.meta
        haystack = "\n".join((meta.title, meta.summary, *meta.tags)).casefold()
        return cls(
            entry, meta.title, " ".join(meta.summary.split()), meta.theme, lengths_text(entry), haystack
        )


class LibraryModel(QAbstractListModel):
    """Every script of the catalogue, in the catalogue's order; favourites come from the store."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    SummaryRole = Qt.ItemDataRole.UserRole + 3
    ThemeRole = Qt.ItemDataRole.UserRole + 4
    LengthsRole = Qt.ItemDataRole.UserRole + 5
    FavouriteRole = Qt.ItemDataRole.UserRole + 6
    HasErrorsRole = Qt.ItemDataRole.UserRole + 7
    OriginRole = Qt.ItemDataRole.UserRole + 8

    def __init__(
        self,
        entries: list[LibraryEntry] | None = None,
        favourites: set[str] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._rows: list[LibraryRow] = [LibraryRow.of(entry) for entry in entries or []]
        self._favourites: set[str] = set(favourites or ())
        self._by_slug = self._index_slugs()

    # -- contents --------------------------------------------------------------------------

    def _index_slugs(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row, item in enumerate(self._rows):
            # A user script may share a bundled one's file name; the first (bundled) wins lookups.
            found.setdefault(item.entry.slug, row)
        return found

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        self.beginResetModel()
        self._rows = [LibraryRow.of(entry) for entry in entries]
        self._by_slug = self._index_slugs()
        self.endResetModel()

    def set_favourites(self, slugs: set[str]) -> None:
        self._favourites = set(slugs)
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [self.FavouriteRole])

    def set_favourite(self, slug: str, favourite: bool) -> None:
        if favourite:
            self._favourites.add(slug)
        else:
            self._favourites.discard(slug)
        for row, item in enumerate(self._rows):
            if item.entry.slug == slug:
                self.dataChanged.emit(self.index(row), self.index(row), [self.FavouriteRole])

    def is_favourite(self, slug: str) -> bool:
        return slug in self._favourites

    def row_of(self, slug: str) -> int | None:
        return self._by_slug.get(slug)

    def find_entry(self, slug: str) -> LibraryEntry | None:
        row = self._by_slug.get(slug)
        return None if row is None else self._rows[row].entry

    def themes(self) -> list[str]:
        """Every theme in use, sorted as people read them."""
        return sorted(
            {item.theme for item in self._rows if item.theme}, key=lambda t: theme_label(t).casefold()
        )

    def accepts(self, row: int, words: tuple[str, ...], theme: str | None, favourites_only: bool) -> bool:
        """Whether a row passes the filters: every search word found, the theme, the favourite."""
        item = self._rows[row]
        if theme is not None and item.theme != theme:
            return False
        if favourites_only and item.entry.slug not in self._favourites:
            return False
        return all(word in item.haystack for word in words)

    # -- QAbstractListModel ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return item.title
        if role == self.SummaryRole:
            return item.summary
        if role == self.ThemeRole:
            return item.theme
        if role == self.LengthsRole:
            return item.lengths
        if role == self.FavouriteRole:
            return item.entry.slug in self._favourites
        if role == self.HasErrorsRole:
            return item.has_errors
        if role == self.OriginRole:
            return item.entry.origin
        if role == self.EntryRole:
            return item.entry
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.summary
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(item)
        return None

    def _spoken(self, item: LibraryRow) -> str:
        """The row as a screen reader says it."""
        if item.has_errors:
            return f"{item.title}, {HAS_ERRORS}"
        parts = [item.title, theme_label(item.theme), item.lengths]
        if item.entry.slug in self._favourites:
            parts.append("favourite")
        return ", ".join(parts)


class LibraryFilterModel(QSortFilterProxyModel):
    """The rows a search, a theme and "Favourites only" let through, in the library's order."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._theme: str | None = None
        self._favourites_only = False
        # Unfavouriting a row while "Favourites only" is on should take it out of the list.
        self.setDynamicSortFilter(True)

    @property
    def favourites_only(self) -> bool:
        return self._favourites_only

    def set_search(self, text: str) -> None:
        words = search_words(text)
        if words != self._words:
            self._change(lambda: setattr(self, "_words", words))

    def set_theme(self, theme: str | None) -> None:
        if theme != self._theme:
            self._change(lambda: setattr(self, "_theme", theme))

    def set_favourites_only(self, on: bool) -> None:
        if on != self._favourites_only:
            self._change(lambda: setattr(self, "_favourites_only", bool(on)))

    def _change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, LibraryModel):
            return True
        return model.accepts(source_row, self._words, self._theme, self._favourites_only)

    def entry_at(self, row: int) -> LibraryEntry | None:
        index = self.index(row, 0)
        return index.data(LibraryModel.EntryRole) if index.isValid() else None
