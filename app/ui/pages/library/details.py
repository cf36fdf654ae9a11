"""The right side of the Library page: a hint when nothing is selected, the selected script's
details, or, for a script with errors, what to fix. It scrolls up and down, never sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from app.library import LibraryEntry
from app.ui.pages.library.error_details import ErrorDetails
from app.ui.pages.library.labels import plain_label
from app.ui.pages.library.script_details import ScriptDetails


class DetailsPane(QScrollArea):
    """Three pages in a stack, in this order: the placeholder, `script`, `errors`."""

    PLACEHOLDER, SCRIPT, ERRORS = range(3)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryDetailsScroll")
        self.details_stack = QStackedWidget()
        self.details_stack.setObjectName("libraryDetails")
        self.details_stack.addWidget(self._build_placeholder())
        self.script = ScriptDetails()
        self.details_stack.addWidget(self.script)
        self.errors = ErrorDetails()
        self.details_stack.addWidget(self.errors)

        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Text wraps and buttons move to the next line instead: never a sideways scroll.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(self.details_stack)
        self.setMinimumWidth(300)

    def _build_placeholder(self) -> QWidget:
        placeholder = QWidget()
        place = QVBoxLayout(placeholder)
        place.setContentsMargins(28, 40, 28, 28)
        self.placeholder_label = plain_label(
            "Choose a meditation to see its sections and lengths.", "detailsPlaceholder", wrap=True
        )
        self.placeholder_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        place.addWidget(self.placeholder_label)
        place.addStretch(1)
        return placeholder

    def show_nothing(self) -> None:
        self.details_stack.setCurrentIndex(self.PLACEHOLDER)

    def show_script(
        self, entry: LibraryEntry, lengths: list[float | None], preferred: object, favourite: bool
    ) -> None:
        """The details of a playable script; see ScriptDetails.show_script."""
        self.script.show_script(entry, lengths, preferred, favourite)
        self.details_stack.setCurrentIndex(self.SCRIPT)

    def show_errors(self, entry: LibraryEntry) -> None:
        """The errors of a script that cannot be played."""
        self.errors.show_errors(entry)
        self.details_stack.setCurrentIndex(self.ERRORS)
