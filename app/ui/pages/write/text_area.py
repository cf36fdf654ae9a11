"""The editing area of the script editor: a plain text box with problem tooltips on hover.

Dropped files are left to the window, which imports them: as text they would insert their URL.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QHelpEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget


class ScriptTextEdit(QPlainTextEdit):
    """The text; asks `hover_text(position)` what to show under the mouse, and calls
    `on_theme_change()` once its palette or style has changed."""

    def __init__(
        self, parent: QWidget, hover_text: Callable[[int], str], on_theme_change: Callable[[], None]
    ):
        super().__init__(parent)
        self._hover_text = hover_text
        self._on_theme_change = on_theme_change

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        # Here rather than on the editor: a parent hears of a new palette before its children have it.
        on_theme_change = getattr(self, "_on_theme_change", None)  # None while Qt is still building it
        if on_theme_change is not None and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.StyleChange,
        ):
            on_theme_change()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(event.pos()).position()
            text = self._hover_text(position)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # A dropped file is an import, which the page's window handles. Ignored here, the drag
    # goes on to the parent widgets.
    @staticmethod
    def _is_file_drag(mime: QMimeData) -> bool:
        return mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dropEvent(event)
