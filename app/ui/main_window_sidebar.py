"""The window's sidebar: the brand, a button for each page, and Settings and About below them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.basics import button

#: The pages by their index in the window's stack; indexes never change (tests and code use them).
PAGES = ("Library", "Now playing", "Timer", "History", "Write")
LIBRARY_PAGE = 0
PLAYER_PAGE = 1
TIMER_PAGE = 2
HISTORY_PAGE = 3
WRITE_PAGE = 4
#: The order of the sidebar's buttons: Write belongs with the other things one does, before History.
SIDEBAR_ORDER = (LIBRARY_PAGE, PLAYER_PAGE, TIMER_PAGE, WRITE_PAGE, HISTORY_PAGE)
NAV_TIPS = {WRITE_PAGE: "Write and change your own meditation scripts"}
WIDTH = 200


class Sidebar(QWidget):
    """`nav` holds the page buttons, each with its page's index as its id (nav.idClicked says which)."""

    def __init__(
        self,
        open_settings: Callable[[], object],
        show_about: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        # Only a plain QWidget paints the stylesheet's background by itself; a subclass must ask.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedWidth(WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 14)
        brand = QLabel("Kindred")
        brand.setObjectName("brand")
        layout.addWidget(brand)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        for index in SIDEBAR_ORDER:
            name = PAGES[index]
            page_button = button(name, name, NAV_TIPS.get(index, f"Show {name.lower()}"))
            page_button.setCheckable(True)
            self.nav.addButton(page_button, index)
            layout.addWidget(page_button)
        self.nav.button(LIBRARY_PAGE).setChecked(True)
        layout.addStretch(1)
        self.settings_button = button(
            "Settings", "Settings", "Voice, speaking rate, lengths, appearance", open_settings
        )
        self.about_button = button("About", "About Kindred", "About Kindred", show_about)
        for dialog_button in (self.settings_button, self.about_button):
            # Checkable like the page buttons: while its dialog is open, the sidebar marks it.
            dialog_button.setCheckable(True)
            layout.addWidget(dialog_button)

    def mark_page(self, index: int) -> None:
        self.nav.button(index).setChecked(True)

    @contextlib.contextmanager
    def marking(self, marked: QPushButton, current_page: Callable[[], int]) -> Iterator[None]:
        """While a modal dialog is open, the sidebar marks its button rather than the page behind it,
        then the page's again."""
        self.nav.setExclusive(False)  # an exclusive group will not leave all its buttons unchecked
        for page_button in self.nav.buttons():
            page_button.setChecked(False)
        marked.setChecked(True)
        try:
            yield
        finally:
            marked.setChecked(False)
            self.mark_page(current_page())
            self.nav.setExclusive(True)
