"""The calm pages the player shows instead of a session: "Session complete", and a problem."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.widgets.basics import button


class MessagePage(QWidget):
    """A centred heading, a line of text under it, and the way back to the library."""

    def __init__(self, heading_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.heading = QLabel()
        self.heading.setObjectName(heading_name)  # for the stylesheet
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = button("Back to the library", "Back to the library", "Back to the library")
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
