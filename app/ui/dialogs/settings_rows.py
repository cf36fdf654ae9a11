"""What the sections of Settings share: a group's heading, a row of controls, a note under a row,
and choosing a combo's item by its value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.settings import Setting

#: How a section stores a change: written at once, and announced by the dialog as settingChanged.
SetSetting = Callable[[Setting[Any], Any], None]


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("paneHeading")
    label.setContentsMargins(0, 12, 0, 0)  # air above each group
    return label


def control_row(*widgets: QWidget, spacing: int = 8, stretch: int | None = None) -> QHBoxLayout:
    """`widgets` side by side; the one at index `stretch` takes the room left, else the room is left
    empty after them."""
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for index, widget in enumerate(widgets):
        row.addWidget(widget, 1 if index == stretch else 0)
    if stretch is None:
        row.addStretch(1)
    return row


def note_label() -> QLabel:
    """A hidden line for what an action did or why it could not."""
    note = QLabel()
    note.setObjectName("voiceNote")
    note.setWordWrap(True)
    note.hide()
    return note


def show_note(note: QLabel, text: str, error: bool = False) -> None:
    """`text` in `note` (hidden when empty); a problem in the stylesheet's error colour."""
    note.setText(text)
    note.setObjectName("errorLabel" if error else "voiceNote")
    # The stylesheet picks colours by object name, and only when the widget is polished again.
    note.style().unpolish(note)
    note.style().polish(note)
    note.setVisible(bool(text))


def select_data(combo: QComboBox, value: object) -> None:
    """The item holding `value`, else the first."""
    combo.setCurrentIndex(max(combo.findData(value), 0))
