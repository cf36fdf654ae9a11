"""The daily reminder: when it is due, and Kindred's start at login in the tray. No Qt here.

A reminder is due on a chosen weekday once its time has come, until LATE_LIMIT after it, unless
it was shown that day already or a session was practised that day. The window asks every half
minute against the wall clock, so a computer that slept through the time reminds on waking
(if the day is still young enough for it), and a changed clock is simply followed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from app import desktop_install, paths
from app.files import atomic_write_bytes

ENABLED_KEY = "reminder_enabled"
TIME_KEY = "reminder_time"  # "HH:MM" (seconds allowed), local wall-clock time
DAYS_KEY = "reminder_days"  # weekdays, Monday 0 … Sunday 6
SHOWN_KEY = "reminder_shown_on"  # the ISO date of the day it was last shown
DEFAULT_TIME = time(9, 0)
EVERY_DAY = frozenset(range(7))
#: A reminder found this long after its time (the computer slept, Kindred started late) is let go:
#: "A few minutes for yourself?" at midnight for a morning reminder would only nag.
LATE_LIMIT = timedelta(hours=3)
#: Less than this heard (a session started by mistake) is not a day's practice.
PRACTICE_MIN_S = 60.0
#: The flag that starts the window hidden in the tray (the autostart entry's).
TRAY_FLAG = "--tray"


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = False
    at: time = DEFAULT_TIME
    days: frozenset[int] = EVERY_DAY


class ListenLike(Protocol):
    @property
    def local_date(self) -> date: ...

    @property
    def heard_s(self) -> float: ...

    @property
    def completed(self) -> bool: ...

    @property
    def manual(self) -> bool: ...


def parse_time(text: object) -> time | None:
    """ "07:30" or "07:30:15" as a time; None for anything else."""
    if not isinstance(text, str):
        return None
    try:
        return time.fromisoformat(text).replace(microsecond=0, tzinfo=None)
    except ValueError:
        return None


def format_time(moment: time) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def reminder_settings(get: Callable[[str, Any], Any]) -> ReminderSettings:
    """The settings as stored (`get` is Store.get_setting); anything unreadable takes its default."""
    days = get(DAYS_KEY, None)
    if isinstance(days, list) and all(isinstance(d, int) and not isinstance(d, bool) for d in days):
        chosen = frozenset(d for d in days if 0 <= d <= 6)
    else:
        chosen = EVERY_DAY
    return ReminderSettings(
        enabled=get(ENABLED_KEY, False) is True,
        at=parse_time(get(TIME_KEY, None)) or DEFAULT_TIME,
        days=chosen,
    )


def shown_on(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def practised_on(listens: Iterable[ListenLike], day: date) -> bool:
    """A listen of `day` (its own local day) that counts as practice: completed, entered by hand,
    or at least PRACTICE_MIN_S heard."""
    return any(
        listen.local_date == day and (listen.completed or listen.manual or listen.heard_s >= PRACTICE_MIN_S)
        for listen in listens
    )


def due_at(settings: ReminderSettings, now: datetime) -> datetime | None:
    """When today's reminder falls (in `now`'s zone), or None when today has none."""
    if not settings.enabled or now.weekday() not in settings.days:
        return None
    return datetime.combine(now.date(), settings.at, now.tzinfo)


def reminder_due(
    settings: ReminderSettings, now: datetime, last_shown: date | None, practised_today: bool
) -> bool:
    """Show the reminder now? `now` is local wall-clock time; `last_shown` the day it last was."""
    moment = due_at(settings, now)
    if moment is None or last_shown == now.date() or practised_today:
        return False
    return moment <= now < moment + LATE_LIMIT


def seconds_until_due(settings: ReminderSettings, now: datetime) -> float | None:
    """How long until today's reminder time, when it is still ahead; None otherwise."""
    moment = due_at(settings, now)
    if moment is None or moment <= now:
        return None
    return (moment - now).total_seconds()


# -- starting at login ----------------------------------------------------------------------------


def xdg_config_home() -> Path:
    # The spec: an unset, empty or relative XDG_CONFIG_HOME means ~/.config.
    value = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def autostart_path(config_home: Path | None = None) -> Path:
    return (config_home or xdg_config_home()) / "autostart" / f"{paths.APP_ID}.desktop"


def autostart_entry_text(command: list[str]) -> str:
    """The menu entry's text, run with TRAY_FLAG, without the busy cursor of a start one clicked."""
    text = desktop_install.desktop_entry_text([*command, TRAY_FLAG])
    text = text.replace("StartupNotify=true", "StartupNotify=false")
    return text.rstrip("\n") + "\nX-GNOME-Autostart-enabled=true\n"


def is_autostart_enabled(config_home: Path | None = None) -> bool:
    return autostart_path(config_home).is_file()


def set_autostart(enabled: bool, config_home: Path | None = None, command: list[str] | None = None) -> Path:
    """Writes (atomically) or removes the autostart entry; returns its path. Raises OSError."""
    path = autostart_path(config_home)
    if enabled:
        text = autostart_entry_text(command or desktop_install.launcher_command())
        atomic_write_bytes(path, text.encode("utf-8"))
    else:
        path.unlink(missing_ok=True)
    return path
