"""Settings' "Voice" rows: which voice speaks and how fast, hearing it, and voices of one's own.

Adding and removing a voice is the window's work (app/ui/main_window_voices.py): this section asks
for it with its signals and shows what the window hands back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QWidget,
)

from app import settings
from app.history import Store
from app.settings import Settings
from app.tts import DEFAULT_RATE_WPM, Voice
from app.ui.dialogs.settings_rows import SetSetting, control_row, heading, note_label, show_note
from app.ui.widgets.basics import labelled

MIN_RATE = 80
MAX_RATE = 220
VOICE_FILTER = "Piper voices (*.onnx);;All files (*)"


def voice_label(voice: Voice) -> str:
    """Name, language and who speaks it: "Joe (United States, medium) · en-US · Piper (neural)"."""
    return " · ".join(part for part in (voice.name, voice.language, voice.engine) if part)


def voice_order(voice: Voice) -> tuple:
    # The natural (neural) voices first: they are the ones a listener wants; the hundred-odd
    # system voices after them, by name.
    return (not voice.id.startswith("piper/"), voice.name.casefold(), voice.language)


def stored_rate(value: object) -> int:
    """The stored rate within what the slider offers; anything but a whole number is the default."""
    rate = value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_RATE_WPM
    return max(MIN_RATE, min(MAX_RATE, rate))


class VoiceSection(QObject):
    """Its choices are stored at once through `set_setting(setting, value)`."""

    previewRequested = Signal(str, int)  # voice id, words per minute
    addVoiceRequested = Signal(str)  # the chosen .onnx file
    removeVoiceRequested = Signal(str)  # voice id
    undoRemoveRequested = Signal()

    def __init__(
        self,
        store: Store,
        voices: list[Voice],
        default_voice: str,
        own_voices: set[str],
        set_setting: SetSetting,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._dialog = parent
        self._set = set_setting
        self._voices = sorted(voices, key=voice_order)
        self._default_voice = default_voice
        #: The voices the user added, the only ones that can be removed.
        self._own_voices = set(own_voices)
        self._build_voice_choice()
        self._build_voice_actions()
        self._build_rate()
        self._restore(store)
        self._connect()

    def _build_voice_choice(self) -> None:
        self.voice_combo = QComboBox()
        self.voice_combo.setObjectName("voiceCombo")
        self._fill_voices()
        # Linux offers over a hundred voices: typing filters them by any part of name or language.
        self.voice_combo.setEditable(True)
        self.voice_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.voice_combo.model(), self.voice_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.voice_combo.setCompleter(completer)
        self._voice_text().setPlaceholderText("Type to find a voice")
        labelled(self.voice_combo, "Voice", "The voice that speaks the meditations; type to search")
        self.hear_button = QPushButton("Hear it")
        labelled(self.hear_button, "Hear the voice", "Play a short sample of this voice at this rate")
        if not self._voices:
            self.voice_combo.setEnabled(False)
            self._voice_text().setPlaceholderText("No voice installed")
            self.hear_button.setEnabled(False)

    def _build_voice_actions(self) -> None:
        self.add_voice_button = QPushButton("Add a voice…")
        labelled(
            self.add_voice_button,
            "Add a voice",
            "Add a Piper voice: its .onnx file, with its .onnx.json beside it",
        )
        self.remove_voice_button = QPushButton("Remove this voice")
        labelled(self.remove_voice_button, "Remove this voice", "Remove a voice you added (you can undo it)")
        self.undo_voice_button = QPushButton("Undo")
        labelled(self.undo_voice_button, "Undo remove", "Bring the removed voice back")
        self.undo_voice_button.hide()
        self.voice_note = note_label()

    def _build_rate(self) -> None:
        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setObjectName("rateSlider")
        self.rate_slider.setRange(MIN_RATE, MAX_RATE)
        self.rate_slider.setSingleStep(5)
        self.rate_slider.setPageStep(10)
        labelled(
            self.rate_slider,
            "Speaking rate",
            f"How fast the voice speaks, {MIN_RATE} to {MAX_RATE} words a minute",
        )
        self.rate_value = QLabel()
        self.rate_value.setObjectName("rateValue")
        self.rate_value.setMinimumWidth(110)
        self.rate_value.setAccessibleName("Speaking rate in words a minute")

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(heading("Voice"))
        form.addRow("Voice", control_row(self.voice_combo, self.hear_button, stretch=0))
        form.addRow("", control_row(self.add_voice_button, self.remove_voice_button, self.undo_voice_button))
        form.addRow("", self.voice_note)
        form.addRow("Speaking rate", control_row(self.rate_slider, self.rate_value, spacing=12, stretch=0))

    def _restore(self, store: Store) -> None:
        voice = Settings(store).get(settings.VOICE) or self._default_voice
        index = self.voice_combo.findData(voice)
        if index < 0 and self._voices:
            index = max(self.voice_combo.findData(self._default_voice), 0)
        self.voice_combo.setCurrentIndex(index)
        self.rate_slider.setValue(stored_rate(Settings(store).get(settings.RATE)))
        self._show_rate(self.rate_slider.value())
        self._show_voice_actions()

    def _connect(self) -> None:
        self.voice_combo.currentIndexChanged.connect(self._on_voice)
        self._voice_text().editingFinished.connect(self._settle_voice_text)
        self.hear_button.clicked.connect(self.request_preview)
        self.add_voice_button.clicked.connect(self.choose_voice_file)
        self.remove_voice_button.clicked.connect(self.remove_selected_voice)
        self.undo_voice_button.clicked.connect(self.undoRemoveRequested)
        self.rate_slider.valueChanged.connect(self._on_rate)

    # -- the voice ------------------------------------------------------------------------

    def selected_voice(self) -> str | None:
        return self.voice_combo.currentData()

    def set_voices(self, voices: list[Voice], own: set[str], select: str | None = None) -> None:
        """The voice list after one was added or removed; `own` are the removable ones."""
        self._voices = sorted(voices, key=voice_order)
        self._own_voices = set(own)
        current = select or self.selected_voice()
        self.voice_combo.blockSignals(True)
        self.voice_combo.clear()
        self._fill_voices()
        index = self.voice_combo.findData(current)
        if index < 0:
            index = max(self.voice_combo.findData(self._default_voice), 0)
        self.voice_combo.setCurrentIndex(index)
        self.voice_combo.blockSignals(False)
        self._on_voice(self.voice_combo.currentIndex())

    def _fill_voices(self) -> None:
        for voice in self._voices:
            self.voice_combo.addItem(voice_label(voice), voice.id)

    def _voice_text(self) -> QLineEdit:
        line = self.voice_combo.lineEdit()
        assert line is not None  # the combo is editable: it always has one
        return line

    def _on_voice(self, index: int) -> None:
        if index >= 0:
            self._set(settings.VOICE, self.voice_combo.itemData(index))
        self._show_voice_actions()

    def _settle_voice_text(self) -> None:
        # Typed text that matched no voice goes back to the voice actually chosen.
        index = self.voice_combo.currentIndex()
        if index >= 0 and self.voice_combo.currentText() != self.voice_combo.itemText(index):
            self.voice_combo.setEditText(self.voice_combo.itemText(index))

    def request_preview(self) -> None:
        voice = self.selected_voice()
        if voice:
            self.previewRequested.emit(voice, self.rate_slider.value())

    # -- voices of one's own --------------------------------------------------------------

    def _show_voice_actions(self) -> None:
        voice = self.selected_voice() or ""
        self.remove_voice_button.setEnabled(voice in self._own_voices)

    def show_voice_note(self, text: str, undo: bool = False, error: bool = False) -> None:
        show_note(self.voice_note, text, error)
        self.undo_voice_button.setVisible(undo)

    def set_voice_busy(self, busy: bool) -> None:
        self.add_voice_button.setEnabled(not busy)
        self.add_voice_button.setText("Adding the voice…" if busy else "Add a voice…")

    def choose_voice_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._dialog, "Add a Piper voice", str(Path.home()), VOICE_FILTER
        )
        if path:
            self.addVoiceRequested.emit(path)

    def remove_selected_voice(self) -> None:
        voice = self.selected_voice()
        if voice in self._own_voices:
            self.removeVoiceRequested.emit(voice)

    # -- the rate -------------------------------------------------------------------------

    def _on_rate(self, rate: int) -> None:
        self._show_rate(rate)
        self._set(settings.RATE, int(rate))

    def _show_rate(self, rate: int) -> None:
        self.rate_value.setText(f"{rate} words a minute")
