"""The add-practice and edit-listen dialog: ranges, messages, and writing only what changed."""

import sqlite3
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QDoubleSpinBox, QSpinBox, QTextEdit

from app.ui.dialogs.listen import ListenDialog
from app.ui.pages.history.page import HistoryView


def opened(qtbot, log, listen=None):
    dialog = ListenDialog(log, listen)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def qdate(day):
    return QDate(day.year, day.month, day.day)


def finished(log, start, heard=600.0, length=600.0):
    listen_id = log.start_listen("loving-kindness", "Loving kindness", "kindness", length, now=start)
    log.finish(listen_id, heard, now=start + timedelta(seconds=heard))
    return log.get(listen_id)


def test_add_starts_at_today_and_ten_minutes_and_refuses_a_future_day(qtbot, log):
    dialog = opened(qtbot, log)
    today = date.today()
    assert dialog.date.date().toPython() == today and dialog.minutes.value() == 10
    assert dialog.date.calendarPopup() and dialog.date.maximumDate().toPython() == today
    dialog.date.setDate(qdate(today + timedelta(days=1)))
    assert dialog.date.date().toPython() == today  # a future day cannot be chosen
    dialog.minutes.setValue(0)
    assert dialog.minutes.value() == 1  # nor no minutes at all
    dialog.minutes.setValue(601)
    assert dialog.minutes.value() == 600
    assert dialog.save_button.isEnabled() and dialog.message.isHidden()


def test_every_control_has_a_name_a_screen_reader_can_say(qtbot, log):
    adding = opened(qtbot, log)
    editing = opened(qtbot, log, finished(log, datetime.now().astimezone() - timedelta(hours=2)))
    for dialog in (adding, editing):
        controls = dialog.findChildren(QSpinBox) + dialog.findChildren(QDoubleSpinBox)
        controls += dialog.findChildren(QDateTimeEdit) + dialog.findChildren(QCheckBox)
        controls += dialog.findChildren(QTextEdit) + [dialog.save_button, dialog.cancel_button]
        # The calendar popup's own parts (qt_calendar_…) are Qt's to name.
        controls = [control for control in controls if not control.objectName().startswith("qt_")]
        assert len(controls) >= 5
        assert [control for control in controls if not control.accessibleName()] == []


def test_a_start_in_the_future_is_explained_and_not_saved(qtbot, log):
    listen = finished(log, datetime.now().astimezone() - timedelta(days=1))
    dialog = opened(qtbot, log, listen)
    assert dialog.start.maximumDate().toPython() == datetime.now(listen.started_at.tzinfo).date()
    ahead = datetime.now(listen.started_at.tzinfo) + timedelta(hours=1)
    dialog.start.setDateTime(QDateTime(qdate(ahead.date()), QTime(ahead.hour, ahead.minute), QTimeZone.utc()))
    assert not dialog.save_button.isEnabled() and not dialog.message.isHidden()
    assert "still to come" in dialog.message.text() and "earlier than now" in dialog.message.text()
    dialog.save()  # Enter on the default button, say: still nothing written, the dialog stays
    assert log.get(listen.id) == listen and dialog.isVisible()
    dialog.start.setDateTime(dialog._start0.addSecs(-3600))
    assert dialog.save_button.isEnabled() and dialog.message.isHidden()


def test_the_listens_own_values_are_kept_even_outside_the_usual_range(qtbot, log):
    listen = finished(log, datetime.now().astimezone() - timedelta(hours=3), heard=610.4, length=600.0)
    dialog = opened(qtbot, log, listen)
    assert dialog.heard.maximum() >= 610.4 / 60 and dialog.heard.value() == pytest.approx(10.2)
    dialog.save_button.click()
    assert log.get(listen.id) == listen


def test_a_moved_listen_keeps_its_time_zone_and_undo_puts_it_back(qtbot, store, log):
    paris = ZoneInfo("Europe/Paris")
    listen = finished(log, datetime(2025, 7, 10, 9, 0, 12, tzinfo=paris))
    assert listen.tz == "Europe/Paris"
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    dialog = view.edit_listen(listen.id)
    assert dialog.start.text() == "Thu 10 Jul 2025, 09:00"
    dialog.start.setDate(QDate(2025, 1, 10))  # winter: Paris is an hour nearer UTC
    dialog.save_button.click()
    moved = log.get(listen.id)
    assert moved.tz == "Europe/Paris" and moved.started_at.replace(tzinfo=None) == datetime(
        2025, 1, 10, 9, 0, 12
    )
    assert moved.tz_offset_min == 60
    view.undo()
    assert log.get(listen.id) == listen


def test_a_listen_still_playing_cannot_be_edited(qtbot, log):
    listen_id = log.start_listen("loving-kindness", "Loving kindness", "kindness", 600.0)
    dialog = opened(qtbot, log, log.get(listen_id))
    assert not dialog.save_button.isEnabled() and "still playing" in dialog.message.text()


def test_a_practice_by_hand_is_edited_by_day_and_needs_minutes(qtbot, log):
    listen_id = log.add_manual(date.today() - timedelta(days=1), 20, "Walk")
    dialog = opened(qtbot, log, log.get(listen_id))
    assert dialog.start.displayFormat() == "ddd d MMM yyyy" and dialog.start.accessibleName() == "Day"
    dialog.heard.setValue(0)
    assert dialog.heard.value() == 1.0  # a practice by hand always has some minutes
    dialog.heard.setValue(35)
    dialog.save_button.click()
    assert log.get(listen_id).heard_s == 35 * 60 and log.get(listen_id).note == "Walk"


def test_a_failed_save_says_so_and_keeps_what_was_typed(qtbot, log, monkeypatch):
    dialog = opened(qtbot, log)
    dialog.minutes.setValue(42)
    dialog.note.setPlainText("Keep me.")

    def busy(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(log, "add_manual", busy)
    dialog.save_button.click()
    assert dialog.isVisible() and not dialog.message.isHidden()
    assert "database is locked" in dialog.message.text() and "try Save again" in dialog.message.text()
    assert dialog.minutes.value() == 42 and dialog.note.toPlainText() == "Keep me."


def test_editing_a_listen_deleted_meanwhile_explains_it(qtbot, log):
    listen = finished(log, datetime.now().astimezone() - timedelta(hours=1))
    dialog = opened(qtbot, log, listen)
    with log.store.transaction() as db:  # gone for good, as another Kindred might leave it
        db.execute("DELETE FROM listens WHERE id = ?", (listen.id,))
    dialog.note.setPlainText("Too late.")
    dialog.save_button.click()
    assert dialog.isVisible() and "no longer in your history" in dialog.message.text()
    assert not dialog.save_button.isEnabled()


def test_the_session_title_is_shown_whole(qtbot, log):
    start = datetime.now().astimezone() - timedelta(hours=2)
    listen_id = log.start_listen("choosing-compassion", "Choosing Compassion", "choice", 600, now=start)
    log.finish(listen_id, 300, now=start + timedelta(seconds=300))
    dialog = opened(qtbot, log, log.get(listen_id))
    qtbot.waitExposed(dialog)
    title = dialog.session
    # In a dialog this wide the title fits on one line (it was once cut to its first word).
    assert title.width() >= title.fontMetrics().horizontalAdvance(title.text())
