"""The tray icon: play or pause, show or hide the window, and quit, while the window is closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app import settings
from app.history import Store
from app.settings import Settings

#: Set once the listener has been told that closing the window keeps the session playing.


class TrayIcon(QSystemTrayIcon):
    """A click shows or hides `window`; the menu's first item follows `follow_playing`."""

    def __init__(
        self,
        window: QWidget,
        icon: QIcon,
        toggle_playing: Callable[[], object],
        toggle_visible: Callable[[], object],
        quit_app: Callable[[], object],
    ) -> None:
        super().__init__(icon, window)
        self.setToolTip("Kindred")
        menu = QMenu(window)
        self.play_action = QAction("Play", window)
        self.play_action.triggered.connect(toggle_playing)
        show = QAction("Show or hide Kindred", window)
        show.triggered.connect(toggle_visible)
        quit_action = QAction("Quit", window)
        quit_action.triggered.connect(quit_app)
        for action in (self.play_action, show, quit_action):
            menu.addAction(action)
        self.setContextMenu(menu)
        self.activated.connect(
            lambda reason: toggle_visible() if reason == QSystemTrayIcon.ActivationReason.Trigger else None
        )

    def follow_playing(self, playing: bool) -> None:
        self.play_action.setText("Pause" if playing else "Play")

    def tell_still_playing_once(self, store: Store) -> None:
        """The window went to the tray with a session playing: said the first time only."""
        if not Settings(store).get(settings.TRAY_TOLD):
            self.showMessage("Kindred is still playing", "Use the tray icon to pause or show the window.")
            Settings(store).set(settings.TRAY_TOLD, True)


def tray_icon(
    window: QWidget,
    icon: QIcon,
    toggle_playing: Callable[[], object],
    toggle_visible: Callable[[], object],
    quit_app: Callable[[], object],
) -> TrayIcon | None:
    """The tray icon, shown; None on a desktop without a tray (closing the window then quits)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = TrayIcon(window, icon, toggle_playing, toggle_visible, quit_app)
    tray.show()
    return tray
