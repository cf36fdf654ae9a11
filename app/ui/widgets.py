"""Small helpers every screen shares."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def labelled(widget: W, name: str, tip: str) -> W:
    """Give a control the accessible name screen readers announce and the tooltip people see."""
    widget.setAccessibleName(name)
    widget.setToolTip(tip)
    return widget
