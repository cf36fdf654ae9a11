"""What the window does with keys and drops from anywhere in it: Space and the arrows control
playback (except where one types or chooses), and script files dropped on it are imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.library.user_scripts import IMPORT_SUFFIXES
from app.ui.services.stream_player import SKIP_MS, StreamPlayer

PLAYBACK_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right)
DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def dropped_scripts(mime: QMimeData) -> list[Path]:
    """The .md and .txt files among dropped things; anything else is not for Kindred."""
    if not mime.hasUrls():
        return []
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in files if path.suffix.lower() in IMPORT_SUFFIXES]


def _typing_or_choosing(focus: QWidget | None) -> bool:
    """Whether the focused widget takes Space and the arrows for itself."""
    return isinstance(focus, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)) or (
        isinstance(focus, QComboBox) and focus.isEditable()
    )


class KeysAndDrops(QObject):
    """An event filter on the whole application (child widgets see keys and drops first), kept
    to the events of `window`; `import_scripts` gets the files dropped on it."""

    def __init__(
        self, window: QWidget, player: StreamPlayer, import_scripts: Callable[[list[Path]], object]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._player = player
        self._import_scripts = import_scripts

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in DRAG_EVENTS:
            return self._on_drag(watched, event)
        if event.type() != QEvent.Type.KeyPress or not self._window.isActiveWindow():
            return False
        key = event.key() if isinstance(event, QKeyEvent) else None
        if key not in PLAYBACK_KEYS or not self._player.has_media():
            return False
        if _typing_or_choosing(QApplication.focusWidget()):
            return False
        if key == Qt.Key.Key_Space:
            self._player.toggle()
        else:
            self._player.skip(-SKIP_MS if key == Qt.Key.Key_Left else SKIP_MS)
        return True

    def _on_drag(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if not isinstance(event, QDropEvent):  # drag enter and move are drop events too
            return False
        sources = dropped_scripts(event.mimeData())
        if not sources:
            return False  # text dragged within the window is not an import
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            # After the drop has finished: importing may ask a question, and a drag must not wait on one.
            QTimer.singleShot(0, lambda: self._import_scripts(sources))
        return True
