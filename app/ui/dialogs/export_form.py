"""The export dialog's questions: the format, the length, the background sound, where to save.

One row per question in a grid. The file name Kindred suggests follows the format and the
length as they change; a name the person typed or chose stays theirs, and only its suffix
follows the format. The naming rules themselves are `app.render.export_naming`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.render.export import FORMATS
from app.render.export_naming import suggested_name, target_path, with_format_suffix
from app.render.sounds import ambience_names
from app.script import format_duration
from app.ui.dialogs.export_labels import field_label, plain_label
from app.ui.widgets.ambience_choice import sound_label
from app.ui.widgets.basics import labelled


class FormatChoice(NamedTuple):
    """A format as offered: the name shown, and one line on when to pick it."""

    name: str
    hint: str


FORMAT_CHOICES: dict[str, FormatChoice] = {
    "mp3": FormatChoice("MP3", "Plays everywhere: phones, cars, any music player."),
    "opus": FormatChoice("Opus", "The smallest file for the same sound; newer players."),
    "flac": FormatChoice("FLAC", "Lossless and larger: the copy to keep."),
    "wav": FormatChoice("WAV", "Uncompressed and largest: for editing the sound."),
}


class ExportForm(QWidget):
    """The questions, answered with what the player or the library had chosen.

    `title` and `durations` are the script's; `length` and `ambience` the choice to start
    from (a length the script does not offer is added), `folder` where a bare name is saved.
    """

    def __init__(
        self,
        title: str,
        durations: Sequence[float],
        *,
        length: float | None,
        ambience: str | None,
        ambience_volume: float,
        fmt: str,
        folder: Path,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.title = title
        self.folder = folder
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        self._add_format_row(grid, 0, fmt)
        self._add_length_row(grid, 1, durations, length)
        self._add_background_rows(grid, 2, ambience, ambience_volume)
        # The suggested name needs the length, so this row comes after the length's.
        self._add_target_rows(grid, 4, fmt)

    # -- the rows -------------------------------------------------------------------------

    def _add_format_row(self, grid: QGridLayout, row: int, fmt: str) -> None:
        pills = QGridLayout()
        pills.setHorizontalSpacing(14)
        pills.setVerticalSpacing(6)
        pills.setColumnStretch(1, 1)
        self.format_group = QButtonGroup(self)
        self.format_group.setExclusive(True)
        self.format_buttons: dict[str, QPushButton] = {}
        for index, key in enumerate(FORMATS):
            name, hint = FORMAT_CHOICES[key]
            # Pills, as the timer's lengths: radio circles all but vanish in the dark theme.
            button = labelled(QPushButton(name), f"Format {name}", hint)
            button.setObjectName("formatChoice")
            button.setCheckable(True)
            button.setMinimumWidth(76)
            hint_label = plain_label(hint, "formatHint")
            hint_label.setBuddy(button)
            self.format_group.addButton(button, index)
            self.format_buttons[key] = button
            pills.addWidget(button, index, 0)
            pills.addWidget(hint_label, index, 1)
        self.format_buttons[fmt].setChecked(True)
        self.format_group.idToggled.connect(self._on_format_toggled)
        label = field_label("Format")
        label.setContentsMargins(0, 5, 0, 0)  # level with the first pill's text
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(pills, row, 1)

    def _add_length_row(
        self, grid: QGridLayout, row: int, durations: Sequence[float], length: float | None
    ) -> None:
        self.length_picker = labelled(QComboBox(), "Length", "How long the exported session lasts")
        offered: list[float | None] = list(durations) or [None]
        if length is not None and length not in offered:
            offered.append(length)
        for seconds in offered:
            # Written as the player and the library write lengths.
            self.length_picker.addItem("Natural" if seconds is None else format_duration(seconds), seconds)
        self.length_picker.setCurrentIndex(max(0, self.length_picker.findData(length)))
        self.length_picker.setEnabled(len(offered) > 1)
        self.length_picker.currentIndexChanged.connect(self._on_length_changed)
        line = QHBoxLayout()
        line.addWidget(self.length_picker)
        line.addStretch(1)
        grid.addWidget(field_label("Length", self.length_picker), row, 0)
        grid.addLayout(line, row, 1)

    def _add_background_rows(
        self, grid: QGridLayout, row: int, ambience: str | None, ambience_volume: float
    ) -> None:
        """The background sound on `row`, and under it a note on how loud it is mixed."""
        names = ambience_names()
        self.ambience_check = labelled(
            QCheckBox("Include"),
            "Include the background sound",
            "Mix the background sound under the voice, at the player's background volume",
        )
        self.ambience_picker = labelled(QComboBox(), "Background sound", "The sound under the voice")
        for name in names:
            self.ambience_picker.addItem(sound_label(name), name)
        if ambience in names:
            self.ambience_picker.setCurrentIndex(self.ambience_picker.findData(ambience))
        self.ambience_check.setChecked(ambience in names)
        self.ambience_check.setEnabled(bool(names))
        self.ambience_picker.setEnabled(self.ambience_check.isChecked())
        self.ambience_check.toggled.connect(self.ambience_picker.setEnabled)
        self.ambience_picker.setVisible(bool(names))
        self.ambience_note = plain_label(
            f"Mixed under the voice at {round(ambience_volume * 100)}% volume, as in the player."
            if names
            else "No background sounds are installed.",
            "exportNote",
            wrap=True,
        )
        line = QHBoxLayout()
        line.setSpacing(10)
        line.addWidget(self.ambience_check)
        line.addWidget(self.ambience_picker)
        line.addStretch(1)
        grid.addWidget(field_label("Background"), row, 0)
        grid.addLayout(line, row, 1)
        grid.addWidget(self.ambience_note, row + 1, 1)

    def _add_target_rows(self, grid: QGridLayout, row: int, fmt: str) -> None:
        """The file to save as on `row`, and under it where the captions go."""
        self.target_field = labelled(
            QLineEdit(), "Save as", "The audio file to write; the captions are saved beside it"
        )
        self.target_field.setObjectName("exportTarget")
        self.target_field.setMinimumWidth(380)  # room for most of a path and a title
        self._auto_target = self.folder / self.suggested_name(fmt)
        self.set_target(self._auto_target)
        # The dialog answers the button: it owns the save dialog (which tests replace).
        self.choose_button = labelled(
            QPushButton("Choose…"), "Choose where to save", "Choose the folder and file name"
        )
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addWidget(self.target_field, 1)
        line.addWidget(self.choose_button)
        grid.addWidget(field_label("Save as", self.target_field), row, 0)
        grid.addLayout(line, row, 1)
        self.captions_note = plain_label(
            "Captions are saved beside it as .vtt and .srt files with the same name; "
            "chapters and tags go into the audio file where the format allows.",
            "exportNote",
            wrap=True,
        )
        grid.addWidget(self.captions_note, row + 1, 1)

    # -- the answers ----------------------------------------------------------------------

    def format(self) -> str:
        return FORMATS[self.format_group.checkedId()]

    def set_format(self, fmt: str) -> None:
        self.format_buttons[fmt].setChecked(True)

    def length(self) -> float | None:
        return self.length_picker.currentData()

    def ambience(self) -> str:
        """The background to mix in: a sound's name, or "none"."""
        if self.ambience_check.isChecked() and self.ambience_picker.currentData():
            return str(self.ambience_picker.currentData())
        return "none"

    def suggested_name(self, fmt: str) -> str:
        return suggested_name(self.title, self.length(), fmt)

    def target(self) -> Path | None:
        return target_path(self.target_field.text(), self.folder)

    def set_target(self, path: Path) -> None:
        self.target_field.setText(str(path))
        self.target_field.setCursorPosition(0)  # the folder is what is worth seeing first

    # -- following the choices ------------------------------------------------------------

    def _on_format_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return  # the button that lost the check; the one that gained it follows
        target = self.target()
        if target is not None:
            renamed = with_format_suffix(target, self.format())
            if target == self._auto_target:
                self._auto_target = renamed
            self.set_target(renamed)

    def _on_length_changed(self, _index: int) -> None:
        # A name Kindred suggested follows the length; one the person typed is theirs.
        if self.target() == self._auto_target:
            self._auto_target = self._auto_target.with_name(self.suggested_name(self.format()))
            self.set_target(self._auto_target)
