"""The history page and the reflection note, over a real log in a private database."""

from datetime import date, datetime, timedelta
from datetime import time as dt_time

import pytest
from PySide6.QtCore import QDate, Qt

from app.history import NewListen, practice_days
from app.history.listens import MANUAL_TITLE
from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.dialogs.note import NoteDialog
from app.ui.main_window import PAGES, MainWindow
from app.ui.pages.history.page import PAGE_SIZE, HistoryView


def log_listen(log, title="Loving kindness", theme="kindness", heard=600.0, length=600.0, days_ago=0):
    """A listen begun 15 minutes before now, `days_ago` days back; just after midnight, early
    on that day instead (15 minutes back would be the day before, and the test's days wrong)."""
    now = datetime.now().astimezone()
    day = now.date() - timedelta(days=days_ago)
    start = now - timedelta(days=days_ago, minutes=15)
    if start.date() != day:
        start = datetime.combine(day, dt_time(0, 0, 30)).astimezone()
    listen_id = log.start_listen(title.lower().replace(" ", "-"), title, theme, length, now=start)
    log.finish(listen_id, heard)
    return listen_id


def test_shows_statistics_and_a_row_per_listen(qtbot, store, log):
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 0 and not view.empty_label.isHidden()
    log_listen(log, days_ago=1)
    log_listen(log, title="Repair after conflict", theme="repair", heard=120.0)
    view.refresh()
    assert view.total_card.value.text() == "12"
    assert view.sessions_card.value.text() == "1"
    assert view.current_card.value.text() == "1 day"
    assert view.longest_card.value.text() == "1 day"
    assert view.themes_card.value.text() == "kindness"
    assert view.table.rowCount() == 2
    assert view.table.item(0, 1).text() == "Repair after conflict"  # newest first
    assert view.table.item(0, 2).text() == "2" and view.table.item(0, 3).text() == ""
    assert view.table.item(1, 3).text() == "✓"
    # Weeks start on Monday: on a Monday, yesterday's 10 minutes are last week's bar.
    bars = view.chart.series()[0].barSets()[0]
    today = date.today()
    yesterday_this_week = (today - timedelta(days=1)).isocalendar()[:2] == today.isocalendar()[:2]
    assert len(view.chart.series()) == 1
    if yesterday_this_week:
        assert (bars.at(10), bars.at(11)) == (pytest.approx(0), pytest.approx(12))
    else:
        assert (bars.at(10), bars.at(11)) == (pytest.approx(10), pytest.approx(2))
    assert sum(day.minutes for day in view.heatmap.days) == pytest.approx(12)
    assert view.heatmap.days[-1].day == date.today()


def test_filters_by_theme_and_month(qtbot, store, log):
    log_listen(log, theme="kindness")
    log_listen(log, title="Repair", theme="repair")
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    view.theme_filter.setCurrentIndex(view.theme_filter.findData("repair"))
    view.theme_filter.activated.emit(view.theme_filter.currentIndex())
    assert view.table.rowCount() == 1 and view.table.item(0, 1).text() == "Repair"
    this_month = date.today().strftime("%Y-%m")
    assert view.month_filter.findData(this_month) >= 0


def test_streak_cards_hidden_when_the_setting_says_so(qtbot, store, log):
    log_listen(log)
    store.set_setting("show_streaks", False)
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    assert view.current_card.isHidden() and view.longest_card.isHidden()
    assert not view.total_card.isHidden()
    store.set_setting("show_streaks", True)
    view.refresh()
    assert not view.current_card.isHidden()


def test_delete_and_undo(qtbot, store, log):
    first = log_listen(log, days_ago=1)
    log_listen(log, title="Repair", theme="repair", heard=60.0)
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    view.table.selectRow(1)
    assert view.listen_id_at(view.table.currentRow()) == first
    view.delete_button.click()
    assert view.table.rowCount() == 1 and not view.undo_bar.isHidden()
    assert view.sessions_card.value.text() == "0"
    view.undo_button.click()
    assert view.table.rowCount() == 2 and view.undo_bar.isHidden()
    assert log.get(first).deleted is False


