"""The Library screen: find a meditation, see what is in it, and play it at the length you want.

On the left: the search field, the theme and favourites filters, a "Continue" strip for
sessions left part-way, and the list of every script (painted by a delegate, so a thousand
user scripts cost no widgets). On the right: the selected script's details, or, for a script
with errors, the lines to fix and a button to open the file.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QCursor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.history import Store
from app.library import LibraryEntry
from app.library.catalogue import theme_label
from app.render.estimate import playable_lengths
from app.script import format_duration
from app.tts.engine import DEFAULT_RATE_WPM
from app.ui.pages.library.model import (
    HAS_ERRORS,
    NATURAL_LENGTH,
    LibraryFilterModel,
    LibraryModel,
)
from app.ui.widgets.basics import button, labelled, local_shortcut

#: How many part-way sessions the Continue strip offers; more would push the library out of view.
CONTINUE_LIMIT = 3

_FAVOURITE_GOLD = QColor("#d9a032")


def minutes_left_text(length_ms: int, position_ms: int) -> str:
    """`12 min left`, rounded up so that a session is never promised shorter than it is."""
    remaining = max(0, length_ms - position_ms)
    return f"{max(1, math.ceil(remaining / 60_000))} min left"


def _blend(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` of the way towards `b`: secondary text that follows light and dark themes."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _warning_colour(palette: QPalette) -> QColor:
    return QColor("#f0a070") if _is_dark(palette) else QColor("#b0531c")


def _scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    else:
        scaled.setPixelSize(max(1, round(scaled.pixelSize() * factor)))
    if bold:
        scaled.setWeight(QFont.Weight.DemiBold)
    return scaled


def _star_path(centre: QPointF, radius: float) -> QPainterPath:
    """A five-pointed star, drawn rather than typed so it looks the same whatever the fonts."""
    path = QPainterPath()
    for point in range(10):
        r = radius if point % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + point * math.pi / 5
        vertex = QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))
        if point == 0:
            path.moveTo(vertex)
        else:
            path.lineTo(vertex)
    path.closeSubpath()
    return path


class LibraryDelegate(QStyledItemDelegate):
    """Paints a row: the title and its star, the summary, then theme and lengths (or "has errors")."""

    #: The star of the row at this (proxy) index was clicked.
    favouriteClicked = Signal(object)

    PAD_X = 14
    PAD_Y = 10
    LINE_GAP = 4
    STAR_SIZE = 22
    MARGIN = 3

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = option.font
        return _scaled_font(base, 1.1, bold=True), QFont(base), _scaled_font(base, 0.9)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        title, summary, meta = (QFontMetrics(font) for font in self._fonts(option))
        height = (
            2 * (self.PAD_Y + self.MARGIN)
            + max(title.height(), self.STAR_SIZE)
            + self.LINE_GAP
            + summary.height()
            + self.LINE_GAP
            + meta.height()
        )
        return QSize(240, height)

    def star_rect(self, row_rect: QRect) -> QRect:
        card = row_rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        return QRect(
            card.right() - self.PAD_X - self.STAR_SIZE + 4,
            card.top() + self.PAD_Y - 1,
            self.STAR_SIZE,
            self.STAR_SIZE,
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        palette = option.palette
        state = option.state
        text_colour = palette.color(QPalette.ColorRole.Text)
        base_colour = palette.color(QPalette.ColorRole.Base)
        secondary = _blend(text_colour, base_colour, 0.4)
        faint = _blend(text_colour, base_colour, 0.55)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        title_font, summary_font, meta_font = self._fonts(option)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)

        # A soft tinted card for the selection rather than the style's solid bar: calmer to look at.
        if state & QStyle.StateFlag.State_Selected:
            fill = QColor(highlight)
            fill.setAlphaF(0.22 if state & QStyle.StateFlag.State_Active else 0.14)
            edge = QColor(highlight)
            edge.setAlphaF(0.55)
            painter.setPen(QPen(edge, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)
        elif state & QStyle.StateFlag.State_MouseOver:
            fill = QColor(text_colour)
            fill.setAlphaF(0.05)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)

        inner = card.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        star = self.star_rect(option.rect)
        text_width = max(10, star.left() - 8 - inner.left())

        title_metrics = QFontMetrics(title_font)
        title_height = max(title_metrics.height(), self.STAR_SIZE)
        title_rect = QRect(inner.left(), inner.top(), text_width, title_height)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = str(index.data(LibraryModel.TitleRole) or "")
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, text_width),
        )

        favourite = bool(index.data(LibraryModel.FavouriteRole))
        path = _star_path(QPointF(star.center()), self.STAR_SIZE * 0.4)
        if favourite:
            painter.setPen(QPen(_FAVOURITE_GOLD.darker(115), 1))
            painter.setBrush(_FAVOURITE_GOLD)
        else:
            painter.setPen(QPen(faint, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

        summary_metrics = QFontMetrics(summary_font)
        summary_rect = QRect(
            inner.left(), title_rect.bottom() + 1 + self.LINE_GAP, inner.width(), summary_metrics.height()
        )
        painter.setFont(summary_font)
        painter.setPen(secondary)
        summary = str(index.data(LibraryModel.SummaryRole) or "")
        painter.drawText(
            summary_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            summary_metrics.elidedText(summary, Qt.TextElideMode.ElideRight, inner.width()),
        )

        meta_metrics = QFontMetrics(meta_font)
        meta_rect = QRect(
            inner.left(), summary_rect.bottom() + 1 + self.LINE_GAP, inner.width(), meta_metrics.height()
        )
        painter.setFont(meta_font)
        if index.data(LibraryModel.HasErrorsRole):
            painter.setPen(_warning_colour(palette))
            meta = f"⚠ {HAS_ERRORS}"
        else:
            painter.setPen(faint)
            parts = [
                theme_label(str(index.data(LibraryModel.ThemeRole) or "")),
                index.data(LibraryModel.LengthsRole),
            ]
            if index.data(LibraryModel.OriginRole) == "user":
                parts.append("your script")
            meta = "  ·  ".join(str(part) for part in parts if part)
        painter.drawText(
            meta_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            meta_metrics.elidedText(meta, Qt.TextElideMode.ElideRight, inner.width()),
        )
        painter.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: QObject,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self.star_rect(option.rect).contains(event.position().toPoint())
        ):
            self.favouriteClicked.emit(QPersistentModelIndex(index))
            return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]


def _label(text: str = "", name: str = "", wrap: bool = False, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    # Script text is the user's own: never let it be read as rich text.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _WrappingRow(QLayout):
    """Buttons side by side while they fit, the rest on the next line: the details pane stays
    narrow enough for a small screen (or a wide list) without a horizontal scrollbar."""

    def __init__(self, spacing: int):
        super().__init__()
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        """Everything on one line, as it is when there is room."""
        hints = [item.sizeHint() for item in self._shown()]
        if not hints:
            return QSize(0, 0)
        width = sum(hint.width() for hint in hints) + self.spacing() * (len(hints) - 1)
        return QSize(width, max(hint.height() for hint in hints))

    def minimumSize(self) -> QSize:
        """One button a line: as narrow as the widest button."""
        size = QSize(0, 0)
        for item in self._shown():
            size = size.expandedTo(item.sizeHint())
        return size

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]  # hidden buttons take no room

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lays the buttons out left to right, wrapping at the right edge; returns the height used."""
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._shown():
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.x() + rect.width():
                x, y, line_height = rect.x(), y + line_height + self.spacing(), 0
            if place:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class _ContinueItem(QPushButton):
    """One part-way session in the Continue strip: its title, and how long is left."""

    def __init__(self, title: str, left: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("continueItem")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        play = _label("▶", "continueIcon")
        title_label = _label(title, "continueTitle")
        title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        left_label = _label(left, "continueLeft")
        for child in (play, title_label, left_label):
            # Clicks anywhere on the item belong to the button.
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(play)
        layout.addWidget(title_label, 1)
        layout.addWidget(left_label)
        self.title_label = title_label
        self.left_label = left_label
        self.setMinimumHeight(layout.sizeHint().height())


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
        self._continue_entries: list[LibraryEntry] = []
        #: The slug of the session playing right now: it is not offered to continue, it is going on.
        self._playing_slug: str | None = None

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_browser())
        self.splitter.addWidget(self._build_details())
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

    # -- building ------------------------------------------------------------------------

    def _build_browser(self) -> QWidget:
        browser = QWidget()
        browser.setObjectName("libraryBrowser")
        layout = QVBoxLayout(browser)
        layout.setContentsMargins(20, 20, 12, 12)
        layout.setSpacing(12)

        self.search_field = QLineEdit()
        self.search_field.setObjectName("librarySearch")
        self.search_field.setPlaceholderText("Search titles, summaries and tags")
        self.search_field.setClearButtonEnabled(True)
        labelled(
            self.search_field,
            "Search the library",
            "Type words from a title, summary or tag; every word must match (Ctrl+F)",
        )
        self.search_field.textChanged.connect(self._on_search)
        self.search_field.installEventFilter(self)
        layout.addWidget(self.search_field)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.theme_filter = QComboBox()
        self.theme_filter.setObjectName("themeFilter")
        labelled(self.theme_filter, "Theme", "Show only the meditations of one theme")
        self.theme_filter.currentIndexChanged.connect(self._on_theme)
        filters.addWidget(self.theme_filter)
        self.favourites_filter = QPushButton("★ Favourites only")
        self.favourites_filter.setObjectName("favouritesFilter")
        self.favourites_filter.setCheckable(True)
        labelled(self.favourites_filter, "Favourites only", "Show only the meditations you starred")
        self.favourites_filter.toggled.connect(self._on_favourites_only)
        filters.addWidget(self.favourites_filter)
        filters.addStretch(1)
        self.count_label = _label("", "libraryCount")
        labelled(self.count_label, "Number of meditations shown", "How many meditations the filters show")
        filters.addWidget(self.count_label)
        layout.addLayout(filters)

        self.continue_strip = QFrame()
        self.continue_strip.setObjectName("continueStrip")
        strip = QVBoxLayout(self.continue_strip)
        strip.setContentsMargins(0, 4, 0, 4)
        strip.setSpacing(6)
        heading = _label("Continue where you left off", "sectionHeading")
        heading.setFont(_scaled_font(heading.font(), 0.95, bold=True))
        strip.addWidget(heading)
        self._continue_layout = QVBoxLayout()
        self._continue_layout.setSpacing(4)
        strip.addLayout(self._continue_layout)
        self.continue_strip.setAccessibleName("Continue where you left off")
        layout.addWidget(self.continue_strip)

        self.list_view = QListView()
        self.list_view.setObjectName("libraryList")
        self.list_view.setModel(self._proxy)
        self._delegate = LibraryDelegate(self.list_view)
        self.list_view.setItemDelegate(self._delegate)
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
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self._delegate.favouriteClicked.connect(self._on_star_clicked)

        self.empty_state = QWidget()
        self.empty_state.setObjectName("libraryEmpty")
        empty = QVBoxLayout(self.empty_state)
        empty.setContentsMargins(24, 40, 24, 24)
        empty.setSpacing(10)
        self.empty_title = _label("", "emptyTitle", wrap=True)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_title.setFont(_scaled_font(self.empty_title.font(), 1.15, bold=True))
        self.empty_hint = _label("", "emptyHint", wrap=True)
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

        self.list_stack = QStackedWidget()
        self.list_stack.setObjectName("libraryListStack")
        self.list_stack.addWidget(self.list_view)
        self.list_stack.addWidget(self.empty_state)
        layout.addWidget(self.list_stack, 1)
        return browser

    def _build_details(self) -> QWidget:
        self.details_stack = QStackedWidget()
        self.details_stack.setObjectName("libraryDetails")

        placeholder = QWidget()
        place = QVBoxLayout(placeholder)
        place.setContentsMargins(28, 40, 28, 28)
        self.placeholder_label = _label(
            "Choose a meditation to see its sections and lengths.", "detailsPlaceholder", wrap=True
        )
        self.placeholder_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        place.addWidget(self.placeholder_label)
        place.addStretch(1)
        self.details_stack.addWidget(placeholder)

        self.details_stack.addWidget(self._build_script_page())
        self.details_stack.addWidget(self._build_error_page())

        scroll = QScrollArea()
        scroll.setObjectName("libraryDetailsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Text wraps and buttons move to the next line instead: never a sideways scroll.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.details_stack)
        scroll.setMinimumWidth(300)
        return scroll

    def _build_script_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("scriptDetails")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)

        self.details_title = _label("", "detailsTitle", wrap=True, selectable=True)
        self.details_title.setFont(_scaled_font(self.details_title.font(), 1.6, bold=True))
        self.details_title.setAccessibleName("Title")
        self.details_meta = _label("", "detailsMeta", wrap=True)
        self.details_meta.setAccessibleName("Theme")
        self.details_summary = _label("", "detailsSummary", wrap=True, selectable=True)
        self.details_summary.setAccessibleName("Summary")
        self.details_tags = _label("", "detailsTags", wrap=True)
        self.details_tags.setAccessibleName("Tags")
        for widget in (self.details_title, self.details_meta, self.details_summary, self.details_tags):
            layout.addWidget(widget)

        layout.addSpacing(8)
        sections_heading = _label("Sections", "sectionHeading")
        sections_heading.setFont(_scaled_font(sections_heading.font(), 0.95, bold=True))
        layout.addWidget(sections_heading)
        self.details_sections = _label("", "detailsSections", wrap=True)
        self.details_sections.setAccessibleName("Sections")
        layout.addWidget(self.details_sections)

        layout.addSpacing(12)
        length_row = QHBoxLayout()
        length_row.setSpacing(10)
        length_label = _label("Length", "lengthLabel")
        self.length_picker = QComboBox()
        self.length_picker.setObjectName("lengthPicker")
        labelled(self.length_picker, "Length", "How long the session lasts; only the silences change")
        length_label.setBuddy(self.length_picker)
        length_row.addWidget(length_label)
        length_row.addWidget(self.length_picker)
        length_row.addStretch(1)
        layout.addLayout(length_row)

        buttons = _WrappingRow(spacing=10)
        self.play_button = button(
            "▶  Play",
            "Play",
            "Play this meditation at the chosen length (Enter)",
            self._play_details,
            object_name="playButton",
        )
        self.play_button.setDefault(True)
        self.play_button.setMinimumHeight(48)
        self.play_button.setMinimumWidth(140)
        self.play_button.setFont(_scaled_font(self.play_button.font(), 1.2, bold=True))
        self.favourite_button = QPushButton()
        self.favourite_button.setObjectName("favouriteButton")
        self.favourite_button.setCheckable(True)
        self.favourite_button.setMinimumHeight(48)
        labelled(self.favourite_button, "Favourite", "Star this meditation to find it under Favourites only")
        self.favourite_button.toggled.connect(self._on_favourite_button)
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.favourite_button)
        layout.addLayout(buttons)

        # Bundled scripts stay as they are: changing one starts from a copy of one's own.
        writing = _WrappingRow(spacing=10)
        self.copy_button = button(
            "Make a copy",
            "Make a copy",
            "Copy this meditation into your own scripts and open it in Write to change it",
            self._copy_details,
            object_name="copyButton",
        )
        self.edit_button = button(
            "Edit", "Edit", "Open your script in Write", self._edit_details, object_name="editButton"
        )
        self.export_button = button(
            "Export…",
            "Export",
            "Save this meditation as an audio file for a phone or music player, at the chosen length",
            self._export_details,
            object_name="exportButton",
        )
        writing.addWidget(self.copy_button)
        writing.addWidget(self.edit_button)
        writing.addWidget(self.export_button)
        layout.addLayout(writing)
        layout.addStretch(1)
        return page

    def _build_error_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("errorDetails")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        self.error_title = _label("", "detailsTitle", wrap=True, selectable=True)
        self.error_title.setFont(_scaled_font(self.error_title.font(), 1.6, bold=True))
        self.error_title.setAccessibleName("File name")
        self.error_headline = _label("This script has errors", "errorHeadline", wrap=True)
        self.error_headline.setFont(_scaled_font(self.error_headline.font(), 1.1, bold=True))
        self.error_explanation = _label(
            "Kindred cannot play it until these lines are fixed. Open the file, correct them, and save it.",
            "errorExplanation",
            wrap=True,
        )
        self.error_text = _label("", "errorText", wrap=True, selectable=True)
        self.error_text.setAccessibleName("Errors")
        self.error_path = _label("", "errorPath", wrap=True, selectable=True)
        self.error_path.setAccessibleName("File location")
        self.open_file_button = button(
            "Open file",
            "Open file",
            "Open the script in your text editor to fix it",
            self._open_error_file,
            object_name="openFileButton",
        )
        self.open_file_button.setMinimumHeight(40)
        self.open_file_problem = _label("", "openFileProblem", wrap=True, selectable=True)
        self.open_file_problem.hide()
        for widget in (self.error_title, self.error_headline, self.error_explanation, self.error_text):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addWidget(self.error_path)
        error_buttons = _WrappingRow(spacing=10)
        self.fix_button = button(
            "Fix in Write",
            "Fix in Write",
            "Open the script in Write, where every error is marked",
            self._edit_details,
            object_name="fixButton",
        )
        self.fix_button.setMinimumHeight(40)
        error_buttons.addWidget(self.fix_button)
        error_buttons.addWidget(self.open_file_button)
        layout.addLayout(error_buttons)
        layout.addWidget(self.open_file_problem)
        layout.addStretch(1)
        return page

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
        while self._continue_layout.count():
            item = self._continue_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._continue_entries = []
        for slug, length_ms, position_ms in self._store.unfinished():
            entry = self._model.find_entry(slug)
            if entry is None or entry.script is None or length_ms <= 0:
                continue  # the script was removed or broken since; nothing to continue
            if slug == self._playing_slug:
                continue
            self._continue_entries.append(entry)
            self._continue_layout.addWidget(self._continue_row(entry, length_ms, position_ms))
            if len(self._continue_entries) == CONTINUE_LIMIT:
                break
        self.continue_strip.setVisible(bool(self._continue_entries))

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
        return [entry.title for entry in self._continue_entries]

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
            self._show_favourite(favourite)
        self._after_filter()

    def clear_filters(self) -> None:
        self.search_field.clear()
        self.theme_filter.setCurrentIndex(0)
        self.favourites_filter.setChecked(False)

    def chosen_length(self) -> float | None:
        """The length picked for the script in the details pane; None means its natural length."""
        data = self.length_picker.currentData()
        return None if data is None else float(data)

    # -- continue -------------------------------------------------------------------------

    def _continue_row(self, entry: LibraryEntry, length_ms: int, position_ms: int) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        left = minutes_left_text(length_ms, position_ms)
        button = _ContinueItem(entry.title, left)
        labelled(
            button,
            f"Continue {entry.title}, {left}",
            f"Continue “{entry.title}” where you left off ({left} of {format_duration(length_ms / 1000)})",
        )
        length_s, position = length_ms / 1000.0, position_ms
        button.clicked.connect(lambda: self.resumeRequested.emit(entry, length_s, position))
        forget = QToolButton()
        forget.setObjectName("continueForget")
        forget.setText("✕")
        forget.setAutoRaise(True)
        labelled(forget, f"Forget the place in {entry.title}", "Forget where you left off in this session")
        forget.clicked.connect(lambda: self._forget(entry.slug))
        layout.addWidget(button, 1)
        layout.addWidget(forget)
        return row

    def _forget(self, slug: str) -> None:
        self._store.clear_position(slug)
        self.refresh_continue()

    # -- filters --------------------------------------------------------------------------

    def _rebuild_themes(self) -> None:
        current = self.theme_filter.currentData()
        self.theme_filter.blockSignals(True)
        self.theme_filter.clear()
        self.theme_filter.addItem("All themes", None)
        for theme in self._model.themes():
            self.theme_filter.addItem(theme_label(theme), theme)
        position = self.theme_filter.findData(current) if current is not None else 0
        self.theme_filter.setCurrentIndex(max(0, position))
        self.theme_filter.blockSignals(False)
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
        self.count_label.setText(
            f"{total} meditation{'s' if total != 1 else ''}" if shown == total else f"{shown} of {total}"
        )
        if shown == 0:
            self._show_empty_state(total)
            self.list_stack.setCurrentWidget(self.empty_state)
            self._show_details(None)
            return
        self.list_stack.setCurrentWidget(self.list_view)
        current = self.list_view.currentIndex()
        if not current.isValid():
            current = self._proxy.index(0, 0)
        # Filtering can leave the current row unselected; selecting it keeps details and Enter in step.
        self.list_view.setCurrentIndex(current)
        self.list_view.scrollTo(current)
        self._on_current_changed(current, QModelIndex())

    def _show_empty_state(self, total: int) -> None:
        text = self.search_field.text().strip()
        if total == 0:
            title = "Your library is empty"
            hint = "Kindred found no meditation scripts. Add one of your own to your library folder."
        elif self._proxy.favourites_only and not self._store.favourites():
            title = "No favourites yet"
            hint = "Select a meditation and press its star to keep it here."
        elif text:
            title = f"No meditations match “{text}”"
            hint = "Try fewer or shorter words, another theme, or turn off Favourites only."
        else:
            title = "No meditations match these filters"
            hint = "Try another theme, or turn off Favourites only."
        self.empty_title.setText(title)
        self.empty_hint.setText(hint)
        self.clear_filters_button.setVisible(total > 0)

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
            self.details_stack.setCurrentIndex(0)
        elif entry.script is None:
            self._fill_errors(entry)
            self.details_stack.setCurrentIndex(2)
        else:
            self._fill_script(entry)
            self.details_stack.setCurrentIndex(1)

    def _fill_script(self, entry: LibraryEntry) -> None:
        script = entry.script
        assert script is not None
        meta = script.meta
        self.details_title.setText(meta.title)
        origin = "Your script" if entry.origin == "user" else "Bundled with Kindred"
        self.details_meta.setText(f"{theme_label(meta.theme)}  ·  {origin}")
        self.details_summary.setText(" ".join(meta.summary.split()))
        self.details_tags.setText("Tags: " + ", ".join(meta.tags) if meta.tags else "")
        self.details_tags.setVisible(bool(meta.tags))
        titles = [section.title for section in script.sections if section.title]
        self.details_sections.setText(
            "\n".join(f"{number}.  {title}" for number, title in enumerate(titles, 1))
            if titles
            else "One unbroken section"
        )

        self.length_picker.clear()
        # Only what fits at the listener's rate: a slow voice needs more room than the author's.
        lengths = playable_lengths(script, int(self._store.get_setting("rate", DEFAULT_RATE_WPM)))
        if lengths != [None]:
            for seconds in lengths:
                self.length_picker.addItem(format_duration(seconds), float(seconds))
            preferred = self._store.get_setting("default_length")
            choice = 0
            if isinstance(preferred, int | float):
                for position, seconds in enumerate(lengths):
                    if abs(seconds - float(preferred)) < 0.5:
                        choice = position
                        break
            self.length_picker.setCurrentIndex(choice)
        else:
            self.length_picker.addItem(NATURAL_LENGTH.capitalize(), None)
        self.length_picker.setEnabled(self.length_picker.count() > 1)
        self.play_button.setToolTip(f"Play “{meta.title}” at the chosen length (Enter)")
        self.copy_button.setVisible(entry.origin == "bundled")
        self.edit_button.setVisible(entry.origin == "user")
        self._show_favourite(self._model.is_favourite(entry.slug))

    def _show_favourite(self, favourite: bool) -> None:
        self.favourite_button.blockSignals(True)
        self.favourite_button.setChecked(favourite)
        self.favourite_button.blockSignals(False)
        self.favourite_button.setText("★ Favourite" if favourite else "☆ Add to favourites")
        self.favourite_button.setAccessibleName("Favourite" if favourite else "Add to favourites")

    def _fill_errors(self, entry: LibraryEntry) -> None:
        self.error_title.setText(entry.path.name)
        count = len(entry.errors)
        self.error_headline.setText(
            "This script has an error" if count == 1 else f"This script has {count} errors"
        )
        self.error_text.setText("\n".join(str(error)[:1].upper() + str(error)[1:] for error in entry.errors))
        self.error_path.setText(str(entry.path))
        self.fix_button.setVisible(entry.origin == "user")
        self.open_file_problem.hide()

    def _open_error_file(self) -> None:
        entry = self._details_entry
        if entry is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(entry.path))):
            self.open_file_problem.setText(
                "The file could not be opened: no program for text files was found. "
                f"Open it yourself from {entry.path.parent}."
            )
            self.open_file_problem.show()

    # -- favourites and play --------------------------------------------------------------

    def _on_favourite_button(self, on: bool) -> None:
        if self._details_entry is not None:
            self.set_favourite(self._details_entry, on)

    def _on_star_clicked(self, index: QPersistentModelIndex) -> None:
        entry = index.data(LibraryModel.EntryRole) if index.isValid() else None
        if entry is not None:
            self.set_favourite(entry, not self._model.is_favourite(entry.slug))

    def _on_double_click(self, index: QModelIndex) -> None:
        # A double click on the star is two toggles, not a request to play.
        position = self.list_view.viewport().mapFromGlobal(QCursor.pos())
        if self._delegate.star_rect(self.list_view.visualRect(index)).contains(position):
            return
        self._play_current()

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

    # -- keys -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.list_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._play_current()
                return True
            if watched is self.search_field:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._proxy.rowCount():
                    # From the search straight to the results: a second Enter then plays.
                    self.list_view.setFocus(Qt.FocusReason.TabFocusReason)
                    return True
                if key == Qt.Key.Key_Escape and self.search_field.text():
                    self.search_field.clear()
                    return True
        return super().eventFilter(watched, event)
