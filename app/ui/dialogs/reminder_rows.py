"""Settings' "Daily reminder" rows: on or off, the time, the days, and starting at login in the tray."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QObject, QTime
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QTimeEdit, QWidget

from app import reminders, settings
from app.history import Store
from app.ui.dialogs.settings_rows import SetSetting, control_row, heading
from app.ui.widgets.basics import labelled

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ReminderSection(QObject):
    """Its widgets store each change at once through `set_setting(setting, value)`."""

    def __init__(self, store: Store, set_setting: SetSetting, parent: QWidget) -> None:
        super().__init__(parent)
        self._set = set_setting
        chosen = reminders.reminder_settings(store.get_setting)

        self.enabled_check = QCheckBox("Remind me to practise")
        labelled(
            self.enabled_check,
            "Daily reminder",
            "A desktop notification at this time, unless you have already practised that day",
        )
        self.enabled_check.setChecked(chosen.enabled)
        self.time_edit = QTimeEdit(QTime(chosen.at.hour, chosen.at.minute))
        self.time_edit.setDisplayFormat("HH:mm")
        labelled(self.time_edit, "Reminder time", "When the reminder comes, by this computer's clock")
        self.day_checks: list[QCheckBox] = []
        for index, name in enumerate(DAY_NAMES):
            check = QCheckBox(name)
            labelled(check, FULL_DAY_NAMES[index], f"Remind me on {FULL_DAY_NAMES[index]}s")
            check.setChecked(index in chosen.days)
            self.day_checks.append(check)
        self.autostart_check = QCheckBox("Start Kindred in the tray at login")
        labelled(
            self.autostart_check,
            "Start Kindred in the tray at login",
            "So that the reminder comes even when you have not opened Kindred",
        )
        self.autostart_check.setChecked(reminders.is_autostart_enabled())
        self.autostart_note = QLabel()
        self.autostart_note.setObjectName("errorLabel")
        self.autostart_note.setWordWrap(True)
        self.autostart_note.hide()
        self._show_enabled(chosen.enabled)

        self.enabled_check.toggled.connect(self._on_enabled)
        self.time_edit.timeChanged.connect(self._on_time)
        for check in self.day_checks:
            check.toggled.connect(lambda _on: self._on_days())
        self.autostart_check.toggled.connect(self._on_autostart)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(heading("Daily reminder"))
        form.addRow("Reminder", control_row(self.enabled_check, self.time_edit, spacing=12))
        form.addRow("On", control_row(*self.day_checks))
        form.addRow("", self.autostart_check)
        form.addRow("", self.autostart_note)

    def chosen_days(self) -> list[int]:
        return [index for index, check in enumerate(self.day_checks) if check.isChecked()]

    def _show_enabled(self, enabled: bool) -> None:
        self.time_edit.setEnabled(enabled)
        for check in self.day_checks:
            check.setEnabled(enabled)

    def _on_enabled(self, enabled: bool) -> None:
        self._show_enabled(enabled)
        self._set(settings.REMINDER_ENABLED, bool(enabled))
        if enabled:
            # The time and days shown are what will be used, stored even if never touched.
            self._on_time(self.time_edit.time())
            self._on_days()

    def _on_time(self, chosen: QTime) -> None:
        self._set(settings.REMINDER_TIME, reminders.format_time(time(chosen.hour(), chosen.minute())))

    def _on_days(self) -> None:
        self._set(settings.REMINDER_DAYS, self.chosen_days())

    def _on_autostart(self, enabled: bool) -> None:
        try:
            reminders.set_autostart(enabled)
        except OSError as error:
            where = reminders.autostart_path().parent
            self.autostart_note.setText(
                f"{where} could not be changed ({error.strerror}). Check that folder's permissions."
            )
            self.autostart_note.show()
            self.autostart_check.blockSignals(True)
            self.autostart_check.setChecked(reminders.is_autostart_enabled())
            self.autostart_check.blockSignals(False)
            return
        self.autostart_note.hide()
