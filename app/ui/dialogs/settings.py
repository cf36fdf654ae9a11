"""Settings: voice, speaking rate, default length and background, appearance, streaks, data folder.

There is no OK or Apply: each change is written to the store at once and announced with
settingChanged(key, value), so the window can follow it (the theme, for instance) while the
dialog is still open.

Each group of rows is a section of its own (settings_voice, settings_sessions,
settings_appearance, reminder_rows, settings_data); this dialog lays them out in one form and
stores and announces what they change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.history import Store
from app.settings import Setting, Settings
from app.tts import Voice
from app.ui.dialogs.reminder_rows import ReminderSection
from app.ui.dialogs.settings_appearance import THEMES, AppearanceSection
from app.ui.dialogs.settings_data import CACHE_CHOICES_GB, GIB, DataSection
from app.ui.dialogs.settings_sessions import AMBIENCE_FIXED, DEFAULT_LENGTHS, SOUND_FILTER, SessionSection
from app.ui.dialogs.settings_voice import MAX_RATE, MIN_RATE, VoiceSection, voice_label, voice_order
from app.ui.widgets.basics import labelled

# Names other modules know from here, wherever they now live.
__all__ = [
    "AMBIENCE_FIXED",
    "CACHE_CHOICES_GB",
    "DEFAULT_LENGTHS",
    "GIB",
    "MAX_RATE",
    "MIN_RATE",
    "SOUND_FILTER",
    "THEMES",
    "SettingsDialog",
    "voice_label",
    "voice_order",
]


class SettingsDialog(QDialog):
    """Every change is stored immediately and emitted as settingChanged(key, value)."""

    settingChanged = Signal(str, object)
    previewRequested = Signal(str, int)  # voice id, words per minute
    addVoiceRequested = Signal(str)  # the chosen .onnx file
    removeVoiceRequested = Signal(str)  # voice id
    undoRemoveRequested = Signal()
    soundsChanged = Signal()  # a background sound was added, removed or brought back

    def __init__(
        self,
        store: Store,
        voices: list[Voice],
        default_voice: str,
        parent: QWidget | None = None,
        own_voices: set[str] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._store = store
        self.voice_section = VoiceSection(
            store, voices, default_voice, set(own_voices or ()), self._set, self
        )
        self.session_section = SessionSection(store, self._set, self)
        self.appearance_section = AppearanceSection(store, self._set, self)
        self.reminder_section = ReminderSection(store, self._set, self)
        self.data_section = DataSection(store, self._set, self)
        self._build()
        self._name_controls()
        self._pass_on_requests()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        title = QLabel("Settings")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        # One form for all groups, so every field lines up under the same column.
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        for section in (
            self.voice_section,
            self.session_section,
            self.appearance_section,
            self.reminder_section,
            self.data_section,
        ):
            section.add_rows(form)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        labelled(close, "Close settings", "Close; every change is already saved")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _name_controls(self) -> None:
        """The sections' controls, under the names the window and the tests know them by."""
        voice, session, data = self.voice_section, self.session_section, self.data_section
        self.voice_combo = voice.voice_combo
        self.hear_button = voice.hear_button
        self.add_voice_button = voice.add_voice_button
        self.remove_voice_button = voice.remove_voice_button
        self.undo_voice_button = voice.undo_voice_button
        self.voice_note = voice.voice_note
        self.rate_slider = voice.rate_slider
        self.rate_value = voice.rate_value
        self.length_combo = session.length_combo
        self.ambience_combo = session.ambience_combo
        self.add_sound_button = session.add_sound_button
        self.remove_sound_button = session.remove_sound_button
        self.undo_sound_button = session.undo_sound_button
        self.sound_note = session.sound_note
        self.theme_combo = self.appearance_section.theme_combo
        self.streaks_check = self.appearance_section.streaks_check
        self.data_path = data.data_path
        self.open_folder_button = data.open_folder_button
        self.folder_note = data.folder_note
        self.cache_combo = data.cache_combo
        self.cache_note = data.cache_note

    def _pass_on_requests(self) -> None:
        """What the sections ask of the window, as the dialog's own signals."""
        self.voice_section.previewRequested.connect(self.previewRequested)
        self.voice_section.addVoiceRequested.connect(self.addVoiceRequested)
        self.voice_section.removeVoiceRequested.connect(self.removeVoiceRequested)
        self.voice_section.undoRemoveRequested.connect(self.undoRemoveRequested)
        self.session_section.soundsChanged.connect(self.soundsChanged)

    def _set(self, setting: Setting[Any], value: Any) -> None:
        Settings(self._store).set(setting, value)
        self.settingChanged.emit(setting.key, value)

    # -- what the window and the voice rows ask of the dialog ---------------------------------

    def selected_voice(self) -> str | None:
        return self.voice_section.selected_voice()

    def request_preview(self) -> None:
        self.voice_section.request_preview()

    def set_voices(self, voices: list[Voice], own: set[str], select: str | None = None) -> None:
        """The voice list after one was added or removed; `own` are the removable ones."""
        self.voice_section.set_voices(voices, own, select)

    def show_voice_note(self, text: str, undo: bool = False, error: bool = False) -> None:
        self.voice_section.show_voice_note(text, undo, error)

    def set_voice_busy(self, busy: bool) -> None:
        self.voice_section.set_voice_busy(busy)
