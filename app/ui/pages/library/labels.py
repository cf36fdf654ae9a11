"""Plain-text labels and scaled fonts: what every part of the Library page draws its text with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", name: str = "", wrap: bool = False, selectable: bool = False) -> QLabel:
    """A label that shows `text` as it is; `name` is its object name for the stylesheet."""
    label = QLabel(text)
    # Script text is the user's own: never let it be read as rich text.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    """`font` made `factor` times as big, whether it is sized in points or in pixels."""
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    else:
        scaled.setPixelSize(max(1, round(scaled.pixelSize() * factor)))
    if bold:
        scaled.setWeight(QFont.Weight.DemiBold)
    return scaled


def embolden(label: QLabel, factor: float) -> QLabel:
    """Give `label` a bold font `factor` times its size: headings and titles."""
    label.setFont(scaled_font(label.font(), factor, bold=True))
    return label


def section_heading(text: str) -> QLabel:
    """A small bold heading over a part of the page ("Sections", "Continue where you left off")."""
    return embolden(plain_label(text, "sectionHeading"), 0.95)
