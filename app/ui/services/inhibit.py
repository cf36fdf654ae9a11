"""No sleep mid-session: while a session plays, the computer neither suspends nor blanks for idleness.

The XDG desktop portal's Inhibit is asked first (it works in and out of a sandbox, on GNOME, KDE
and others); where there is no portal, the older org.freedesktop.ScreenSaver. Where neither
exists, or there is no session bus, nothing happens and nothing is said: a meditation is not
the place for a warning about power management.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtDBus import QDBusObjectPath

from app.ui.services.dbus_calls import Q_ARG, call, remote

PORTAL = (
    "org.freedesktop.portal.Desktop",
    "/org/freedesktop/portal/desktop",
    "org.freedesktop.portal.Inhibit",
)
SCREENSAVER = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
#: The portal's flags: 4 suspend, 8 idle (logout and user switch stay the person's choice).
SUSPEND, IDLE = 4, 8
REASON = "A meditation is playing"


class SleepInhibitor(QObject):
    """Holds one inhibition while `follow(True)`; gives it back at `follow(False)` or `release()`."""

    def __init__(self, reason: str = REASON, parent: QObject | None = None):
        super().__init__(parent)
        self.reason = reason
        #: Gives the inhibition back; None while none is held.
        self._release: Callable[[], None] | None = None

    def follow(self, playing: bool) -> None:
        self.hold() if playing else self.release()

    def is_held(self) -> bool:
        return self._release is not None

    def hold(self) -> None:
        if self._release is None:
            self._release = self._by_portal() or self._by_screensaver()

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()

    def _by_portal(self) -> Callable[[], None] | None:
        portal = remote(*PORTAL)
        if portal is None:
            return None
        handle = call(
            portal,
            "Inhibit",
            [Q_ARG(str, ""), Q_ARG("uint", SUSPEND | IDLE), Q_ARG("QVariantMap", {"reason": self.reason})],
            returns="QDBusObjectPath",
        )
        if not isinstance(handle, QDBusObjectPath) or not handle.path():
            return None
        path = handle.path()

        def close_request() -> None:
            # The inhibition lasts as long as its request object: closing it ends the inhibition.
            request = remote(PORTAL[0], path, "org.freedesktop.portal.Request")
            if request is not None:
                call(request, "Close", [])

        return close_request

    def _by_screensaver(self) -> Callable[[], None] | None:
        screensaver = remote(*SCREENSAVER)
        if screensaver is None:
            return None
        cookie = call(
            screensaver, "Inhibit", [Q_ARG(str, "Kindred"), Q_ARG(str, self.reason)], returns="uint"
        )
        if not isinstance(cookie, int) or isinstance(cookie, bool):
            return None

        def uninhibit() -> None:
            proxy = remote(*SCREENSAVER)
            if proxy is not None:
                call(proxy, "UnInhibit", [Q_ARG("uint", cookie)])

        return uninhibit