def test_note_dialog_saves_the_note_or_skips(qtbot, store, log):
    listen_id = log_listen(log)
    dialog = NoteDialog(log, listen_id)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.text, "I noticed my shoulders soften.")
    with qtbot.waitSignal(dialog.noteSaved):
        dialog.save_button.click()
    assert log.get(listen_id).note == "I noticed my shoulders soften."
    other = log_listen(log)
    skipped = NoteDialog(log, other)
    qtbot.addWidget(skipped)
    skipped.open()
    qtbot.keyClicks(skipped.text, "not kept")
    skipped.skip_button.click()
    assert log.get(other).note is None and not skipped.isVisible()


def test_main_window_has_a_history_page_and_offers_a_note_after_a_completed_listen(qtbot, store):
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    assert PAGES[3] == "History"
    listen_id = log_listen(window.log)
    window.show_page(3)
    assert window.pages.currentWidget() is window.history_view
    assert window.history_view.table.rowCount() == 1
    window._on_listen_finished(listen_id, True)
    assert window.note_dialog is not None and window.note_dialog.isVisible()
    window.note_dialog.text.setPlainText("Kind words.")
    window.note_dialog.save_button.click()
    assert window.history_view.table.item(0, 4).text() == "Kind words."
    window.player.close()
    window.preview_player.close()


# -- adding, editing and undoing ------------------------------------------------------------


def view_of(qtbot, store, log):
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    return view


def test_a_practice_added_by_hand_is_listed_and_counted_and_undo_removes_it(qtbot, store, log):
    view = view_of(qtbot, store, log)
    day = date.today() - timedelta(days=3)
    dialog = view.add_practice()
    assert dialog.isVisible() and dialog.windowTitle() == "Add practice"
    dialog.date.setDate(QDate(day.year, day.month, day.day))
    dialog.minutes.setValue(25)
    dialog.note.setPlainText("  Sat on the balcony.  ")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert view.table.rowCount() == 1
    cells = [view.table.item(0, column).text() for column in range(5)]
    assert cells == [day.strftime("%a %d %b %Y"), MANUAL_TITLE, "25", "✓", "Sat on the balcony."]
    added = view.listen_id_at(0)
    assert log.get(added).manual and log.get(added).local_date == day and log.get(added).heard_s == 1500
    assert view.sessions_card.value.text() == "1" and view.total_card.value.text() == "25"
    assert sum(d.minutes for d in view.heatmap.days) == pytest.approx(25)
    assert view.selected_listen_id() == added
    assert not view.undo_bar.isHidden() and view.undo_label.text() == "Practice added."
    view.undo_button.click()
    assert view.undo_bar.isHidden() and view.table.rowCount() == 0
    assert log.get(added).deleted and log.count() == 0
    assert view.sessions_card.value.text() == "0" and view.total_card.value.text() == "0"


def test_edit_changes_the_listen_and_undo_restores_it_exactly(qtbot, store, log):
    listen_id = log_listen(log, heard=600.0, days_ago=2)
    log.set_note(listen_id, "Calm.")
    view = view_of(qtbot, store, log)
    assert not view.edit_button.isEnabled() and not view.delete_button.isEnabled()
    view.table.selectRow(0)
    assert view.edit_button.isEnabled() and view.delete_button.isEnabled()
    before = log.get(listen_id)
    dialog = view.edit_selected()
    assert dialog is not None and dialog.isVisible() and dialog.session.text() == "Loving kindness"
    assert (
        dialog.heard.value() == 10.0 and dialog.completed.isChecked() and dialog.note.toPlainText() == "Calm."
    )
    moved = before.local_date - timedelta(days=3)
    dialog.start.setDate(QDate(moved.year, moved.month, moved.day))
    dialog.heard.setValue(4.0)
    dialog.completed.setChecked(False)
    dialog.note.setPlainText("Too sleepy.")
    dialog.save_button.click()
    after = log.get(listen_id)
    assert after.local_date == moved and after.started_at.time() == before.started_at.time()
    assert after.started_at.utcoffset() == before.started_at.utcoffset()
    assert after.ended_at - after.started_at == before.ended_at - before.started_at
    assert (after.heard_s, after.completed, after.note) == (240.0, False, "Too sleepy.")
    assert [view.table.item(0, column).text() for column in (0, 2, 3, 4)] == [
        after.started_at.strftime("%a %d %b %Y, %H:%M"),
        "4",
        "",
        "Too sleepy.",
    ]
    assert view.sessions_card.value.text() == "0" and view.total_card.value.text() == "4"
    assert view.selected_listen_id() == listen_id
    assert not view.undo_bar.isHidden() and view.undo_label.text() == "Listen changed."
    view.undo_button.click()
    assert log.get(listen_id) == before
    assert view.table.item(0, 2).text() == "10" and view.table.item(0, 3).text() == "✓"
    assert view.sessions_card.value.text() == "1" and view.total_card.value.text() == "10"


