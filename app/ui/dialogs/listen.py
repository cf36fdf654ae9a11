"""Add a practice done without the app, or correct a listen already in the history.

One dialog, two uses: `ListenDialog(log)` adds a manual practice (a day, minutes, a note);
`ListenDialog(log, listen)` edits an existing listen (its start, minutes heard, completion and
note). Nothing is written until Save, and Save writes only what was changed, so the history
view can undo exactly that. A problem with what was entered is said in the dialog, which stays
open with everything typed in it.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.history import Listen, ListenLog, StoreError
from app.ui.widgets.basics import labelled

#: The manual entry's limits: at least a minute, at most ten hours in one sitting.
MANUAL_MINUTES = (1, 600)
MANUAL_DEFAULT_MINUTES = 10
#: No listen is longer than a day; the player's own lengths are far shorter.
MAX_HEARD_MIN = 24 * 60
#: The earliest day offered, unless a listen being edited is older still.
EARLIEST = date(2000, 1, 1)
DAY_FORMAT = "ddd d MMM yyyy"
MOMENT_FORMAT = "ddd d MMM yyyy, HH:mm"


def own_zone(listen: Listen) -> tzinfo:
    """The zone a listen was lived in: its named zone when that agrees with its stored offset.

    A named zone keeps the name in the record and gives the right offset if the listen is
    moved across a daylight-saving change; without a name (or with one that disagrees with
    the offset, as an odd import might have) the listen keeps its own fixed offset.
    """
    fixed = listen.started_at.tzinfo
    assert fixed is not None  # the log always returns aware times
    if listen.tz:
        try:
            zone = ZoneInfo(listen.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return fixed
        if listen.started_at.astimezone(zone).utcoffset() == listen.started_at.utcoffset():
            return zone
    return fixed


def aware_start(listen: Listen) -> datetime:
    """The listen's start in its own zone, ready to be written back by `ListenLog.edit`."""
    return listen.started_at.astimezone(own_zone(listen))


def heard_range(listen: Listen) -> tuple[float, float]:
    """The minutes heard an edit may give `listen`, rounded outwards to the tenth the field shows
    so that the listen's own value always fits."""
    heard_min = listen.heard_s / 60
    lowest: float
    highest: float
    if listen.manual:
        lowest, highest = min(MANUAL_MINUTES[0], heard_min), MANUAL_MINUTES[1]
    else:
        # A listen with no length of its own (an odd import) is bounded by the day only.
        length_min = listen.length_s / 60 if listen.length_s > 0 else MAX_HEARD_MIN
        lowest, highest = 0.0, min(MAX_HEARD_MIN, length_min)
    return math.floor(lowest * 10) / 10, math.ceil(max(highest, heard_min) * 10) / 10


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _calm_calendar(edit: QDateTimeEdit) -> None:
    """Weekends in the text colour, not Qt's red: a day off is no warning (and dark red is hard to read)."""
    calendar = edit.calendarWidget()
    plain = QTextCharFormat()
    plain.setForeground(calendar.palette().text())
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
        calendar.setWeekdayTextFormat(day, plain)


