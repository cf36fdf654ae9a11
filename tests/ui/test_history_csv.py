"""Export CSV… and Import CSV… on the History page: the terminal's rules and words, from the window."""

import dataclasses
import io
import threading
from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from app.history import ListenLog, Store, export_csv
from app.history.csv_io import COLUMNS
from app.ui.pages.history import csv_buttons as history_csv
from app.ui.pages.history.page import HistoryView


def fill(log):
    """Three listens, one of them entered by hand and one with a note a CSV must quote."""
    now = datetime.now().astimezone()
    first = log.start_listen("kindness", "Loving kindness", "kindness", 600.0, now=now - timedelta(days=2))
    log.finish(first, 600.0)
    second = log.start_listen("repair", "Repair, after a row", "repair", 900.0, now=now - timedelta(hours=3))
    log.finish(second, 240.0)
    log.set_note(second, 'A "hard" day,\nbut gentler =after')
    log.add_manual((now - timedelta(days=5)).date(), 20, note="On the train")


def choose(monkeypatch, path, seen=None):
    """The file dialogs answer `path` at once; what they were offered goes into `seen`."""

    def answer(parent, caption, directory, filters):
        if seen is not None:
            seen.append(directory)
        return str(path), ""

    monkeypatch.setattr(history_csv.QFileDialog, "getSaveFileName", answer)
    monkeypatch.setattr(history_csv.QFileDialog, "getOpenFileName", answer)


def click_and_wait(qtbot, view, button):
    with qtbot.waitSignal(view.csv.workDone, timeout=30_000):
        button.click()
    return view.csv.message


def without_ids(log):
    return [dataclasses.replace(listen, id=0) for listen in log.listens(limit=None)]


@pytest.fixture
def fresh(tmp_path):
    """A second, empty database, as on another computer."""
    opened = Store(tmp_path / "other" / "kindred.sqlite3")
    yield ListenLog(opened)
    opened.close()


def test_export_then_import_round_trips_and_a_second_import_adds_nothing(
    qtbot, store, log, fresh, tmp_path, monkeypatch
):
    fill(log)
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    target = tmp_path / "chosen" / "history.csv"
    offered = []
    choose(monkeypatch, target, offered)

    message = click_and_wait(qtbot, view, view.csv.export_button)
    expected = io.StringIO()
    export_csv(log.listens(limit=None), expected)
    assert target.read_text("utf-8") == expected.getvalue()
    assert offered[0].endswith(".csv") and offered[0].startswith(str(history_csv.Path.home()))
    assert message.icon() == QMessageBox.Icon.Information
    assert message.text() == f"Exported 3 listens to {target}."
    assert not [leftover for leftover in target.parent.iterdir() if leftover != target]

    other = HistoryView(fresh, fresh.store)
    qtbot.addWidget(other)
    assert other.table.rowCount() == 0
    message = click_and_wait(qtbot, other, other.csv.import_button)
    assert message.text() == f"Imported 3 listens from {target}."
    assert without_ids(fresh) == without_ids(log)
    assert other.table.rowCount() == 3  # the page shows what came in
    assert other.total_card.value.text() == view.total_card.value.text()

    message = click_and_wait(qtbot, other, other.csv.import_button)
    assert message.text() == (
        f"Imported 0 listens from {target}. 3 listens were already in your history and not added again."
    )
    assert fresh.count() == 3
    assert other.csv.import_button.isEnabled() and other.csv.export_button.isEnabled()


def test_a_broken_csv_is_refused_by_line_and_adds_nothing(qtbot, store, log, tmp_path, monkeypatch):
    fill(log)
    before = without_ids(log)
    good = "2026-03-29T09:15:00+02:00,,kind,Kind,kindness,600,600,,1,0,"
    bad = [f"yesterday {n},,kind,Kind,kindness,600,600,,1,0," for n in range(6)]
    source = tmp_path / "broken.csv"
    negative = "2026-03-29T10:00:00+02:00,,k,K,t,-5,0,,1,0,"
    source.write_text("\n".join([",".join(COLUMNS), good, *bad, negative]))
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    choose(monkeypatch, source)

    message = click_and_wait(qtbot, view, view.csv.import_button)
    assert message.icon() == QMessageBox.Icon.Warning
    assert message.windowTitle() == "Nothing was imported"
    lines = message.text().splitlines()
    assert lines[0] == "broken.csv has rows Kindred cannot read:"
    assert lines[2].startswith("line 3: started_at 'yesterday 0' is not a date and time")
    assert [line.split(":")[0] for line in lines[2:7]] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert lines[7] == "and 2 more problems."  # a sixth bad date, and a negative length on line 9
    assert lines[-1] == "Correct the file and import it again. Your history was not changed."
    assert without_ids(log) == before  # not even the good row on line 2
    assert view.table.rowCount() == 3


def test_a_file_that_is_not_text_is_refused_as_the_terminal_does(qtbot, store, log, tmp_path, monkeypatch):
    source = tmp_path / "listens.csv"
    source.write_bytes(",".join(COLUMNS).encode() + b"\n\xff\xfe<b>bold</b>\n")
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    choose(monkeypatch, source)
    message = click_and_wait(qtbot, view, view.csv.import_button)
    assert message.windowTitle() == "Nothing was imported"
    assert message.text() == f"{source} is not UTF-8 text. Save it as UTF-8 CSV and try again."
    assert log.count() == 0


def test_the_work_runs_off_the_window_thread_with_the_buttons_held(qtbot, store, log, tmp_path, monkeypatch):
    fill(log)
    source = tmp_path / "listens.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        export_csv(log.listens(limit=None), file)
    threads = []
    checked = history_csv.check_import_file

    def check(path):
        threads.append(threading.current_thread())
        return checked(path)

    monkeypatch.setattr(history_csv, "check_import_file", check)
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    choose(monkeypatch, source)
    with qtbot.waitSignal(view.csv.workDone, timeout=30_000):
        view.csv.import_button.click()
        # A second import or an export while this one works would only queue behind it.
        assert not view.csv.import_button.isEnabled() and not view.csv.export_button.isEnabled()
    assert threads and threads[0] is not threading.main_thread()
    assert view.csv.import_button.isEnabled()


def test_an_export_that_cannot_be_written_says_so(qtbot, store, log, tmp_path, monkeypatch):
    fill(log)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    choose(monkeypatch, blocker / "history.csv")
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    message = click_and_wait(qtbot, view, view.csv.export_button)
    assert message.icon() == QMessageBox.Icon.Warning
    assert message.windowTitle() == "Your history was not exported"
    assert message.text().startswith(f"{blocker / 'history.csv'} could not be written (")
    assert blocker.read_text() == "not a folder"


def test_cancelling_the_file_dialog_does_nothing(qtbot, store, log, monkeypatch):
    monkeypatch.setattr(history_csv.QFileDialog, "getOpenFileName", lambda *args: ("", ""))
    view = HistoryView(log, store)
    qtbot.addWidget(view)
    view.csv.import_button.click()
    assert view.csv.task is None and view.csv.message is None and view.csv.import_button.isEnabled()
