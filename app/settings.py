"""The user's settings: every name, its type and its default in one place.

Settings are kept in the history's database as JSON values (`Store.get_setting`), which any
hand, older version or damaged file may have left in any shape. Each `Setting` says how to
read its value: a stored value that is not of its kind gives the default, so no caller checks
types or repeats a default. Write with `Settings.set`, read with `Settings.get`:

    settings = Settings(store)
    rate = settings.get(RATE)          # an int between MIN_RATE_WPM and MAX_RATE_WPM
    settings.set(VOLUME, 0.6)

The core never reads settings: the front ends pass their values in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from app import reminders
from app.library.timer import DEFAULT_INTERVAL_BELL, DEFAULT_TIMER_BELL
from app.render.cache_limit import DEFAULT_LIMIT_GB, LIMIT_SETTING, MAX_LIMIT_GB, MIN_LIMIT_GB
from app.tts.engine import DEFAULT_RATE_WPM

T = TypeVar("T")
#: What the store gives for a key it does not hold.
MISSING: Any = object()

#: The speaking rates the voices are asked for (words per minute), by the window and `--rate`.
MIN_RATE_WPM, MAX_RATE_WPM = 80, 250
THEMES = ("system", "light", "dark")


class SettingStore(Protocol):
    """What Settings needs of app.history.Store."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key in the store, its default, and how a stored value is read."""

    key: str
    default: T
    read: Callable[[object], T | None]  # the typed value, or None when the stored one is unusable
    #: A stored null is a choice ("no bell"), not an unset setting.
    none_is_a_choice: bool = False

    def value_of(self, stored: object) -> T:
        """The typed value of what the store holds (MISSING: nothing is stored)."""
        if stored is MISSING:
            return self.default
        if stored is None:
            return None if self.none_is_a_choice else self.default  # type: ignore[return-value]
        value = self.read(stored)
        return self.default if value is None else value


class Settings:
    """Typed reading and writing of the settings in one store."""

    def __init__(self, store: SettingStore):
        self.store = store

    def get(self, setting: Setting[T]) -> T:
        return setting.value_of(self.store.get_setting(setting.key, MISSING))

    def set(self, setting: Setting[T], value: T) -> None:
        self.store.set_setting(setting.key, value)


# -- how values are read ----------------------------------------------------------------


def _number(stored: object) -> float | None:
    """A finite int or float (True is not a number here, although Python says it is)."""
    if isinstance(stored, bool) or not isinstance(stored, int | float) or not math.isfinite(stored):
        return None
    return float(stored)


def _fraction(stored: object) -> float | None:
    """A volume: 0 to 1 (a value beyond either end is held at it, as the sliders would)."""
    number = _number(stored)
    return None if number is None else max(0.0, min(1.0, number))


def _rate(stored: object) -> int | None:
    """A whole number of words a minute; beyond either end it is held at the end."""
    number = _number(stored)
    if number is None or number != int(number):
        return None
    return max(MIN_RATE_WPM, min(MAX_RATE_WPM, int(number)))


def _positive_seconds(stored: object) -> float | None:
    # As stored (an int stays an int): the combo boxes find their items by exact value.
    number = _number(stored)
    return stored if number is not None and number > 0 and isinstance(stored, int | float) else None


def _cache_limit(stored: object) -> float | None:
    number = _number(stored)
    return number if number is not None and MIN_LIMIT_GB <= number <= MAX_LIMIT_GB else None


def _text(stored: object) -> str | None:
    return stored if isinstance(stored, str) and stored.strip() else None


def _theme(stored: object) -> str | None:
    return stored if isinstance(stored, str) and stored in THEMES else None


def _weekdays(stored: object) -> list[int] | None:
    if not isinstance(stored, list):
        return None
    days = [day for day in stored if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6]
    return days if len(days) == len(stored) else None


def _flag(stored: object) -> bool | None:
    return stored if isinstance(stored, bool) else None


# -- every setting ----------------------------------------------------------------------

#: The voice's id (None: the default voice of the engine).
VOICE: Setting[str | None] = Setting("voice", None, _text)
RATE: Setting[int] = Setting("rate", DEFAULT_RATE_WPM, _rate)
VOLUME: Setting[float] = Setting("volume", 0.8, _fraction)
AMBIENCE_VOLUME: Setting[float] = Setting("ambience_volume", 0.5, _fraction)
THEME: Setting[str] = Setting("theme", "system", _theme)
#: The length a session starts at, in seconds (None: the script's own default length).
DEFAULT_LENGTH: Setting[float | None] = Setting("default_length", None, _positive_seconds)
#: "script" (each script's own background), "none", or a sound's name.
DEFAULT_AMBIENCE: Setting[str] = Setting("default_ambience", "script", _text)
SHOW_STREAKS: Setting[bool] = Setting("show_streaks", True, _flag)
EXPORT_FORMAT: Setting[str] = Setting("export_format", "mp3", _text)
EXPORT_FOLDER: Setting[str | None] = Setting("export_folder", None, _text)
CACHE_LIMIT_GB: Setting[float] = Setting(LIMIT_SETTING, DEFAULT_LIMIT_GB, _cache_limit)
#: The window's place and size, and its splitters' (Qt's saved state, base64).
WINDOW_GEOMETRY: Setting[str | None] = Setting("window_geometry", None, _text)
#: Things said once: that closing the window leaves Kindred in the tray; which voice fallback.
TRAY_TOLD: Setting[bool] = Setting("tray_told", False, _flag)
VOICE_FALLBACK_TOLD: Setting[str | None] = Setting("voice_fallback_told", None, _text)

#: The timer page's last choices (lengths in seconds; an interval of None: no interval bells).
TIMER_LENGTH: Setting[float | None] = Setting("timer_length", None, _positive_seconds)
TIMER_INTERVAL: Setting[float | None] = Setting("timer_interval", None, _positive_seconds)
TIMER_INTERVAL_EVERY: Setting[float | None] = Setting("timer_interval_every", None, _positive_seconds)
#: A bell of None: the listener chose no bell there.
TIMER_START_BELL: Setting[str | None] = Setting("timer_start_bell", DEFAULT_TIMER_BELL, _text, True)
TIMER_INTERVAL_BELL: Setting[str | None] = Setting("timer_interval_bell", DEFAULT_INTERVAL_BELL, _text, True)
TIMER_END_BELL: Setting[str | None] = Setting("timer_end_bell", DEFAULT_TIMER_BELL, _text, True)
TIMER_AMBIENCE: Setting[str | None] = Setting("timer_ambience", None, _text)


#: The daily reminder (read as a whole, typed, by app.reminders.reminder_settings).
REMINDER_ENABLED: Setting[bool] = Setting(reminders.ENABLED_KEY, False, _flag)
REMINDER_TIME: Setting[str | None] = Setting(reminders.TIME_KEY, None, _text)
REMINDER_DAYS: Setting[list[int] | None] = Setting(reminders.DAYS_KEY, None, _weekdays)
REMINDER_SHOWN_ON: Setting[str | None] = Setting(reminders.SHOWN_KEY, None, _text)


def splitter_state(name: str) -> Setting[str | None]:
    """A splitter's saved state, one setting per splitter ("library", "player", "editor")."""
    return Setting(f"{name}_splitter", None, _text)