def test_edit_writes_only_what_changed(qtbot, store, log, monkeypatch):
    listen_id = log_listen(log, heard=543.7)  # 9.06 min, shown as 9.1
    view = view_of(qtbot, store, log)
    writes = []
    real_edit = log.edit
    monkeypatch.setattr(
        log, "edit", lambda listen, **fields: writes.append(fields) or real_edit(listen, **fields)
    )
    dialog = view.edit_listen(listen_id)
    dialog.note.setPlainText("Only this.")
    dialog.save_button.click()
    assert writes == [{"note": "Only this."}] and log.get(listen_id).heard_s == 543.7
    untouched = view.edit_listen(listen_id)
    untouched.save_button.click()  # nothing changed: nothing written, nothing to undo
    assert len(writes) == 1 and not untouched.isVisible()
    assert view.undo_label.text() == "Listen changed."  # still the note's undo


def test_cancel_and_escape_change_nothing(qtbot, store, log):
    listen_id = log_listen(log)
    view = view_of(qtbot, store, log)
    before = log.get(listen_id)
    dialog = view.edit_listen(listen_id)
    dialog.heard.setValue(1.0)
    dialog.note.setPlainText("not kept")
    dialog.cancel_button.click()
    assert not dialog.isVisible() and log.get(listen_id) == before and view.undo_bar.isHidden()
    adding = view.add_practice()
    adding.minutes.setValue(30)
    qtbot.keyClick(adding, Qt.Key.Key_Escape)
    assert not adding.isVisible() and log.count() == 1 and view.table.rowCount() == 1


def test_double_click_and_enter_open_the_edit_dialog(qtbot, store, log):
    listen_id = log_listen(log)
    view = view_of(qtbot, store, log)
    view.table.selectRow(0)
    view.table.doubleClicked.emit(view.table.model().index(0, 1))
    assert view.listen_dialog is not None and view.listen_dialog.listen.id == listen_id
    view.listen_dialog.reject()
    view.listen_dialog = None
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.listen_dialog is not None and view.listen_dialog.isVisible()
    assert view.listen_dialog.listen.id == listen_id


def test_the_undo_bar_holds_the_last_action_only(qtbot, store, log):
    first = log_listen(log)
    view = view_of(qtbot, store, log)
    view.table.selectRow(0)
    view.delete_button.click()
    assert view.undo_label.text() == "Listen deleted." and view.undo_button.accessibleName() == "Undo delete"
    dialog = view.add_practice()
    dialog.save_button.click()
    assert view.undo_label.text() == "Practice added." and view.undo_button.accessibleName() == "Undo add"
    view.undo_button.click()
    assert log.count() == 0 and log.get(first).deleted  # the practice is gone, the delete stands


# -- more than a page -----------------------------------------------------------------------


def many_listens(log, count):
    start = datetime.now().astimezone().replace(microsecond=0) - timedelta(days=1)
    log.add_listens(
        NewListen(
            script="loving-kindness",
            title=f"Listen {n}",
            theme="kindness" if n % 2 else "repair",
            length_s=600.0,
            started_at=start - timedelta(hours=n),
            tz=None,
            heard_s=600.0,
            ended_at=start - timedelta(hours=n) + timedelta(minutes=10),
            completed=True,
            manual=False,
            note=None,
        )
        for n in range(count)
    )


def test_show_more_adds_a_page_at_a_time_until_all_are_shown(qtbot, store, log):
    many_listens(log, 450)
    view = view_of(qtbot, store, log)
    assert PAGE_SIZE == 200
    assert view.table.rowCount() == 200 and not view.more_button.isHidden()
    view.more_button.click()
    assert view.table.rowCount() == 400 and not view.more_button.isHidden()
    assert [view.table.item(row, 1).text() for row in (199, 200, 399)] == [
        "Listen 199",
        "Listen 200",
        "Listen 399",
    ]
    view.show_more()
    assert view.table.rowCount() == 450 and view.more_button.isHidden()
    assert view.table.item(449, 1).text() == "Listen 449"
    assert len({view.listen_id_at(row) for row in range(450)}) == 450


