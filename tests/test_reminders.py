"""The daily reminder's rules (when it is due) and Kindred's start at login in the tray."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

import pytest

from app import reminders
from app.reminders import ReminderSettings, practised_on, reminder_due, reminder_settings, seconds_until_due
from tests.test_desktop_install import exec_value, unquote_exec

ZONE = timezone(timedelta(hours=1))
# A Wednesday (weekday 2).
WEDNESDAY = date(2026, 3, 4)
WEEKDAYS = frozenset(range(5))


def at(hour: int, minute: int = 0, day: date = WEDNESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


ON = ReminderSettings(enabled=True, at=time(8, 30), days=WEEKDAYS)


def test_due_from_its_time_on_a_chosen_day():
    assert not reminder_due(ON, at(8, 29), None, False)
    assert reminder_due(ON, at(8, 30), None, False)
    assert reminder_due(ON, at(9, 15), None, False)


def test_not_due_when_off_or_on_a_day_not_chosen():
    assert not reminder_due(ReminderSettings(enabled=False, at=time(8, 30)), at(9), None, False)
    saturday = WEDNESDAY + timedelta(days=3)
    assert not reminder_due(ON, at(9, day=saturday), None, False)
    assert reminder_due(ReminderSettings(True, time(8, 30), frozenset({5})), at(9, day=saturday), None, False)


def test_once_a_day_and_never_when_already_practised():
    assert not reminder_due(ON, at(9), WEDNESDAY, False)  # shown today already
    assert reminder_due(ON, at(9), WEDNESDAY - timedelta(days=1), False)  # yesterday's does not count
    assert not reminder_due(ON, at(9), None, True)


def test_time_passed_while_asleep():
    # Woken 2 h after the time: the reminder comes now; woken 5 h after: that day's is let go.
    assert reminder_due(ON, at(10, 30), None, False)
    assert reminder_due(ON, at(8, 30) + reminders.LATE_LIMIT - timedelta(seconds=1), None, False)
    assert not reminder_due(ON, at(8, 30) + reminders.LATE_LIMIT, None, False)
    assert not reminder_due(ON, at(13, 30), None, False)
    # Asleep over midnight: the next day's reminder is judged on its own (and not before its time).
    thursday = WEDNESDAY + timedelta(days=1)
    assert not reminder_due(ON, at(7, day=thursday), WEDNESDAY, False)
    assert reminder_due(ON, at(8, 45, day=thursday), WEDNESDAY, False)


def test_seconds_until_due_only_while_it_is_ahead_today():
    assert seconds_until_due(ON, at(8, 29)) == 60
    assert seconds_until_due(ON, at(8, 30)) is None
    assert seconds_until_due(ReminderSettings(enabled=False), at(7)) is None


def test_settings_as_stored_with_defaults_for_anything_unreadable():
    stored = {reminders.ENABLED_KEY: True, reminders.TIME_KEY: "19:05", reminders.DAYS_KEY: [0, 6, 9]}
    settings = reminder_settings(lambda key, default: stored.get(key, default))
    assert settings == ReminderSettings(True, time(19, 5), frozenset({0, 6}))
    junk = {reminders.ENABLED_KEY: "yes", reminders.TIME_KEY: "25:99", reminders.DAYS_KEY: "Mon"}
    settings = reminder_settings(lambda key, default: junk.get(key, default))
    assert settings == ReminderSettings(False, reminders.DEFAULT_TIME, reminders.EVERY_DAY)
    assert reminders.format_time(time(7, 5)) == "07:05"
    assert reminders.parse_time("07:05:30") == time(7, 5, 30)


def listen(day: date, heard_s: float = 0.0, completed: bool = False, manual: bool = False) -> SimpleNamespace:
    return SimpleNamespace(local_date=day, heard_s=heard_s, completed=completed, manual=manual)


def test_practice_of_the_day():
    yesterday = WEDNESDAY - timedelta(days=1)
    assert practised_on([listen(WEDNESDAY, completed=True)], WEDNESDAY)
    assert practised_on([listen(WEDNESDAY, heard_s=300)], WEDNESDAY)
    assert practised_on([listen(WEDNESDAY, manual=True)], WEDNESDAY)
    assert not practised_on([listen(WEDNESDAY, heard_s=5)], WEDNESDAY)  # started by mistake
    assert not practised_on([listen(yesterday, completed=True)], WEDNESDAY)
    assert not practised_on([], WEDNESDAY)


# -- starting at login ----------------------------------------------------------------------------


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    home = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_autostart_entry_is_written_and_removed(config_home):
    entry = config_home / "autostart" / "io.github.kindred.Kindred.desktop"
    assert not reminders.is_autostart_enabled()
    assert reminders.set_autostart(True, command=["/opt/my kindred/bin/kindred"]) == entry
    assert reminders.is_autostart_enabled()
    text = entry.read_text("utf-8")
    assert unquote_exec(exec_value(entry)) == ["/opt/my kindred/bin/kindred", "--tray"]
    assert "Name=Kindred\n" in text and "Type=Application\n" in text
    assert "X-GNOME-Autostart-enabled=true" in text and "StartupNotify=false" in text
    reminders.set_autostart(False)
    assert not entry.exists() and not reminders.is_autostart_enabled()
    reminders.set_autostart(False)  # removing what is not there is fine


def test_autostart_runs_this_kindred_by_default(config_home):
    from app import desktop_install

    reminders.set_autostart(True)
    command = unquote_exec(exec_value(reminders.autostart_path()))
    assert command == [*desktop_install.launcher_command(), "--tray"]


def test_tray_flag_opens_the_window_hidden_in_the_tray(monkeypatch):
    import app.ui.app
    from app.cli import main

    opened = []
    monkeypatch.setattr(
        app.ui.app, "run", lambda argv, asked=None, in_tray=False: opened.append(in_tray) or 0
    )
    assert main(["--tray"]) == 0
    assert main([]) == 0
    assert opened == [True, False]
