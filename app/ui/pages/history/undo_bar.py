"""The History page's undo bar: the last add, edit or delete, said in a line with its Undo."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.widgets.basics import labelled


class UndoBar(QFrame):
    """Hidden until `offer`; it holds the last action only: an earlier one can no longer be undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel("Listen deleted.")
        self.button = labelled(QPushButton("Undo"), "Undo delete", "Bring the deleted listen back")
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self._action: Callable[[], None] | None = None
        self.hide()

    def offer(self, text: str, name: str, tip: str, action: Callable[[], None]) -> None:
        """Says `text`; its Undo (named `name`, explained by `tip`) will run `action`."""
        self._action = action
        self.label.setText(text)
        labelled(self.button, name, tip)
        self.show()

    def undo(self) -> None:
        """Runs the action offered, once, and hides."""
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            # The listen may have gone meanwhile (another Kindred, say): nothing is left to put back.
            with contextlib.suppress(KeyError):
                action()
