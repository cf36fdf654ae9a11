"""The timer page: an unguided sitting with a start bell, optional interval bells, an end bell.

The view only chooses; app.library.timer builds the Script, which plays through the same
player as any meditation. Choices are remembered in the store under "timer_*" keys.
The controls are laid out in form.py; this module gives them their behaviour.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QWidget

from app import settings
from app.errors import KindredError
from app.history import Store
from app.library.timer import (
    DEFAULT_INTERVAL_BELL,
    DEFAULT_TIMER_BELL,
    bell_times,
    describe_bells,
    make_timer_script,
)
from app.render.sounds import bell_names
from app.script import Script
from app.settings import Setting, Settings
from app.ui.pages.timer.bell_lengths import bell_durations
from app.ui.pages.timer.form import MAX_MINUTES, PRESET_MINUTES, TIMER_AMBIENCE_FIXED, TimerForm
from app.ui.widgets.ambience_choice import fill_ambience_combo

__all__ = [
    "DEFAULT_INTERVAL_MINUTES",
    "DEFAULT_MINUTES",
    "MAX_MINUTES",
    "PRESET_MINUTES",
    "TIMER_AMBIENCE_FIXED",
    "TimerView",
    "bell_durations",
    "bell_times",
]

DEFAULT_MINUTES = 20
DEFAULT_INTERVAL_MINUTES = 5


class TimerView(TimerForm):
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
        self._restoring = True
        self._build(bell_names())
        self._restore()
        self._restoring = False
        self._connect()

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
        get = Settings(self._store).get
        self.length_spin.setValue(_minutes(get(settings.TIMER_LENGTH), DEFAULT_MINUTES))
        self._check_preset(self.length_spin.value())
        interval = get(settings.TIMER_INTERVAL)
        self.interval_check.setChecked(interval is not None)
        every = interval if interval is not None else get(settings.TIMER_INTERVAL_EVERY)
        self.interval_spin.setValue(_minutes(every, DEFAULT_INTERVAL_MINUTES))
        _select(self.start_bell, get(settings.TIMER_START_BELL), DEFAULT_TIMER_BELL)
        _select(self.interval_bell, get(settings.TIMER_INTERVAL_BELL), DEFAULT_INTERVAL_BELL)
        _select(self.end_bell, get(settings.TIMER_END_BELL), DEFAULT_TIMER_BELL)
        _select(self.ambience, get(settings.TIMER_AMBIENCE), None)
        self.interval_spin.setEnabled(self.interval_check.isChecked())
        self.interval_bell.setEnabled(self.interval_check.isChecked())

    def _remember(self) -> None:
        interval = self.interval_seconds()
        values: list[tuple[Setting[Any], object]] = [
            (settings.TIMER_LENGTH, self.length_seconds()),
            (settings.TIMER_INTERVAL, interval),
            (settings.TIMER_INTERVAL_EVERY, self.interval_spin.value() * 60),
            (settings.TIMER_START_BELL, self.start_bell.currentData()),
            (settings.TIMER_INTERVAL_BELL, self.interval_bell.currentData()),
            (settings.TIMER_END_BELL, self.end_bell.currentData()),
            (settings.TIMER_AMBIENCE, self.ambience.currentData()),
        ]
        for setting, value in values:
            # Written only when changed: the timer page remembers at every start.
            if self._store.get_setting(setting.key, object()) != value:
                Settings(self._store).set(setting, value)

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
        return describe_bells(
            bell_times(script, self._durations()),
            self.length_seconds(),
            start_bell=bool(self.start_bell.currentData()),
            end_bell=bool(self.end_bell.currentData()),
        )

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
