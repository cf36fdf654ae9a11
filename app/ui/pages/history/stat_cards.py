"""The numbers across the top of the History page: minutes, sessions, streaks, favourite themes."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.history import Stats
from app.ui.widgets.basics import labelled


def minutes_text(value: float) -> str:
    """Whole minutes from ten up; below that to a tenth, without a trailing ".0"."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def days_text(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


class StatCard(QFrame):
    """One number with its caption."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.value = QLabel("–")
        self.value.setObjectName("statValue")
        self.value.setWordWrap(True)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.value.setFont(font)
        label = QLabel(caption)
        label.setObjectName("statCaption")
        layout.addWidget(self.value)
        layout.addWidget(label)
        labelled(self, caption, tip)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.setAccessibleDescription(text)


class StatCards:
    """The five cards in a row (`row`, for the page's layout); the favourite themes get the most room."""

    def __init__(self) -> None:
        self.total = StatCard("Minutes in total", "All the time you have spent listening")
        self.sessions = StatCard("Sessions completed", "Sessions and timers you listened to the end")
        self.current_streak = StatCard(
            "Current streak", "Days in a row with a completed session, up to today"
        )
        self.longest_streak = StatCard("Longest streak", "Your longest run of days in a row")
        self.themes = StatCard("Favourite themes", "The themes you complete most")
        self.row = QHBoxLayout()
        self.row.setSpacing(12)
        for card in (self.total, self.sessions, self.current_streak, self.longest_streak):
            self.row.addWidget(card, 1)
        self.row.addWidget(self.themes, 2)

    def show(self, stats: Stats, show_streaks: bool) -> None:
        self.total.set_value(minutes_text(stats.total_minutes))
        self.sessions.set_value(str(stats.sessions_completed))
        self.current_streak.set_value(days_text(stats.current_streak))
        self.longest_streak.set_value(days_text(stats.longest_streak))
        self.themes.set_value(", ".join(theme for theme, _n in stats.favourite_themes) or "–")
        self.current_streak.setVisible(show_streaks)
        self.longest_streak.setVisible(show_streaks)
