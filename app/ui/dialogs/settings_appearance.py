"""Settings' "Appearance" rows: light, dark or the desktop's colours, and whether streaks show."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QWidget

from app import settings
from app.history import Store
from app.settings import Settings
from app.ui.dialogs.settings_rows import SetSetting, heading, select_data
from app.ui.widgets.basics import labelled

THEMES = (("Follow system", "system"), ("Light", "light"), ("Dark", "dark"))


class AppearanceSection(QObject):
    """Its choices are stored at once through `set_setting(setting, value)`; the window follows the
    theme as soon as it is announced."""

    def __init__(self, store: Store, set_setting: SetSetting, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme_combo = QComboBox()
        for label, value in THEMES:
            self.theme_combo.addItem(label, value)
        labelled(self.theme_combo, "Appearance", "Light, dark, or the same as the rest of your desktop")
        self.streaks_check = QCheckBox("Show streaks")
        labelled(self.streaks_check, "Show streaks", "Show how many days in a row you have practised")

        select_data(self.theme_combo, Settings(store).get(settings.THEME))
        self.streaks_check.setChecked(Settings(store).get(settings.SHOW_STREAKS))
        self.theme_combo.currentIndexChanged.connect(
            lambda _: set_setting(settings.THEME, self.theme_combo.currentData())
        )
        self.streaks_check.toggled.connect(lambda on: set_setting(settings.SHOW_STREAKS, bool(on)))

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(heading("Appearance"))
        form.addRow("Colours", self.theme_combo)
        form.addRow("", self.streaks_check)
