"""Settings: voice, speaking rate, default length and background, appearance, streaks, data folder.

There is no OK or Apply: each change is written to the store at once and announced with
settingChanged(key, value), so the window can follow it (the theme, for instance) while the
dialog is still open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.history import Store
from app.render.cache_limit import LIMIT_SETTING, cache_size, limit_bytes, trim_cache
from app.render.sound_import import AddedSound, TrashedSound, import_sound, remove_sound, restore_sound
from app.render.sounds import user_ambience_names
from app.tts import DEFAULT_RATE_WPM, Voice
from app.ui.dialogs.reminder_rows import ReminderSection
from app.ui.services.pool_task import CallTask
from app.ui.widgets.ambience_choice import fill_ambience_combo, sound_label
from app.ui.widgets.basics import labelled

MIN_RATE = 80
MAX_RATE = 220
DEFAULT_LENGTHS = (5, 10, 15, 20, 30)  # minutes
THEMES = (("Follow system", "system"), ("Light", "light"), ("Dark", "dark"))
#: The background combo's first items, before the sounds.
AMBIENCE_FIXED = (("The script's own", "script"), ("None", "none"))
#: What "Add a sound…" offers first: the formats people have; "All files" for the rest.
SOUND_FILTER = (
    "Sound files (*.mp3 *.flac *.ogg *.oga *.opus *.wav *.m4a *.aac *.aiff *.aif *.wma *.webm);;All files (*)"
)


def voice_label(voice: Voice) -> str:
    """Name, language and who speaks it: "Joe (United States, medium) · en-US · Piper (neural)"."""
    return " · ".join(part for part in (voice.name, voice.language, voice.engine) if part)


def voice_order(voice: Voice) -> tuple:
    # The natural (neural) voices first: they are the ones a listener wants; the hundred-odd
    # system voices after them, by name.
    return (not voice.id.startswith("piper/"), voice.name.casefold(), voice.language)


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
        self._voices = sorted(voices, key=voice_order)
        self._default_voice = default_voice
        #: The voices the user added, the only ones that can be removed.
        self._own_voices: set[str] = set(own_voices or ())
        self._sound_task: CallTask | None = None  # kept: its signals die with it
        self._removed_sound: TrashedSound | None = None
        self._build()
        self._restore()
        self._connect()

    # -- building -----------------------------------------------------------------------

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

        form.addRow(self._heading("Voice"))
        self.voice_combo = QComboBox()
        self.voice_combo.setObjectName("voiceCombo")
        for voice in self._voices:
            self.voice_combo.addItem(voice_label(voice), voice.id)
        # Linux offers over a hundred voices: typing filters them by any part of name or language.
        self.voice_combo.setEditable(True)
        self.voice_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.voice_combo.model(), self.voice_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.voice_combo.setCompleter(completer)
        self.voice_combo.lineEdit().setPlaceholderText("Type to find a voice")
        labelled(self.voice_combo, "Voice", "The voice that speaks the meditations; type to search")
        self.hear_button = QPushButton("Hear it")
        labelled(self.hear_button, "Hear the voice", "Play a short sample of this voice at this rate")
        if not self._voices:
            self.voice_combo.setEnabled(False)
            self.voice_combo.lineEdit().setPlaceholderText("No voice installed")
            self.hear_button.setEnabled(False)
        voice_row = QHBoxLayout()
        voice_row.setSpacing(8)
        voice_row.addWidget(self.voice_combo, 1)
        voice_row.addWidget(self.hear_button)
        form.addRow("Voice", voice_row)
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
        manage_row = QHBoxLayout()
        manage_row.setSpacing(8)
        manage_row.addWidget(self.add_voice_button)
        manage_row.addWidget(self.remove_voice_button)
        manage_row.addWidget(self.undo_voice_button)
        manage_row.addStretch(1)
        form.addRow("", manage_row)
        self.voice_note = QLabel()
        self.voice_note.setObjectName("voiceNote")
        self.voice_note.setWordWrap(True)
        self.voice_note.hide()
        form.addRow("", self.voice_note)

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
        rate_row = QHBoxLayout()
        rate_row.setSpacing(12)
        rate_row.addWidget(self.rate_slider, 1)
        rate_row.addWidget(self.rate_value)
        form.addRow("Speaking rate", rate_row)

        form.addRow(self._heading("Sessions"))
        self.length_combo = QComboBox()
        self.length_combo.addItem("Script default", None)
        for minutes in DEFAULT_LENGTHS:
            self.length_combo.addItem(f"{minutes} min", minutes * 60)
        labelled(
            self.length_combo,
            "Default length",
            "The length a meditation starts at, where the script offers it",
        )
        form.addRow("Default length", self.length_combo)
        self.ambience_combo = QComboBox()
        fill_ambience_combo(self.ambience_combo, AMBIENCE_FIXED)
        labelled(
            self.ambience_combo, "Default background sound", "The sound under the voice when a session starts"
        )
        form.addRow("Background sound", self.ambience_combo)
        self._build_sound_actions(form)

        form.addRow(self._heading("Appearance"))
        self.theme_combo = QComboBox()
        for label, value in THEMES:
            self.theme_combo.addItem(label, value)
        labelled(self.theme_combo, "Appearance", "Light, dark, or the same as the rest of your desktop")
        form.addRow("Colours", self.theme_combo)
        self.streaks_check = QCheckBox("Show streaks")
        labelled(self.streaks_check, "Show streaks", "Show how many days in a row you have practised")
        form.addRow("", self.streaks_check)

        self.reminder_section = ReminderSection(self._store, self._set, self)
        self.reminder_section.add_rows(form, self._heading("Daily reminder"))

        form.addRow(self._heading("Your data"))
        self.data_path = QLineEdit(str(paths.data_dir()))
        self.data_path.setReadOnly(True)
        self.data_path.setCursorPosition(0)
        labelled(self.data_path, "Data folder", "Where your own scripts, history and settings are kept")
        self.open_folder_button = QPushButton("Open folder")
        labelled(self.open_folder_button, "Open the data folder", "Show this folder in your file manager")
        data_row = QHBoxLayout()
        data_row.setSpacing(8)
        data_row.addWidget(self.data_path, 1)
        data_row.addWidget(self.open_folder_button)
        form.addRow("Folder", data_row)
        self.folder_note = QLabel()
        self.folder_note.setObjectName("errorLabel")
        self.folder_note.setWordWrap(True)
        self.folder_note.hide()
        form.addRow(self.folder_note)
        self.cache_combo = QComboBox()
        for gigabytes in CACHE_CHOICES_GB:
            self.cache_combo.addItem(_size_label(gigabytes * GIB), gigabytes)
        labelled(
            self.cache_combo,
            "Sound kept for replay",
            "Sessions and sentences already spoken are kept up to this size, so they play at once; "
            "the least recently played go first",
        )
        self.cache_note = QLabel()
        self.cache_note.setObjectName("cacheNote")
        cache_row = QHBoxLayout()
        cache_row.setSpacing(8)
        cache_row.addWidget(self.cache_combo)
        cache_row.addWidget(self.cache_note, 1)
        form.addRow("Keep up to", cache_row)

        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        labelled(close, "Close settings", "Close; every change is already saved")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _build_sound_actions(self, form: QFormLayout) -> None:
        self.add_sound_button = QPushButton("Add a sound…")
        labelled(
            self.add_sound_button,
            "Add a sound",
            "Add your own background sound from an audio file; it is made into a quiet, seamless loop",
        )
        self.remove_sound_button = QPushButton("Remove this sound")
        labelled(self.remove_sound_button, "Remove this sound", "Remove a sound you added (you can undo it)")
        self.undo_sound_button = QPushButton("Undo")
        labelled(self.undo_sound_button, "Undo remove sound", "Bring the removed sound back")
        self.undo_sound_button.hide()
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.add_sound_button)
        row.addWidget(self.remove_sound_button)
        row.addWidget(self.undo_sound_button)
        row.addStretch(1)
        form.addRow("", row)
        self.sound_note = QLabel()
        self.sound_note.setObjectName("voiceNote")
        self.sound_note.setWordWrap(True)
        self.sound_note.hide()
        form.addRow("", self.sound_note)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("paneHeading")
        label.setContentsMargins(0, 12, 0, 0)  # air above each group
        return label

    # -- state --------------------------------------------------------------------------

    def _restore(self) -> None:
        get = self._store.get_setting
        voice = get("voice") or self._default_voice
        index = self.voice_combo.findData(voice)
        if index < 0 and self._voices:
            index = max(self.voice_combo.findData(self._default_voice), 0)
        self.voice_combo.setCurrentIndex(index)

        rate = get("rate", DEFAULT_RATE_WPM)
        rate = rate if isinstance(rate, int) and not isinstance(rate, bool) else DEFAULT_RATE_WPM
        self.rate_slider.setValue(max(MIN_RATE, min(MAX_RATE, rate)))
        self._show_rate(self.rate_slider.value())

        length = get("default_length")
        if length is not None and self.length_combo.findData(length) < 0 and isinstance(length, int | float):
            # A length chosen elsewhere (say 25 min) is shown as it is rather than lost.
            self.length_combo.addItem(f"{round(length / 60)} min", length)
        _select(self.length_combo, length)
        # A sound that has since gone falls back to the first item, the script's own.
        _select(self.ambience_combo, get("default_ambience", "script"))
        _select(self.theme_combo, get("theme", "system"))
        self.streaks_check.setChecked(bool(get("show_streaks", True)))
        limit_gb = limit_bytes(get(LIMIT_SETTING)) / GIB
        if self.cache_combo.findData(limit_gb) < 0:
            self.cache_combo.addItem(_size_label(limit_bytes(limit_gb)), limit_gb)  # set elsewhere: kept
        _select(self.cache_combo, limit_gb)
        self._show_cache_size()
        self._show_voice_actions()
        self._show_sound_actions()

    def _connect(self) -> None:
        self.voice_combo.currentIndexChanged.connect(self._on_voice)
        self.voice_combo.lineEdit().editingFinished.connect(self._settle_voice_text)
        self.hear_button.clicked.connect(self.request_preview)
        self.add_voice_button.clicked.connect(self.choose_voice_file)
        self.remove_voice_button.clicked.connect(self.remove_selected_voice)
        self.undo_voice_button.clicked.connect(self.undoRemoveRequested)
        self.rate_slider.valueChanged.connect(self._on_rate)
        self.length_combo.currentIndexChanged.connect(
            lambda _: self._set("default_length", self.length_combo.currentData())
        )
        self.ambience_combo.currentIndexChanged.connect(
            lambda _: self._set("default_ambience", self.ambience_combo.currentData())
        )
        self.ambience_combo.currentIndexChanged.connect(lambda _: self._show_sound_actions())
        self.add_sound_button.clicked.connect(self.choose_sound_file)
        self.remove_sound_button.clicked.connect(self.remove_selected_sound)
        self.undo_sound_button.clicked.connect(self.undo_remove_sound)
        self.theme_combo.currentIndexChanged.connect(
            lambda _: self._set("theme", self.theme_combo.currentData())
        )
        self.streaks_check.toggled.connect(lambda on: self._set("show_streaks", bool(on)))
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self.cache_combo.currentIndexChanged.connect(lambda _: self._set_cache_limit())

    def _set_cache_limit(self) -> None:
        gigabytes = self.cache_combo.currentData()
        self._set(LIMIT_SETTING, gigabytes)
        trim_cache(paths.cache_dir(), limit_bytes(gigabytes))  # a smaller limit holds from now on
        self._show_cache_size()

    def _show_cache_size(self) -> None:
        self.cache_note.setText(f"{_size_label(cache_size(paths.cache_dir()))} used now")

    def _set(self, key: str, value: object) -> None:
        self._store.set_setting(key, value)
        self.settingChanged.emit(key, value)

    def _on_voice(self, index: int) -> None:
        if index >= 0:
            self._set("voice", self.voice_combo.itemData(index))
        self._show_voice_actions()

    def _show_voice_actions(self) -> None:
        voice = self.selected_voice() or ""
        self.remove_voice_button.setEnabled(voice in self._own_voices)

    def set_voices(self, voices: list[Voice], own: set[str], select: str | None = None) -> None:
        """The voice list after one was added or removed; `own` are the removable ones."""
        self._voices = sorted(voices, key=voice_order)
        self._own_voices = set(own)
        current = select or self.selected_voice()
        self.voice_combo.blockSignals(True)
        self.voice_combo.clear()
        for voice in self._voices:
            self.voice_combo.addItem(voice_label(voice), voice.id)
        index = self.voice_combo.findData(current)
        if index < 0:
            index = max(self.voice_combo.findData(self._default_voice), 0)
        self.voice_combo.setCurrentIndex(index)
        self.voice_combo.blockSignals(False)
        self._on_voice(self.voice_combo.currentIndex())

    def show_voice_note(self, text: str, undo: bool = False, error: bool = False) -> None:
        self.voice_note.setText(text)
        self.voice_note.setObjectName("errorLabel" if error else "voiceNote")
        self.voice_note.style().unpolish(self.voice_note)
        self.voice_note.style().polish(self.voice_note)
        self.voice_note.setVisible(bool(text))
        self.undo_voice_button.setVisible(undo)

    def set_voice_busy(self, busy: bool) -> None:
        self.add_voice_button.setEnabled(not busy)
        self.add_voice_button.setText("Adding the voice…" if busy else "Add a voice…")

    def choose_voice_file(self) -> None:
        """The file dialog; replaced in tests."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Add a Piper voice", str(Path.home()), "Piper voices (*.onnx);;All files (*)"
        )
        if path:
            self.addVoiceRequested.emit(path)

    def remove_selected_voice(self) -> None:
        voice = self.selected_voice()
        if voice in self._own_voices:
            self.removeVoiceRequested.emit(voice)

    def _settle_voice_text(self) -> None:
        # Typed text that matched no voice goes back to the voice actually chosen.
        index = self.voice_combo.currentIndex()
        if index >= 0 and self.voice_combo.currentText() != self.voice_combo.itemText(index):
            self.voice_combo.setEditText(self.voice_combo.itemText(index))

    def _on_rate(self, rate: int) -> None:
        self._show_rate(rate)
        self._set("rate", int(rate))

    def _show_rate(self, rate: int) -> None:
        self.rate_value.setText(f"{rate} words a minute")

    # -- actions ------------------------------------------------------------------------

    def selected_voice(self) -> str | None:
        return self.voice_combo.currentData()

    def request_preview(self) -> None:
        voice = self.selected_voice()
        if voice:
            self.previewRequested.emit(voice, self.rate_slider.value())

    def open_data_folder(self) -> None:
        folder = paths.data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        except OSError:
            opened = False
        if opened:
            self.folder_note.hide()
        else:
            self.folder_note.setText(
                "The folder could not be opened from here. Its path is shown above: "
                "copy it into your file manager."
            )
            self.folder_note.show()

    # -- background sounds of one's own --------------------------------------------------

    def choose_sound_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a background sound", str(Path.home()), SOUND_FILTER)
        if path:
            self.add_sound(Path(path))

    def add_sound(self, path: Path) -> None:
        """Decodes, loops and levels the file on a pool thread: a long file takes a second or two."""
        self.add_sound_button.setEnabled(False)
        self.add_sound_button.setText("Adding the sound…")
        self.show_sound_note(f"Making a seamless loop of {path.name}…")
        task = CallTask(lambda: import_sound(path), "Could not add the sound")
        task.finished.connect(self._sound_added)
        task.failed.connect(self._sound_failed)
        self._sound_task = task
        task.start_on(QThreadPool.globalInstance())

    def _sound_added(self, sound: AddedSound) -> None:
        self._sound_done()
        self._refill_sounds(select=sound.name)
        self.show_sound_note(
            f"Added “{sound_label(sound.name)}”, a {sound.seconds:.0f}-second loop; it is now the "
            f"default background, and the player and timer offer it. Scripts name it ambience: {sound.name}"
        )
        self.soundsChanged.emit()

    def _sound_failed(self, title: str, explanation: str) -> None:
        self._sound_done()
        self.show_sound_note(f"{title}: {explanation}", error=True)

    def _sound_done(self) -> None:
        self.add_sound_button.setEnabled(True)
        self.add_sound_button.setText("Add a sound…")
        self._sound_task = None

    def remove_selected_sound(self) -> None:
        name = self.ambience_combo.currentData()
        if name not in user_ambience_names():
            return
        try:
            self._removed_sound = remove_sound(name)
        except OSError as error:
            self.show_sound_note(f"The sound could not be removed ({error.strerror or error}).", error=True)
            return
        self._refill_sounds()  # the removed sound was the one chosen: the script's own is, now
        self.show_sound_note(f"Removed “{sound_label(name)}”.", undo=True)
        self.soundsChanged.emit()

    def undo_remove_sound(self) -> None:
        if self._removed_sound is None:
            return
        try:
            name = restore_sound(self._removed_sound)
        except OSError as error:
            self.show_sound_note(
                f"The sound could not be brought back ({error.strerror or error}).", error=True
            )
            return
        self._removed_sound = None
        self._refill_sounds(select=name)  # it was the default when removed, so it is again
        self.show_sound_note(f"“{sound_label(name)}” is back.")
        self.soundsChanged.emit()

    def _refill_sounds(self, select: str | None = None) -> None:
        """The combo after a sound came or went; `select` is chosen when given. A choice that
        changed (to `select`, or away from a removed sound) is stored and announced as any other."""
        before = self.ambience_combo.currentData()
        fill_ambience_combo(self.ambience_combo, AMBIENCE_FIXED)
        if select is not None:
            self.ambience_combo.blockSignals(True)
            self.ambience_combo.setCurrentIndex(max(self.ambience_combo.findData(select), 0))
            self.ambience_combo.blockSignals(False)
        if self.ambience_combo.currentData() != before:
            self._set("default_ambience", self.ambience_combo.currentData())
        self._show_sound_actions()

    def _show_sound_actions(self) -> None:
        self.remove_sound_button.setEnabled(self.ambience_combo.currentData() in user_ambience_names())

    def show_sound_note(self, text: str, undo: bool = False, error: bool = False) -> None:
        self.sound_note.setText(text)
        self.sound_note.setObjectName("errorLabel" if error else "voiceNote")
        self.sound_note.style().unpolish(self.sound_note)
        self.sound_note.style().polish(self.sound_note)
        self.sound_note.setVisible(bool(text))
        self.undo_sound_button.setVisible(undo)


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(combo.findData(value), 0))


#: What "Keep up to" offers, in gigabytes (the default, 2, among them).
CACHE_CHOICES_GB = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
GIB = 1024**3


def _size_label(size: float) -> str:
    """Bytes as a person reads them: "350 MB", "2 GB", "1.5 GB"."""
    if size < GIB:
        return f"{size / 1024**2:.0f} MB"
    gigabytes = size / GIB
    return f"{gigabytes:.0f} GB" if abs(gigabytes - round(gigabytes)) < 0.05 else f"{gigabytes:.1f} GB"
