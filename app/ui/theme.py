"""Light and dark looks from one stylesheet; "system" follows the desktop's colour scheme."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app import paths

LIGHT = {
    "BASE": "#f7f4ee", "SIDEBAR": "#efeae1", "CARD": "#fffdf9", "TEXT": "#2f3a36", "MUTED": "#8a928d",
    "LINE": "#e2dcd1", "HOVER": "#e6e0d5", "ACCENT": "#4f7a6a", "ACCENT_HOVER": "#43695b",
    "ACCENT_SOFT": "#dde9e2", "ACCENT_TEXT": "#2f5a4b", "ON_ACCENT": "#ffffff", "BANNER": "#f6e6cf",
}  # fmt: skip
DARK = {
    "BASE": "#1e2322", "SIDEBAR": "#191d1c", "CARD": "#262c2b", "TEXT": "#e6e2da", "MUTED": "#8f9893",
    "LINE": "#353d3b", "HOVER": "#2c3432", "ACCENT": "#7fb29c", "ACCENT_HOVER": "#93c2ae",
    "ACCENT_SOFT": "#2e4740", "ACCENT_TEXT": "#b9dccb", "ON_ACCENT": "#14201b", "BANNER": "#4a3c28",
}  # fmt: skip


def resolved_scheme(preference: str, system: Qt.ColorScheme | None = None) -> str:
    """ "light" or "dark"; for "system", the desktop's scheme (`system`, else asked of Qt)."""
    if preference in ("light", "dark"):
        return preference
    if system is None:
        system = QGuiApplication.styleHints().colorScheme()
    return "dark" if system == Qt.ColorScheme.Dark else "light"


def stylesheet(scheme: str) -> str:
    text = paths.stylesheet_path().read_text("utf-8")
    for name, value in (DARK if scheme == "dark" else LIGHT).items():
        text = text.replace(f"@{name}@", value)
    # The tick is drawn in the colour that reads on the accent: white in light, near-black in dark.
    text = text.replace("@CHECK_ICON@", "check-dark.svg" if scheme == "dark" else "check-light.svg")
    return text.replace("@RESOURCES@", paths.resources_dir().as_posix())


def apply_theme(app: QApplication, preference: str, system: Qt.ColorScheme | None = None) -> str:
    scheme = resolved_scheme(preference, system)
    colours = DARK if scheme == "dark" else LIGHT
    # Painted widgets (charts, the practice calendar) take their colours from the palette.
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(colours["ACCENT"]))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(colours["ON_ACCENT"]))
    palette.setColor(QPalette.ColorRole.Window, QColor(colours["BASE"]))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colours["TEXT"]))
    palette.setColor(QPalette.ColorRole.Base, QColor(colours["CARD"]))
    palette.setColor(QPalette.ColorRole.Text, QColor(colours["TEXT"]))
    palette.setColor(QPalette.ColorRole.Mid, QColor(colours["MUTED"]))
    # Links (About, the writing guide) in the accent: Qt's default blue is unreadable in dark.
    palette.setColor(QPalette.ColorRole.Link, QColor(colours["ACCENT_TEXT"]))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(scheme))
    return scheme


class SystemSchemeFollower(QObject):
    """While the theme setting is "system", a live switch of the desktop between light and dark
    restyles the app at once (Qt only reports it; nothing restyles by itself)."""

    def __init__(self, app: QApplication, preference: Callable[[], str], parent: QObject | None = None):
        super().__init__(parent)
        self.app = app
        #: The theme setting as it is now: the person may have chosen light or dark since.
        self.preference = preference
        app.styleHints().colorSchemeChanged.connect(self.follow)

    def follow(self, system: Qt.ColorScheme) -> None:
        if self.preference() == "system":
            # The scheme the signal brings rather than styleHints().colorScheme(), which stays
            # Unknown on a platform without a theme plugin (offscreen) whatever is announced.
            apply_theme(self.app, "system", system)
