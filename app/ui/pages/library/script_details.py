"""The details of a playable script: what it is, its sections, the length to play it at, and
the buttons to play, star, copy, edit or export it.

The page shows what it is given and reports nothing itself: the Library page connects its
buttons to what they do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLayout, QPushButton, QVBoxLayout, QWidget

from app.library import LibraryEntry
from app.library.catalogue import theme_label
from app.script import Script, format_duration
from app.ui.pages.library.labels import embolden, plain_label, scaled_font, section_heading
from app.ui.pages.library.model import NATURAL_LENGTH
from app.ui.pages.library.wrapping_row import WrappingRow
from app.ui.widgets.basics import button, labelled


def preferred_position(lengths: list[float], preferred: object) -> int:
    """Which of `lengths` to pick first: the listener's default length when the script offers it
    (a stored setting, so any value may come), else the script's first."""
    if isinstance(preferred, int | float):
        for position, seconds in enumerate(lengths):
            if abs(seconds - float(preferred)) < 0.5:
                return position
    return 0


def sections_text(script: Script) -> str:
    """The numbered titles of the script's sections, one a line."""
    titles = [section.title for section in script.sections if section.title]
    if not titles:
        return "One unbroken section"
    return "\n".join(f"{number}.  {title}" for number, title in enumerate(titles, 1))


class ScriptDetails(QWidget):
    """Title, theme, summary, tags and sections of a script; its length picker and its buttons."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scriptDetails")
        # Qt paints a stylesheet's background on plain QWidgets only; a subclass has to ask for it
        # (the theme gives the pages of a stack the window's colour).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        self._add_about(layout)
        layout.addSpacing(8)
        self._add_sections(layout)
        layout.addSpacing(12)
        layout.addLayout(self._build_length_row())
        layout.addLayout(self._build_play_row())
        layout.addLayout(self._build_writing_row())
        layout.addStretch(1)

    # -- building ------------------------------------------------------------------------

    def _add_about(self, layout: QVBoxLayout) -> None:
        self.details_title = embolden(plain_label("", "detailsTitle", wrap=True, selectable=True), 1.6)
        self.details_title.setAccessibleName("Title")
        self.details_meta = plain_label("", "detailsMeta", wrap=True)
        self.details_meta.setAccessibleName("Theme")
        self.details_summary = plain_label("", "detailsSummary", wrap=True, selectable=True)
        self.details_summary.setAccessibleName("Summary")
        self.details_tags = plain_label("", "detailsTags", wrap=True)
        self.details_tags.setAccessibleName("Tags")
        for widget in (self.details_title, self.details_meta, self.details_summary, self.details_tags):
            layout.addWidget(widget)

    def _add_sections(self, layout: QVBoxLayout) -> None:
        layout.addWidget(section_heading("Sections"))
        self.details_sections = plain_label("", "detailsSections", wrap=True)
        self.details_sections.setAccessibleName("Sections")
        layout.addWidget(self.details_sections)

    def _build_length_row(self) -> QLayout:
        length_row = QHBoxLayout()
        length_row.setSpacing(10)
        length_label = plain_label("Length", "lengthLabel")
        self.length_picker = QComboBox()
        self.length_picker.setObjectName("lengthPicker")
        labelled(self.length_picker, "Length", "How long the session lasts; only the silences change")
        length_label.setBuddy(self.length_picker)
        length_row.addWidget(length_label)
        length_row.addWidget(self.length_picker)
        length_row.addStretch(1)
        return length_row

    def _build_play_row(self) -> QLayout:
        buttons = WrappingRow(spacing=10)
        self.play_button = button(
            "▶  Play", "Play", "Play this meditation at the chosen length (Enter)", object_name="playButton"
        )
        self.play_button.setDefault(True)
        self.play_button.setMinimumHeight(48)
        self.play_button.setMinimumWidth(140)
        self.play_button.setFont(scaled_font(self.play_button.font(), 1.2, bold=True))
        self.favourite_button = QPushButton()
        self.favourite_button.setObjectName("favouriteButton")
        self.favourite_button.setCheckable(True)
        self.favourite_button.setMinimumHeight(48)
        labelled(self.favourite_button, "Favourite", "Star this meditation to find it under Favourites only")
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.favourite_button)
        return buttons

    def _build_writing_row(self) -> QLayout:
        # Bundled scripts stay as they are: changing one starts from a copy of one's own.
        writing = WrappingRow(spacing=10)
        self.copy_button = button(
            "Make a copy",
            "Make a copy",
            "Copy this meditation into your own scripts and open it in Write to change it",
            object_name="copyButton",
        )
        self.edit_button = button("Edit", "Edit", "Open your script in Write", object_name="editButton")
        self.export_button = button(
            "Export…",
            "Export",
            "Save this meditation as an audio file for a phone or music player, at the chosen length",
            object_name="exportButton",
        )
        writing.addWidget(self.copy_button)
        writing.addWidget(self.edit_button)
        writing.addWidget(self.export_button)
        return writing

    # -- showing -------------------------------------------------------------------------

    def show_script(
        self, entry: LibraryEntry, lengths: list[float | None], preferred: object, favourite: bool
    ) -> None:
        """Show `entry`, offering `lengths` (None: its natural length) with `preferred` picked if there."""
        script = entry.script
        assert script is not None, "a script with errors has its own page"
        meta = script.meta
        self.details_title.setText(meta.title)
        origin = "Your script" if entry.origin == "user" else "Bundled with Kindred"
        self.details_meta.setText(f"{theme_label(meta.theme)}  ·  {origin}")
        self.details_summary.setText(" ".join(meta.summary.split()))
        self.details_tags.setText("Tags: " + ", ".join(meta.tags) if meta.tags else "")
        self.details_tags.setVisible(bool(meta.tags))
        self.details_sections.setText(sections_text(script))
        self._offer_lengths([seconds for seconds in lengths if seconds is not None], preferred)
        self.play_button.setToolTip(f"Play “{meta.title}” at the chosen length (Enter)")
        self.copy_button.setVisible(entry.origin == "bundled")
        self.edit_button.setVisible(entry.origin == "user")
        self.show_favourite(favourite)

    def _offer_lengths(self, lengths: list[float], preferred: object) -> None:
        """Fill the picker with `lengths`, or with the natural length alone when there are none."""
        self.length_picker.clear()
        for seconds in lengths:
            self.length_picker.addItem(format_duration(seconds), float(seconds))
        if lengths:
            self.length_picker.setCurrentIndex(preferred_position(lengths, preferred))
        else:
            self.length_picker.addItem(NATURAL_LENGTH.capitalize(), None)
        self.length_picker.setEnabled(self.length_picker.count() > 1)

    def show_favourite(self, favourite: bool) -> None:
        """Set the star button without it reporting a toggle: the listener did not press it."""
        self.favourite_button.blockSignals(True)
        self.favourite_button.setChecked(favourite)
        self.favourite_button.blockSignals(False)
        self.favourite_button.setText("★ Favourite" if favourite else "☆ Add to favourites")
        self.favourite_button.setAccessibleName("Favourite" if favourite else "Add to favourites")

    def chosen_length(self) -> float | None:
        """The length picked in the picker; None means the script's natural length."""
        data = self.length_picker.currentData()
        return None if data is None else float(data)