def test_a_change_keeps_the_rows_shown_and_a_filter_starts_again(qtbot, store, log):
    many_listens(log, 450)
    view = view_of(qtbot, store, log)
    view.show_more()
    view.table.selectRow(300)
    assert view.table.item(300, 1).text() == "Listen 300"  # a "repair" one
    view.delete_button.click()
    assert view.table.rowCount() == 400 and view.table.item(300, 1).text() == "Listen 301"
    view.theme_filter.setCurrentIndex(view.theme_filter.findData("kindness"))
    view.theme_filter.activated.emit(view.theme_filter.currentIndex())
    assert view.table.rowCount() == 200 and not view.more_button.isHidden()
    assert all(int(view.table.item(row, 1).text().split()[1]) % 2 for row in range(200))
    view.show_more()
    assert view.table.rowCount() == 225 and view.more_button.isHidden()  # the odd-numbered half


def test_the_calendar_names_weekdays_and_months_and_leaves_room_for_them(qtbot, store, log):
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    heatmap = view.heatmap
    step = heatmap.CELL + heatmap.GAP
    # Room beyond the 13 × 7 squares: a column of weekday names and a row of month names.
    metrics = heatmap.fontMetrics()
    assert heatmap.sizeHint().width() > 13 * step + metrics.horizontalAdvance("Wed")
    # … and a month named over the last week (as "Sep" is on 1 September) is not cut at the edge.
    last_week_at = metrics.horizontalAdvance("Wed") + 12 * step
    assert heatmap.sizeHint().width() >= last_week_at + metrics.horizontalAdvance("Sep")
    assert heatmap.sizeHint().height() >= 7 * step + heatmap.fontMetrics().height()
    assert list(heatmap.WEEKDAY_NAMES.items())[:3] == [(0, "Mon"), (2, "Wed"), (4, "Fri")]
    labels = heatmap.month_labels()
    mondays = [day.day for day in heatmap.days[::7]]
    assert all(mondays[column].strftime("%b") == name for column, name in labels)
    # Each month whose first Monday is shown is named over that week; 13 weeks span 3 or 4 of them.
    firsts = [column for column, monday in enumerate(mondays) if monday.day <= 7]
    assert [column for column, _name in labels if column] == [column for column in firsts if column]
    assert 2 <= len(labels) <= 4
    assert all(b - a >= 3 for (a, _x), (b, _y) in zip(labels, labels[1:], strict=False))


def test_month_names_start_with_the_first_column_only_when_there_is_room(qtbot, store, log):
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    # 13 weeks up to Wednesday 30 April 2025: the first column is the week of Monday 3 February.
    view.heatmap.set_days(practice_days([], weeks=13, today=date(2025, 4, 30)))
    assert view.heatmap.month_labels() == [(0, "Feb"), (4, "Mar"), (9, "Apr")]
    # Up to 16 April: the first column is Monday 20 January, two weeks before February's name,
    # too close for "Jan" to fit before "Feb".
    view.heatmap.set_days(practice_days([], weeks=13, today=date(2025, 4, 16)))
    assert view.heatmap.month_labels() == [(2, "Feb"), (6, "Mar"), (11, "Apr")]


def test_the_chart_labels_are_as_large_as_the_page_text(qtbot, store, log):
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    for axis in view.chart.axes():
        assert axis.labelsFont().pointSizeF() == pytest.approx(view.font().pointSizeF())


def test_a_listen_playing_now_says_so_rather_than_not_completed(qtbot, store, log):
    log_listen(log, days_ago=1, heard=120.0)
    playing = log.start_listen("loving-kindness", "Loving kindness", "kindness", 600.0)
    log.checkpoint(playing, 60.0)
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    assert view.listen_id_at(0) == playing
    assert view.table.item(0, 3).text() == "in progress"
    assert view.table.item(1, 3).text() == ""  # ended, not completed: blank as before
