"""The timer page's controls, laid out: the length, the bells, the background sound, the line
saying when the bells ring, and Start. What they do is the page's (page.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.ambience_choice import fill_ambience_combo, sound_label
from app.ui.widgets.basics import labelled

PRESET_MINUTES = (5, 10, 15, 20, 30, 45, 60)
MAX_MINUTES = 180  # the script format's longest session (3 h)
#: The background combo's first item, before the sounds.
TIMER_AMBIENCE_FIXED = (("None", None),)


class TimerForm(QWidget):
    """The timer page's widgets, built by `_build`; TimerView (its subclass) makes them work."""

    preset_group: QButtonGroup
    preset_buttons: dict[int, QPushButton]
    length_spin: QSpinBox
    start_bell: QComboBox
    interval_check: QCheckBox
    interval_spin: QSpinBox
    interval_bell: QComboBox
    end_bell: QComboBox
    ambience: QComboBox
    summary: QLabel
    error_label: QLabel
    start_button: QPushButton

    def _build(self, bells: list[str]) -> None:
        """Every control, in a centred column: one form for the choices, then the summary and Start."""
        column = self._centred_column()
        title = QLabel("Timer")
        title.setObjectName("pageTitle")
        subtitle = QLabel("Sit in silence, held by bells.")
        subtitle.setObjectName("pageSubtitle")
        column.addWidget(title)
        column.addWidget(subtitle)

        # One form for every group, so all the fields line up in one column.
        form = QFormLayout()
        form.setHorizontalSpacing(20)
        form.setVerticalSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(form)
        self._add_length_rows(form)
        self._add_bell_rows(form, bells)
        self._add_background_row(form)

        column.addSpacing(14)
        self._add_messages(column)
        self._add_start_button(column)

    def _centred_column(self) -> QVBoxLayout:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 32)
        row = QHBoxLayout()
        column_widget = QWidget()
        column_widget.setObjectName("timerColumn")
        column_widget.setMaximumWidth(620)
        column_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # A centred column of readable width however wide the window is.
        row.addStretch(1)
        row.addWidget(column_widget, 12)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        return column

    def _add_length_rows(self, form: QFormLayout) -> None:
        """A button for each usual length, and a spin box for any other."""
        form.addRow(_heading("Length"))
        presets = QHBoxLayout()
        presets.setSpacing(8)
        self.preset_group = QButtonGroup(self)
        self.preset_buttons = {}
        for minutes in PRESET_MINUTES:
            button = QPushButton(f"{minutes}")
            button.setObjectName("lengthPreset")
            button.setCheckable(True)
            button.setMinimumWidth(52)
            labelled(button, f"{minutes} minutes", f"Sit for {minutes} minutes")
            self.preset_group.addButton(button, minutes)
            self.preset_buttons[minutes] = button
            presets.addWidget(button)
        presets.addStretch(1)
        form.addRow("Minutes", presets)
        self.length_spin = labelled(
            _minutes_spin("timerLength", 110), "Length in minutes", "Any length from 1 minute to 3 hours"
        )
        form.addRow("Custom", _left_aligned(self.length_spin))

    def _add_bell_rows(self, form: QFormLayout, bells: list[str]) -> None:
        form.addRow(_heading("Bells"))
        self.start_bell = _bell_combo(bells, allow_none=True)
        labelled(self.start_bell, "Starting bell", "The bell that opens the sitting")
        form.addRow("Start", self.start_bell)
        self._add_interval_row(form, bells)
        self.end_bell = _bell_combo(bells, allow_none=True)
        labelled(self.end_bell, "Ending bell", "The bell that closes the sitting; it rings out as time ends")
        form.addRow("End", self.end_bell)

    def _add_interval_row(self, form: QFormLayout, bells: list[str]) -> None:
        """The row "Every [n min] with [bell]", read as a sentence."""
        interval_row = QHBoxLayout()
        interval_row.setSpacing(8)
        self.interval_check = QCheckBox("Every")
        labelled(self.interval_check, "Interval bells", "Ring a bell at even intervals during the sitting")
        self.interval_spin = labelled(
            _minutes_spin("timerInterval", 100),
            "Interval in minutes",
            "How many minutes between interval bells",
        )
        self.interval_bell = _bell_combo(bells, allow_none=False)
        labelled(self.interval_bell, "Interval bell", "The bell that marks each interval")
        interval_row.addWidget(self.interval_check)
        interval_row.addWidget(self.interval_spin)
        interval_row.addWidget(QLabel("with"))
        interval_row.addWidget(self.interval_bell, 1)
        form.addRow("Intervals", interval_row)

    def _add_background_row(self, form: QFormLayout) -> None:
        form.addRow(_heading("Background"))
        self.ambience = QComboBox()
        fill_ambience_combo(self.ambience, TIMER_AMBIENCE_FIXED)
        labelled(self.ambience, "Background sound", "A soft sound looped under the silence, or none")
        form.addRow("Sound", self.ambience)

    def _add_messages(self, column: QVBoxLayout) -> None:
        """The line saying when the bells ring, and in its place, why these choices cannot be played."""
        self.summary = QLabel()
        self.summary.setObjectName("timerSummary")
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary.setAccessibleName("When the bells ring")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.setAccessibleName("Problem with these choices")
        self.error_label.hide()
        column.addWidget(self.summary)
        column.addWidget(self.error_label)

    def _add_start_button(self, column: QVBoxLayout) -> None:
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("primaryButton")
        self.start_button.setMinimumWidth(200)
        labelled(self.start_button, "Start the timer", "Begin the sitting with these bells")
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        column.addSpacing(6)
        column.addLayout(start_row)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("paneHeading")
    label.setContentsMargins(0, 14, 0, 0)  # air above each group
    return label


def _bell_combo(bells: list[str], allow_none: bool) -> QComboBox:
    combo = QComboBox()
    if allow_none:
        combo.addItem("No bell", None)
    for name in bells:
        combo.addItem(sound_label(name), name)
    return combo


def _minutes_spin(name: str, min_width: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_MINUTES)
    spin.setSuffix(" min")
    spin.setMinimumWidth(min_width)
    return spin


def _left_aligned(widget: QWidget) -> QBoxLayout:
    """The widget at its own width, the rest of the row left empty."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row
