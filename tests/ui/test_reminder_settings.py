"""Settings' Daily reminder rows: each change stored at once; the login checkbox writes the entry."""

from __future__ import annotations

from PySide6.QtCore import QTime

from app import reminders
from app.tts import Voice
from app.ui.dialogs.settings import SettingsDialog


def test_reminder_rows_store_each_change_and_toggle_the_autostart_entry(qtbot, store, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dialog = SettingsDialog(store, [Voice("fake/calm", "Calm", "en-US", "Fake")], "fake/calm")
    qtbot.addWidget(dialog)
    section = dialog.reminder_section
    announced = []
    dialog.settingChanged.connect(lambda key, value: announced.append((key, value)))
    assert not section.enabled_check.isChecked() and not section.time_edit.isEnabled()

    section.enabled_check.setChecked(True)
    section.time_edit.setTime(QTime(7, 45))
    section.day_checks[6].setChecked(False)  # not on Sundays
    assert store.get_setting(reminders.ENABLED_KEY) is True
    assert store.get_setting(reminders.TIME_KEY) == "07:45"
    assert store.get_setting(reminders.DAYS_KEY) == [0, 1, 2, 3, 4, 5]
    assert (reminders.TIME_KEY, "07:45") in announced
    settings = reminders.reminder_settings(store.get_setting)
    assert settings.enabled and settings.days == frozenset(range(6))

    entry = reminders.autostart_path()
    section.autostart_check.setChecked(True)
    assert entry.is_file() and "--tray" in entry.read_text("utf-8")
    section.autostart_check.setChecked(False)
    assert not entry.exists()

    # Opened again, the dialog shows what was chosen.
    again = SettingsDialog(store, [], "")
    qtbot.addWidget(again)
    assert again.reminder_section.enabled_check.isChecked()
    assert again.reminder_section.time_edit.time() == QTime(7, 45)
    assert not again.reminder_section.day_checks[6].isChecked()