class ListenDialog(QDialog):
    """Save adds a manual practice (`listenAdded(id)`) or edits `listen` (`listenEdited(before)`).

    Cancel, Escape or closing the window writes nothing.
    """

    listenAdded = Signal(int)  # the new listen's id
    listenEdited = Signal(object)  # the Listen as it was before the edit, for undo

    def __init__(self, log: ListenLog, listen: Listen | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.log = log
        self.listen = listen
        self.setObjectName("listenDialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        heading = QLabel()
        heading.setObjectName("listenHeading")
        intro = QLabel()
        intro.setObjectName("listenIntro")
        intro.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(intro)
        # A grid, not a QFormLayout: its labels sit level with the middle of their field
        # (a form layout aligns them to the top of the taller, padded fields).
        form = QGridLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        # Fields keep their natural width: a date or a number stretched across the dialog reads badly.
        form.setColumnStretch(2, 1)
        self._build_note()
        if listen is None:
            self.setWindowTitle("Add practice")
            heading.setText("Add a practice")
            intro.setText(
                "For a time you practised without Kindred. It counts as a completed session on that day."
            )
            self._build_manual(form)
        else:
            self.setWindowTitle("Edit listen")
            heading.setText("Edit listen")
            intro.setText("Correct what the history remembers. Undo on the History page puts it back.")
            self._build_edit(form, listen)
        layout.addLayout(form)
        self._add_note_and_buttons(layout)
        self.resize(480, 440)
        self.validate()
        # The minutes are what is most often entered or corrected (the day is most often today).
        (self.minutes if listen is None else self.heard).setFocus()

    # -- building -----------------------------------------------------------------------

    def _build_note(self) -> None:
        self.note = labelled(QTextEdit(), "Note", "A few words for yourself; only you will see them")
        self.note.setObjectName("listenNote")
        self.note.setAcceptRichText(False)
        self.note.setTabChangesFocus(True)  # Tab reaches Save instead of typing a tab into the note
        self.note.setPlaceholderText("Optional")

    def _add_note_and_buttons(self, layout: QVBoxLayout) -> None:
        """Under the fields: the note, the line that says what is wrong, then Cancel and Save."""
        note_label = QLabel("Note")
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        layout.addWidget(self.note, 1)
        self.message = QLabel()
        self.message.setObjectName("errorLabel")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem")
        self.message.hide()
        layout.addWidget(self.message)
        self.save_button = labelled(
            QPushButton("Save"),
            "Save",
            "Add this practice to your history" if self.listen is None else "Keep these changes",
        )
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = labelled(QPushButton("Cancel"), "Cancel", "Close without changing anything")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    @staticmethod
    def _row(form: QGridLayout, label: str, field: QWidget, full_width: bool = False) -> None:
        row = form.rowCount()
        if label:
            text = QLabel(label)
            text.setBuddy(field)
            form.addWidget(text, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if full_width:
            # Wrapping text aligned left keeps only its own narrow size hint and is cut after the
            # first line; across the whole row it has the room to wrap and a height to match.
            form.addWidget(field, row, 1, 1, 2)
        else:
            form.addWidget(field, row, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _build_manual(self, form: QGridLayout) -> None:
        self.date = labelled(QDateEdit(), "Day", "The day you practised; today or earlier")
        self.date.setObjectName("listenDate")
        self.date.setCalendarPopup(True)
        _calm_calendar(self.date)
        self.date.setDisplayFormat(DAY_FORMAT)
        today = QDate.currentDate()
        # The range is what keeps a future day out: it cannot be picked or typed.
        self.date.setDateRange(_qdate(EARLIEST), today)
        self.date.setDate(today)
        self.minutes = labelled(QSpinBox(), "Minutes", "How many minutes you practised")
        self.minutes.setObjectName("listenMinutes")
        self.minutes.setRange(*MANUAL_MINUTES)
        self.minutes.setValue(MANUAL_DEFAULT_MINUTES)
        self.minutes.setSuffix(" min")
        self._row(form, "Day", self.date)
        self._row(form, "Minutes", self.minutes)
        self.date.dateChanged.connect(self.validate)
        self.minutes.valueChanged.connect(self.validate)

    def _build_edit(self, form: QGridLayout, listen: Listen) -> None:
        # Named with its text: a label's accessible name replaces what it says.
        self.session = labelled(
            QLabel(listen.title), f"Session: {listen.title}", "The session or timer this listen was"
        )
        self.session.setObjectName("listenTitle")
        self.session.setWordWrap(True)
        self.session.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._row(form, "Session", self.session, full_width=True)
        self._build_start(listen)
        self._row(form, "Day" if listen.manual else "Started", self.start)
        self.heard = labelled(QDoubleSpinBox(), "Minutes heard", "How many minutes of it you heard")
        self.heard.setObjectName("listenHeard")
        self.heard.setDecimals(1)
        self.heard.setSingleStep(1.0)
        self.heard.setSuffix(" min")
        self.heard.setRange(*heard_range(listen))
        self.heard.setValue(listen.heard_s / 60)
        self._row(form, "Minutes heard", self.heard)
        self.completed = labelled(
            QCheckBox("Completed"), "Completed", "Counted as a completed session in your statistics"
        )
        self.completed.setObjectName("listenCompleted")
        self.completed.setChecked(listen.completed)
        self._row(form, "", self.completed)
        self.note.setPlainText(listen.note or "")

        # What Save compares with: the widgets' own first values, so rounding for display
        # (9.06 min shown as 9.1) never counts as a change.
        self._start0 = self.start.dateTime()
        self._heard0 = self.heard.value()
        self.start.dateTimeChanged.connect(self.validate)
        self.heard.valueChanged.connect(self.validate)

    def _build_start(self, listen: Listen) -> None:
        tip = "The day you practised" if listen.manual else "When it began, as your clock showed then"
        self.start = labelled(QDateTimeEdit(), "Day" if listen.manual else "Started", tip)
        self.start.setObjectName("listenStart")
        self.start.setCalendarPopup(True)
        _calm_calendar(self.start)
        # A practice entered by hand has a day but no real time (it sits at noon): show the day only.
        self.start.setDisplayFormat(DAY_FORMAT if listen.manual else MOMENT_FORMAT)
        # The widget shows the listen's own wall clock; a UTC QDateTime has no daylight-saving
        # gaps, so no local time the listener lived can be refused or shifted by this computer's zone.
        self.start.setTimeZone(QTimeZone.utc())
        local = listen.started_at
        now_there = datetime.now(own_zone(listen))
        # The range must hold the listen's own value, or Qt would quietly change it.
        self.start.setDateRange(
            _qdate(min(EARLIEST, local.date())), _qdate(max(now_there.date(), local.date()))
        )
        self.start.setDateTime(
            QDateTime(_qdate(local.date()), QTime(local.hour, local.minute, local.second), QTimeZone.utc())
        )

    # -- reading the form ---------------------------------------------------------------

    def chosen_start(self) -> datetime:
        """The start as entered, in the listen's own zone (edit only)."""
        assert self.listen is not None
        value = self.start.dateTime()
        clock = value.time()
        return datetime.combine(
            _pydate(value.date()), time(clock.hour(), clock.minute(), clock.second()), own_zone(self.listen)
        )

    def changes(self) -> dict[str, object]:
        """The fields of the listen being edited that differ from it, as `ListenLog.edit` takes them."""
        assert self.listen is not None
        fields: dict[str, object] = {}
        if self.start.dateTime() != self._start0:
            fields["started_at"] = self.chosen_start()
        if self.heard.value() != self._heard0:
            fields["heard_s"] = self.heard.value() * 60
        if self.completed.isChecked() != self.listen.completed:
            fields["completed"] = self.completed.isChecked()
        note = self.note.toPlainText().strip() or None
        if note != self.listen.note:
            fields["note"] = note
        return fields

    def problem(self) -> str | None:
        """What is wrong with the form, said so the person knows what to do; None when all is well."""
        if self.listen is None:
            # Only if the clock went back since the dialog opened: its range ends at that day.
            if self.date.date() > QDate.currentDate():
                return "That day has not come yet. Choose today or an earlier day."
            return None  # the minutes' range starts at one
        if self.listen.in_progress:
            # The player is still writing this listen's minutes; an edit now would be overwritten.
            return "This listen is still playing. Edit it once the session has ended."
        moved = self.start.dateTime() != self._start0
        if moved and self.chosen_start() > datetime.now(own_zone(self.listen)):
            return "That start time is still to come. Choose a time earlier than now."
        if self.listen.manual and self.heard.value() <= 0:
            return "A practice needs some minutes. Enter how long you practised."
        return None

    def validate(self) -> bool:
        problem = self.problem()
        self._show_problem(problem)
        self.save_button.setEnabled(problem is None)
        return problem is None

    def _show_problem(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setAccessibleDescription(text or "")
        self.message.setVisible(bool(text))
        self._fit_height()

    def _fit_height(self) -> None:
        """Grows the dialog to hold a message: wrapped text does not raise a window's minimum
        height by itself, and the fields would be squeezed until their text is cut."""
        layout = self.layout()
        if layout is None:
            return
        needed = layout.totalMinimumHeightForWidth(self.width())
        if self.height() < needed:
            self.resize(self.width(), needed)

    # -- saving -------------------------------------------------------------------------

    def save(self) -> None:
        """Writes and closes; on any problem the dialog stays open with everything entered."""
        if not self.validate():
            return
        try:
            if self.listen is None:
                day = _pydate(self.date.date())
                listen_id = self.log.add_manual(day, self.minutes.value(), self.note.toPlainText())
                self.accept()
                self.listenAdded.emit(listen_id)
                return
            fields = self.changes()
            if fields:
                self.log.edit(self.listen.id, **fields)
        except KeyError:
            self._show_problem(
                "This listen is no longer in your history (it may have been deleted). Cancel to close."
            )
            self.save_button.setEnabled(False)
            return
        except (ValueError, StoreError, sqlite3.Error) as error:
            # A busy or full disk, say: keep the dialog, so nothing typed is lost.
            self._show_problem(f"Could not save: {error}. What you entered is still here; try Save again.")
            return
        self.accept()
        if fields:  # Save with nothing changed just closes: there is nothing to undo
            self.listenEdited.emit(self.listen)
