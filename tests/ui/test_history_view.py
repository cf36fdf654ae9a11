"""The history page and the reflection note, over a real log in a private database."""

from datetime import date, datetime, timedelta

import pytest

from app import paths
from app.history import ListenLog, Store
from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.history_view import HistoryView
from app.ui.main_window import PAGES, MainWindow
from app.ui.note_dialog import NoteDialog


@pytest.fixture
def store():
    store = Store(paths.database_path())
    yield store
    store.close()


@pytest.fixture
def log(store):
    return ListenLog(store)


def log_listen(log, title="Loving kindness", theme="kindness", heard=600.0, length=600.0, days_ago=0):
    start = datetime.now().astimezone() - timedelta(days=days_ago, minutes=15)
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
    assert len(view.chart.series()) == 1 and view.chart.series()[0].barSets()[0].at(11) == pytest.approx(12)
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
    window.renders.wait()
