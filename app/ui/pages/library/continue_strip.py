"""The "Continue where you left off" strip: the sessions left part-way, a click from resuming.

Which sessions to offer is worked out by `sessions_to_continue` from plain data; the strip
only shows them and reports the listener's clicks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.library import LibraryEntry
from app.script import format_duration
from app.ui.pages.library.labels import plain_label, section_heading
from app.ui.widgets.basics import labelled

#: How many part-way sessions the Continue strip offers; more would push the library out of view.
CONTINUE_LIMIT = 3


@dataclass(frozen=True)
class PartWaySession:
    """A session the listener left part-way: its script, its length and where they stopped."""

    entry: LibraryEntry
    length_ms: int
    position_ms: int


def minutes_left_text(length_ms: int, position_ms: int) -> str:
    """`12 min left`, rounded up so that a session is never promised shorter than it is."""
    remaining = max(0, length_ms - position_ms)
    return f"{max(1, math.ceil(remaining / 60_000))} min left"


def sessions_to_continue(
    unfinished: Iterable[tuple[str, int, int]],
    find_entry: Callable[[str], LibraryEntry | None],
    playing_slug: str | None,
    limit: int = CONTINUE_LIMIT,
) -> list[PartWaySession]:
    """The part-way sessions to offer, from the store's (slug, length_ms, position_ms), in its order.

    Left out: scripts removed or broken since (nothing to continue), and the one playing now
    (it is not waiting to be continued, it is going on).
    """
    found: list[PartWaySession] = []
    for slug, length_ms, position_ms in unfinished:
        entry = find_entry(slug)
        if entry is None or entry.script is None or length_ms <= 0 or slug == playing_slug:
            continue
        found.append(PartWaySession(entry, length_ms, position_ms))
        if len(found) == limit:
            break
    return found


class ContinueItem(QPushButton):
    """One part-way session in the Continue strip: its title, and how long is left."""

    def __init__(self, title: str, left: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("continueItem")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        play = plain_label("▶", "continueIcon")
        title_label = plain_label(title, "continueTitle")
        title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        left_label = plain_label(left, "continueLeft")
        for child in (play, title_label, left_label):
            # Clicks anywhere on the item belong to the button.
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(play)
        layout.addWidget(title_label, 1)
        layout.addWidget(left_label)
        self.title_label = title_label
        self.left_label = left_label
        self.setMinimumHeight(layout.sizeHint().height())


class ContinueStrip(QFrame):
    """A heading over one row per part-way session; hidden when there is none."""

    #: (entry, length in seconds of the part-way session, position in ms to continue from)
    resumeRequested = Signal(object, float, int)
    #: (slug) the listener asked to forget where they left off in this script
    forgetRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("continueStrip")
        strip = QVBoxLayout(self)
        strip.setContentsMargins(0, 4, 0, 4)
        strip.setSpacing(6)
        strip.addWidget(section_heading("Continue where you left off"))
        self._rows = QVBoxLayout()
        self._rows.setSpacing(4)
        strip.addLayout(self._rows)
        self.setAccessibleName("Continue where you left off")
        self.entries: list[LibraryEntry] = []

    def show_sessions(self, sessions: list[PartWaySession]) -> None:
        """Replace the rows with one per session, and show the strip only when there is one."""
        while (item := self._rows.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.entries = [session.entry for session in sessions]
        for session in sessions:
            self._rows.addWidget(self._row(session))
        self.setVisible(bool(sessions))

    def _row(self, session: PartWaySession) -> QWidget:
        """The session's button, and a small ✕ beside it to forget it."""
        entry = session.entry
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        left = minutes_left_text(session.length_ms, session.position_ms)
        length_s, position = session.length_ms / 1000.0, session.position_ms
        resume = ContinueItem(entry.title, left)
        labelled(
            resume,
            f"Continue {entry.title}, {left}",
            f"Continue “{entry.title}” where you left off ({left} of {format_duration(length_s)})",
        )
        resume.clicked.connect(lambda: self.resumeRequested.emit(entry, length_s, position))
        forget = QToolButton()
        forget.setObjectName("continueForget")
        forget.setText("✕")
        forget.setAutoRaise(True)
        labelled(forget, f"Forget the place in {entry.title}", "Forget where you left off in this session")
        forget.clicked.connect(lambda: self.forgetRequested.emit(entry.slug))
        layout.addWidget(resume, 1)
        layout.addWidget(forget)
        return row
