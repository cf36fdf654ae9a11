"""The line under the script text that says how long the script takes.

The estimate follows the text as it is typed; once the session plays from this very text, the
exact length of that rendering is shown beside it until the next edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.errors import KindredError
from app.script import Script
from app.ui.widgets.basics import labelled


class LengthLine(QWidget):
    """ "Estimated length: …" on the left, "Plays for …" on the right while it applies."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.length_label = QLabel()
        self.length_label.setObjectName("lengthLine")
        self.length_label.setTextFormat(Qt.TextFormat.PlainText)
        self.length_label.setWordWrap(True)
        labelled(self.length_label, "Estimated length", "The length this script takes, estimated as you type")
        self.exact_label = QLabel()
        self.exact_label.setObjectName("exactLength")
        self.exact_label.setTextFormat(Qt.TextFormat.PlainText)
        labelled(self.exact_label, "Rendered length", "The exact length of the last rendering of this text")
        self.exact_label.hide()
        row.addWidget(self.length_label, 1)
        row.addWidget(self.exact_label)

    def show_estimate(self, script: Script | None, problem_count: int, rate: int) -> None:
        """The estimate for `script` spoken at `rate` words a minute; None while it has problems."""
        if script is None:
            self.length_label.setText(
                f"Length: fix the {problem_count} problem{'s' if problem_count != 1 else ''} below "
                "to see how long this takes"
            )
            return
        # Imported here: the estimate is a renderer module, loaded only when first needed.
        from app.render.estimate import estimate_lengths

        try:
            estimate = estimate_lengths(script, rate)
        except (KindredError, OSError) as exc:
            # A missing bell or sound file: the text is fine, only the estimate cannot be made.
            self.length_label.setText(f"Length: {exc}")
            return
        self.length_label.setText(f"Estimated length: {estimate.describe()}")

    def show_exact(self, text: str | None) -> None:
        """The length of the session playing from this text ("Plays for 10 min"); None hides it."""
        self.exact_label.setText(text or "")
        self.exact_label.setVisible(bool(text))
