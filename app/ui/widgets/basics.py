"""Small helpers every screen shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

W = TypeVar("W", bound=QWidget)


def labelled(widget: W, name: str, tip: str) -> W:
    """Give a control the accessible name screen readers announce and the tooltip people see."""
    widget.setAccessibleName(name)
    widget.setToolTip(tip)
    return widget


def button(
    text: str, name: str, tip: str, slot: Callable[..., object] | None = None, object_name: str = ""
) -> QPushButton:
    """A labelled push button whose clicks go to `slot`; `object_name` is for the stylesheet."""
    widget = labelled(QPushButton(text), name, tip)
    if object_name:
        widget.setObjectName(object_name)
    if slot is not None:
        widget.clicked.connect(slot)
    return widget


def local_shortcut(
    keys: str | QKeySequence.StandardKey, parent: QWidget, slot: Callable[[], object]
) -> QShortcut:
    """A shortcut that works only while the focus is within `parent`: other pages keep the keys."""
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut
