"""Settings' "Sessions" rows: the length and background sound a session starts with, and
background sounds of one's own (added from an audio file, removed, brought back)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QPushButton, QWidget

from app import settings
from app.history import Store
from app.render.sound_import import AddedSound, TrashedSound, import_sound, remove_sound, restore_sound
from app.render.sounds import user_ambience_names
from app.settings import Settings
from app.ui.dialogs.settings_rows import SetSetting, control_row, heading, note_label, select_data, show_note
from app.ui.services.pool_task import CallTask
from app.ui.widgets.ambience_choice import fill_ambience_combo, sound_label
from app.ui.widgets.basics import labelled

DEFAULT_LENGTHS = (5, 10, 15, 20, 30)  # minutes
#: The background combo's first items, before the sounds.
AMBIENCE_FIXED = (("The script's own", "script"), ("None", "none"))
#: What "Add a sound…" offers first: the formats people have; "All files" for the rest.
SOUND_FILTER = (
    "Sound files (*.mp3 *.flac *.ogg *.oga *.opus *.wav *.m4a *.aac *.aiff *.aif *.wma *.webm);;All files (*)"
)


class SessionSection(QObject):
    """Its choices are stored at once through `set_setting(setting, value)`; soundsChanged says a
    background sound was added, removed or brought back, for the player and timer to offer."""

    soundsChanged = Signal()

    def __init__(self, store: Store, set_setting: SetSetting, parent: QWidget) -> None:
        super().__init__(parent)
        self._dialog = parent
        self._set = set_setting
        self._sound_task: CallTask | None = None  # kept: its signals die with it
        self._removed_sound: TrashedSound | None = None
        self._build_choices()
        self._build_sound_actions()
        self._restore(store)
        self._connect()

    def _build_choices(self) -> None:
        self.length_combo = QComboBox()
        self.length_combo.addItem("Script default", None)
        for minutes in DEFAULT_LENGTHS:
            self.length_combo.addItem(f"{minutes} min", minutes * 60)
        labelled(
            self.length_combo,
            "Default length",
            "The length a meditation starts at, where the script offers it",
        )
        self.ambience_combo = QComboBox()
        fill_ambience_combo(self.ambience_combo, AMBIENCE_FIXED)
        labelled(
            self.ambience_combo, "Default background sound", "The sound under the voice when a session starts"
        )

    def _build_sound_actions(self) -> None:
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
        self.sound_note = note_label()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(heading("Sessions"))
        form.addRow("Default length", self.length_combo)
        form.addRow("Background sound", self.ambience_combo)
        form.addRow("", control_row(self.add_sound_button, self.remove_sound_button, self.undo_sound_button))
        form.addRow("", self.sound_note)

    def _restore(self, store: Store) -> None:
        length = Settings(store).get(settings.DEFAULT_LENGTH)
        if length is not None and self.length_combo.findData(length) < 0:
            # A length chosen elsewhere (say 25 min) is shown as it is rather than lost.
            self.length_combo.addItem(f"{round(length / 60)} min", length)
        select_data(self.length_combo, length)
        # A sound that has since gone falls back to the first item, the script's own.
        select_data(self.ambience_combo, Settings(store).get(settings.DEFAULT_AMBIENCE))
        self._show_sound_actions()

    def _connect(self) -> None:
        self.length_combo.currentIndexChanged.connect(
            lambda _: self._set(settings.DEFAULT_LENGTH, self.length_combo.currentData())
        )
        self.ambience_combo.currentIndexChanged.connect(
            lambda _: self._set(settings.DEFAULT_AMBIENCE, self.ambience_combo.currentData())
        )
        self.ambience_combo.currentIndexChanged.connect(lambda _: self._show_sound_actions())
        self.add_sound_button.clicked.connect(self.choose_sound_file)
        self.remove_sound_button.clicked.connect(self.remove_selected_sound)
        self.undo_sound_button.clicked.connect(self.undo_remove_sound)

    # -- adding -----------------------------------------------------------------------------

    def choose_sound_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._dialog, "Add a background sound", str(Path.home()), SOUND_FILTER
        )
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
        task.start()

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

    # -- removing and bringing back ---------------------------------------------------------

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
            self._set(settings.DEFAULT_AMBIENCE, self.ambience_combo.currentData())
        self._show_sound_actions()

    def _show_sound_actions(self) -> None:
        self.remove_sound_button.setEnabled(self.ambience_combo.currentData() in user_ambience_names())

    def show_sound_note(self, text: str, undo: bool = False, error: bool = False) -> None:
        show_note(self.sound_note, text, error)
        self.undo_sound_button.setVisible(undo)
