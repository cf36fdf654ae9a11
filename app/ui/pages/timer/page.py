"""The timer page: an unguided sitting with a start bell, optional interval bells, an end bell.

The view only chooses; app.library.timer builds the Script, which plays through the same
player as any meditation. Choices are remembered in the store under "timer_*" keys.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
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

from app import paths
from app.errors import KindredError
from app.history import Store
from app.library.timer import (
    DEFAULT_INTERVAL_BELL,
    DEFAULT_TIMER_BELL,
    LEAD_IN,
    make_timer_script,
)
from app.render.pcm import SESSION_RATE, frame_count
from app.render.sounds import bell_names, decoded_bell
from app.script import Bell, Pause, Script
from app.time_text import clock, length_label
from app.ui.widgets.ambience_choice import fill_ambience_combo, sound_label
from app.ui.widgets.basics import labelled

PRESET_MINUTES = (5, 10, 15, 20, 30, 45, 60)
MAX_MINUTES = 180  # the script format's longest session (3 h)
DEFAULT_MINUTES = 20
DEFAULT_INTERVAL_MINUTES = 5
#: The background combo's first item, before the sounds.
TIMER_AMBIENCE_FIXED = (("None", None),)


def bell_durations(cache_root: Path | None = None) -> dict[str, float]:
    """Each bell's length in seconds, exactly as the renderer will use it (decoded once, cached).

    It lives here rather than in app.library.timer because the library may not import the
    renderer (DESIGN.md's layering); the timer script needs these lengths to place bells exactly.
    """
    root = Path(cache_root) if cache_root else paths.cache_dir()
    return {name: frame_count(decoded_bell(name, root)) / SESSION_RATE for name in bell_names()}


def bell_times(script: Script, durations: dict[str, float]) -> list[float]:
    """When each bell of a timer script rings, in seconds on the session clock."""
    times, cursor = [], LEAD_IN
    for _, item in script.items():
        if isinstance(item, Bell):
            times.append(cursor)
            cursor += durations.get(item.name or DEFAULT_TIMER_BELL, 0.0)
        elif isinstance(item, Pause):
            cursor += item.seconds
    return times



class TimerView(QWidget):
    """Emits startRequested(script, ambience) when the listener starts a valid timer."""

    startRequested = Signal(object, object)  # Script, ambience name or None

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        bell_seconds: dict[str, float] | None = None,
        cache_root: Path | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("timerView")
        # A QWidget subclass paints its stylesheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._store = store
        self._cache_root = cache_root
        # Decoding the bells takes ffmpeg a moment on first run: done when first needed, not at launch.
        self._bell_seconds = dict(bell_seconds) if bell_seconds is not None else None
        self._bells = bell_names()
        self._restoring = True
        self._build()
        self._restore()
        self._restoring = False
        self._connect()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
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

        form.addRow(self._heading("Length"))
        presets = QHBoxLayout()
        presets.setSpacing(8)
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[int, QPushButton] = {}
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
        custom = QHBoxLayout()
        custom.addWidget(self.length_spin)
        custom.addStretch(1)
        form.addRow("Custom", custom)

        form.addRow(self._heading("Bells"))
        self.start_bell = self._bell_combo(allow_none=True)
        labelled(self.start_bell, "Starting bell", "The bell that opens the sitting")
        form.addRow("Start", self.start_bell)

        interval_row = QHBoxLayout()
        interval_row.setSpacing(8)
        self.interval_check = QCheckBox("Every")
        labelled(self.interval_check, "Interval bells", "Ring a bell at even intervals during the sitting")
        self.interval_spin = labelled(
            _minutes_spin("timerInterval", 100),
            "Interval in minutes",
            "How many minutes between interval bells",
        )
        self.interval_bell = self._bell_combo(allow_none=False)
        labelled(self.interval_bell, "Interval bell", "The bell that marks each interval")
        interval_row.addWidget(self.interval_check)
        interval_row.addWidget(self.interval_spin)
        interval_row.addWidget(QLabel("with"))
        interval_row.addWidget(self.interval_bell, 1)
        form.addRow("Intervals", interval_row)

        self.end_bell = self._bell_combo(allow_none=True)
        labelled(self.end_bell, "Ending bell", "The bell that closes the sitting; it rings out as time ends")
        form.addRow("End", self.end_bell)

        form.addRow(self._heading("Background"))
        self.ambience = QComboBox()
        fill_ambience_combo(self.ambience, TIMER_AMBIENCE_FIXED)
        labelled(self.ambience, "Background sound", "A soft sound looped under the silence, or none")
        form.addRow("Sound", self.ambience)

        column.addSpacing(14)
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

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("paneHeading")
        label.setContentsMargins(0, 14, 0, 0)  # air above each group
        return label

    def _bell_combo(self, allow_none: bool) -> QComboBox:
        combo = QComboBox()
        if allow_none:
            combo.addItem("No bell", None)
        for name in self._bells:
            combo.addItem(sound_label(name), name)
        return combo

    def _connect(self) -> None:
        self.preset_group.idClicked.connect(self.length_spin.setValue)
        self.length_spin.valueChanged.connect(self._on_length)
        self.interval_check.toggled.connect(self._on_choice)
        self.interval_spin.valueChanged.connect(self._on_choice)
        for combo in (self.start_bell, self.interval_bell, self.end_bell, self.ambience):
            combo.currentIndexChanged.connect(self._on_choice)
        self.start_button.clicked.connect(self.start)

    # -- remembering --------------------------------------------------------------------

    def _restore(self) -> None:
        get = self._store.get_setting
        self.length_spin.setValue(_minutes(get("timer_length"), DEFAULT_MINUTES))
        self._check_preset(self.length_spin.value())
        interval = get("timer_interval")
        self.interval_check.setChecked(interval is not None)
        every = interval if interval is not None else get("timer_interval_every")
        self.interval_spin.setValue(_minutes(every, DEFAULT_INTERVAL_MINUTES))
        _select(self.start_bell, get("timer_start_bell", DEFAULT_TIMER_BELL), DEFAULT_TIMER_BELL)
        _select(self.interval_bell, get("timer_interval_bell", DEFAULT_INTERVAL_BELL), DEFAULT_INTERVAL_BELL)
        _select(self.end_bell, get("timer_end_bell", DEFAULT_TIMER_BELL), DEFAULT_TIMER_BELL)
        _select(self.ambience, get("timer_ambience"), None)
        self.interval_spin.setEnabled(self.interval_check.isChecked())
        self.interval_bell.setEnabled(self.interval_check.isChecked())

    def _remember(self) -> None:
        interval = self.interval_seconds()
        values = {
            "timer_length": self.length_seconds(),
            "timer_interval": interval,
            "timer_interval_every": self.interval_spin.value() * 60,
            "timer_start_bell": self.start_bell.currentData(),
            "timer_interval_bell": self.interval_bell.currentData(),
            "timer_end_bell": self.end_bell.currentData(),
            "timer_ambience": self.ambience.currentData(),
        }
        for key, value in values.items():
            if self._store.get_setting(key, object()) != value:
                self._store.set_setting(key, value)

    # -- reacting -----------------------------------------------------------------------

    def _on_length(self, minutes: int) -> None:
        self._check_preset(minutes)
        self._on_choice()

    def _check_preset(self, minutes: int) -> None:
        # A custom length unchecks every preset; exclusivity must be lifted to allow none.
        self.preset_group.setExclusive(False)
        for value, button in self.preset_buttons.items():
            button.setChecked(value == minutes)
        self.preset_group.setExclusive(True)

    def _on_choice(self, *_args: object) -> None:
        if self._restoring:
            return
        on = self.interval_check.isChecked()
        self.interval_spin.setEnabled(on)
        self.interval_bell.setEnabled(on)
        self._remember()
        self._refresh()

    def _refresh(self) -> None:
        """Show when the bells will ring, or why these choices cannot be played."""
        if self._bell_seconds is None and not self.isVisible():
            return  # measured on first show or on Start, not while the window is being built
        try:
            script = self.build_script()
        except (ValueError, KindredError) as error:
            self._show_error(error)
            self.summary.hide()
            return
        self.error_label.hide()
        self.summary.setText(self._describe(script))
        self.summary.show()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._refresh()

    def _describe(self, script: Script) -> str:
        times = [clock(t) for t in bell_times(script, self._durations())]
        if not times:
            return f"{length_label(self.length_seconds())} of silence, without bells."
        # Bare times ("Bells at 0:00 and 19:48") left the listener to guess what each bell is for:
        # each is named by its part, and the end bell by when it has rung out.
        begin = times.pop(0) if self.start_bell.currentData() else None
        end = times.pop() if self.end_bell.currentData() else None
        parts = []
        if begin is not None:
            parts.append(f"a bell to begin, at {begin}")
        if len(times) == 1:
            parts.append(f"an interval bell at {times[0]}")
        elif times:
            parts.append(f"interval bells at {', '.join(times[:-1])} and {times[-1]}")
        if end is not None:
            ender = "one" if begin is not None else "a bell"
            length = clock(self.length_seconds())
            parts.append(f"{ender} to end, at {end}, so that it has rung out by {length}")
        if len(parts) == 1:
            sentence = parts[0]
        elif len(parts) == 2:
            sentence = f"{parts[0]}, and {parts[1]}"
        else:
            sentence = f"{'; '.join(parts[:-1])}; and {parts[-1]}"
        return sentence[0].upper() + sentence[1:] + "."

    def _show_error(self, error: Exception) -> None:
        if isinstance(error, KindredError):
            title, message = error.title, error.explanation
        else:
            title, message = "This timer cannot be played", str(error)
        self.error_label.setText(f"<b>{html.escape(title)}.</b> {html.escape(message)}")
        self.error_label.show()

    # -- the timer ----------------------------------------------------------------------

    def length_seconds(self) -> int:
        return self.length_spin.value() * 60

    def interval_seconds(self) -> int | None:
        return self.interval_spin.value() * 60 if self.interval_check.isChecked() else None

    def refresh_ambience_choices(self) -> None:
        """After a sound was added or removed in Settings: a removed choice falls back to none."""
        before = self.ambience.currentData()
        fill_ambience_combo(self.ambience, TIMER_AMBIENCE_FIXED)
        if self.ambience.currentData() != before:
            self._on_choice()

    def selected_ambience(self) -> str | None:
        return self.ambience.currentData()

    def _durations(self) -> dict[str, float]:
        if self._bell_seconds is None:
            self._bell_seconds = bell_durations(self._cache_root)
        return self._bell_seconds

    def build_script(self) -> Script:
        """The timer as chosen; ValueError (or KindredError, when a bell cannot be read) if impossible."""
        return make_timer_script(
            self.length_seconds(),
            self.interval_seconds(),
            start_bell=self.start_bell.currentData(),
            end_bell=self.end_bell.currentData(),
            interval_bell=self.interval_bell.currentData() or DEFAULT_INTERVAL_BELL,
            ambience=self.selected_ambience(),
            bell_seconds=self._durations(),
        )

    def start(self) -> None:
        """Emit startRequested, or explain inline why these choices cannot be played."""
        try:
            script = self.build_script()
        except (ValueError, KindredError) as error:
            self._show_error(error)
            return
        self.error_label.hide()
        self._remember()
        self.startRequested.emit(script, self.selected_ambience())


def _minutes_spin(name: str, min_width: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_MINUTES)
    spin.setSuffix(" min")
    spin.setMinimumWidth(min_width)
    return spin


def _minutes(seconds: object, default: int) -> int:
    """A remembered length in seconds as whole minutes in the spin boxes' range."""
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return max(1, min(MAX_MINUTES, round(seconds / 60)))
    return default


def _select(combo: QComboBox, value: object, fallback: object) -> None:
    """Select the item holding `value`; a sound that has since gone falls back to the default."""
    index = combo.findData(value)
    if index < 0:
        index = combo.findData(fallback)
    combo.setCurrentIndex(max(index, 0))
