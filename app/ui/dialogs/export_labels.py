"""The labels of the export dialog: plain text always, and the names of the form's fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    """A label that shows `text` as it is; `name` is its object name, for the stylesheet."""
    label = QLabel(text)
    # Titles and paths are the user's own: never read as rich text.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def field_label(text: str, buddy: QWidget | None = None) -> QLabel:
    """The name of a row of the form, left of its controls; `buddy` takes the focus on its mnemonic."""
    label = plain_label(text, "exportField")
    if buddy is not None:
        label.setBuddy(buddy)
    return label
