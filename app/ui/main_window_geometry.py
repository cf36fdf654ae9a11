"""The window's size and its panes' shares, kept in the settings from one run to the next."""

from __future__ import annotations

import base64

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMainWindow, QSplitter

from app import settings
from app.history import Store
from app.settings import Settings

#: The window's first size, when none was saved: the library list and its details side by side.
FIRST_SIZE = QSize(1100, 720)
#: Kept free around the first window on a small screen (or one at 150 %), for the title bar and panels.
SCREEN_MARGIN = 40


def first_window_size(available: QSize) -> QSize:
    """FIRST_SIZE, smaller where the screen's free area is: the whole window is seen from the start."""
    return FIRST_SIZE.boundedTo(available - QSize(2 * SCREEN_MARGIN, 2 * SCREEN_MARGIN))


def _encoded(state: bytes) -> str:
    # The settings hold JSON: Qt's binary state goes in as base64 text.
    return base64.b64encode(state).decode("ascii")


def save_layout(store: Store, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    """`splitters` by name (settings.splitter_state)."""
    values = Settings(store)
    values.set(settings.WINDOW_GEOMETRY, _encoded(bytes(window.saveGeometry().data())))
    for name, splitter in splitters.items():
        values.set(settings.splitter_state(name), _encoded(bytes(splitter.saveState().data())))


def restore_layout(store: Store, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    """As saved; a first window gets its first size, within the screen."""
    values = Settings(store)
    for name, splitter in splitters.items():
        state = values.get(settings.splitter_state(name))
        if state:
            splitter.restoreState(base64.b64decode(state))
    saved = values.get(settings.WINDOW_GEOMETRY)
    if saved:
        window.restoreGeometry(base64.b64decode(saved))
    else:
        window.resize(first_window_size(window.screen().availableGeometry().size()))
