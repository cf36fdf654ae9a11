"""The strip above the pages that says what the listener should know: a problem, no sound
device, or unsaved text kept from the last run."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

#: How long a problem stays up; the sound device and the drafts stay until they are dealt with.
PROBLEM_SHOWN_MS = 15_000


class Banner(QLabel):
    """Hidden until there is something to say; its link to the drafts emits writeRequested."""

    writeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.linkActivated.connect(lambda _link: self.writeRequested.emit())
        #: Whether it offers the drafts, which go once the Write page has been seen.
        self.offering_drafts = False
        self.hide()

    def show_problem(self, title: str, explanation: str) -> None:
        self.setText(f"<b>{title}</b> — {explanation}")
        self.show()
        QTimer.singleShot(PROBLEM_SHOWN_MS, self.hide)

    def offer_drafts(self, count: int) -> None:
        """Unsaved text from the last run waits on the Write page; said wherever the window opens."""
        what = "changes" if count == 1 else f"{count} sets of changes"
        text = (
            f"<b>Kindred kept {what} you had not saved</b> — "
            f'<a href="write">open Write</a> to restore or discard {"them" if count == 1 else "each"}.'
        )
        if self.isVisible() and self.text():
            text = f"{self.text()}<br>{text}"
        self.setText(text)
        self.offering_drafts = True
        self.show()

    def drafts_seen(self) -> None:
        """The Write page, which offers the drafts itself, is open: the banner need not any more."""
        if self.offering_drafts:
            self.offering_drafts = False
            self.hide()

    def show_audio_device(self, missing: bool) -> None:
        if missing:
            self.setText(
                "<b>No sound output found</b> — sessions play silently for now and continue aloud as soon "
                "as speakers or headphones are connected."
            )
            self.show()
        else:
            self.hide()
