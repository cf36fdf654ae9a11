"""The daily reminder's notification, sent while Kindred runs (in the tray too).

Checked against the wall clock every CHECK_MS (and at the very moment when that comes sooner),
never with one long timer: a computer that slept or whose clock changed is simply asked again.
The notification goes through org.freedesktop.Notifications; its "Open Kindred" action asks the
window to open on the last session played. Without a notification server nothing is shown or
said, and the reminder is tried again at the next check (the server may start after Kindred).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import SLOT, QObject, QTimer, QUrl, Signal, Slot

from app import paths, reminders, settings
from app.history import ListenLog, Store
from app.history.listens import local_now
from app.settings import Settings
from app.ui.services.dbus_calls import Q_ARG, call, remote, session_bus

NOTIFICATIONS = (
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
    "org.freedesktop.Notifications",
)
CHECK_MS = 30_000
SUMMARY = "A few minutes for yourself?"
BODY = "Your daily moment of kindness is waiting in Kindred."
OPEN_ACTION = "open"
#: The listens looked at for today's practice and the last session (newest first).
RECENT_LISTENS = 50


class DailyReminder(QObject):
    """Shows the reminder when due; emits openRequested(slug or None) when it is answered."""

    openRequested = Signal(object)
    shown = Signal()

    def __init__(
        self,
        store: Store,
        log: ListenLog,
        parent: QObject | None = None,
        clock: Callable[[], datetime] = local_now,
    ):
        super().__init__(parent)
        self._store = store
        self._log = log
        self._clock = clock
        self._notification_id: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        bus = session_bus()
        if bus is not None:
            # PySide6's stubs type the slot as bytes, but the call takes only SLOT()'s str
            # (bytes raise ValueError, tried on 6.11): the stubs are wrong here, not the call.
            bus.connect(  # type: ignore[call-overload]
                "",
                NOTIFICATIONS[1],
                NOTIFICATIONS[2],
                "ActionInvoked",
                self,
                SLOT("_on_action(uint,QString)"),
            )

    def start(self) -> None:
        self.check()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> bool:
        """Shows the reminder if it is due now; True when it was shown. Schedules the next check."""
        now = self._clock()
        chosen = reminders.reminder_settings(self._store.get_setting)
        shown = False
        if reminders.reminder_due(
            chosen,
            now,
            reminders.shown_on(Settings(self._store).get(settings.REMINDER_SHOWN_ON)),
            self._practised(now.date()),
        ):
            shown = self._notify()
            if shown:
                Settings(self._store).set(settings.REMINDER_SHOWN_ON, now.date().isoformat())
                self.shown.emit()
        until = reminders.seconds_until_due(chosen, now)
        wait = CHECK_MS if until is None else min(CHECK_MS, max(50, int(until * 1000) + 50))
        self._timer.start(wait)
        return shown

    def last_session(self) -> str | None:
        """The slug of the newest listen of a script (not a timer, not one entered by hand)."""
        for listen in self._log.listens(limit=RECENT_LISTENS):
            if listen.script and listen.script != "timer" and not listen.manual:
                return listen.script
        return None

    def _practised(self, today: date) -> bool:
        return reminders.practised_on(self._log.listens(limit=RECENT_LISTENS), today)

    def _notify(self) -> bool:
        server = remote(*NOTIFICATIONS)
        if server is None:
            return False
        icon = QUrl.fromLocalFile(str(paths.app_icon_path())).toString()
        result = call(
            server,
            "Notify",
            [
                Q_ARG(str, "Kindred"),
                Q_ARG("uint", 0),
                Q_ARG(str, icon),
                Q_ARG(str, SUMMARY),
                Q_ARG(str, BODY),
                # "default" is a click on the notification itself; "open" its button.
                Q_ARG("QStringList", ["default", "Open Kindred", OPEN_ACTION, "Open Kindred"]),
                Q_ARG("QVariantMap", {"desktop-entry": paths.APP_ID}),
                Q_ARG(int, -1),
            ],
            returns="uint",
        )
        if not isinstance(result, int) or isinstance(result, bool):
            return False
        self._notification_id = result
        return True

    @Slot("uint", str)
    def _on_action(self, notification_id: int, action: str) -> None:
        # The signal reaches every listener on the bus: only this reminder's answer opens Kindred.
        if notification_id != self._notification_id or action not in ("default", OPEN_ACTION):
            return
        self._notification_id = None
        self.openRequested.emit(self.last_session())
