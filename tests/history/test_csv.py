"""CSV export and import, and the `kindred history` / `kindred stats` commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import paths
from app.cli import main
from app.history import CsvImportError, ListenLog, Store, export_csv, import_csv
from app.history.csv_io import COLUMNS
from tests.program import ROOT, kindred

BERLIN = ZoneInfo("Europe/Berlin")
HEADER = ",".join(COLUMNS)


def fill(log: ListenLog) -> None:
    """A varied log: a completed listen with a multi-line note, one stopped early, one in
    progress, a timer sit in another zone, a manual entry, fractional seconds, a deleted one."""
    first = log.start_listen(
        "choosing-compassion",
        "Choosing Compassion",
        "choice",
        600,
        now=datetime(2026, 3, 29, 1, 45, tzinfo=BERLIN),
    )
    log.finish(first, 587.25, now=datetime(2026, 3, 29, 3, 56, tzinfo=BERLIN))
    log.set_note(first, 'Patience, "mostly".\nA kind word for Sam, over breakfast.')
    evening = datetime(2026, 3, 30, 21, 0, tzinfo=BERLIN)
    stopped = log.start_listen("evening", "Evening, Kindly", "evening", 1200, now=evening)
    log.finish(stopped, 130.125)
    log.start_listen("evening", "Evening, Kindly", "evening", 1200, now=evening + timedelta(days=1))
    dawn = datetime(2026, 4, 2, 6, 30, tzinfo=ZoneInfo("America/New_York"))
    timer = log.start_listen("timer", "Timer 20 min", "timer", 1200, now=dawn)
    log.finish(timer, 1200)
    log.add_manual(date(2026, 4, 3), 12.5, "Sat in the garden, ünïcode ✓", tz=BERLIN)
    gone = log.start_listen("x", "Deleted", "choice", 60, now=datetime(2026, 4, 4, 8, tzinfo=BERLIN))
    log.delete(gone)


def as_csv(listens) -> str:
    out = io.StringIO()
    export_csv(listens, out)
    return out.getvalue()


def comparable(listen):
    """A listen without its id (an import numbers rows anew)."""
    return (
        listen.script,
        listen.title,
        listen.theme,
        listen.length_s,
        listen.started_at,
        listen.started_at.utcoffset(),
        listen.tz,
        listen.heard_s,
        listen.ended_at,
        listen.completed,
        listen.manual,
        listen.note,
    )


# -- round trip ------------------------------------------------------------------------------


def test_csv_round_trip_loses_nothing(log, tmp_path):
    fill(log)
    original = log.listens(limit=None)
    text = as_csv(original)
    assert text.splitlines()[0] == HEADER
    # Local times with the offset the listener had at the start (the end is on the same clock,
    # even though Berlin's clocks went forward in between).
    assert "2026-03-29T01:45:00+01:00" in text and "2026-03-29T02:56:00+01:00" in text

    other = Store(tmp_path / "other.sqlite3")
    other_log = ListenLog(other)
    assert other_log.add_listens(import_csv(text)) == (5, 0) and len(original) == 5
    again = other_log.listens(limit=None)
    assert [comparable(x) for x in again] == [comparable(x) for x in original]
    assert as_csv(again) == text
    assert [p for p in other_log.practice()] == [p for p in log.practice()]
    other.close()


def test_import_accepts_a_bom_crlf_and_yes_no(log):
    text = "\ufeff" + HEADER + "\r\n" + "2026-01-05T08:00:00+01:00,,,Walk,,600,600,,yes,no,\r\n"
    [listen] = import_csv(text)
    assert listen.completed and not listen.manual and listen.title == "Walk" and listen.script is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("not-a-date,,s,T,t,600,600,,1,0,", "started_at 'not-a-date'"),
        ("2026-01-05T08:00:00,,s,T,t,600,600,,1,0,", "started_at '2026-01-05T08:00:00' has no UTC offset"),
        ("2026-01-05T08:00:00+01:00,,s,T,t,ten,600,,1,0,", "length_s 'ten' is not a number"),
        ("2026-01-05T08:00:00+01:00,,s,T,t,600,-5,,1,0,", "heard_s '-5' must be from 0 to 86400 seconds"),
        ("2026-01-05T08:00:00+01:00,,s,T,t,600,600,,maybe,0,", "completed 'maybe' must be 1 or 0"),
        ("2026-01-05T08:00:00+01:00,,s,,t,600,600,,1,0,", "title is empty"),
        ("2026-01-05T08:00:00+01:00,,s,T,t,600,600,1,0,", "10 fields where the header has 11"),
        ("2026-01-05T08:00:00+01:00,,s,T,t,600,600,2026-01-05T07:00:00+01:00,1,0,", "ended_at is before"),
    ],
)
def test_a_malformed_row_is_named_by_its_line_and_nothing_is_imported(log, row, message):
    fill(log)
    before = log.listens(limit=None)
    good = as_csv(before)
    lines = good.splitlines()
    # The note of the first listen spans two lines, so the row after it starts on line 4.
    text = "\n".join([*lines[:3], row, *lines[3:]]) + "\n"
    with pytest.raises(CsvImportError) as caught:
        import_csv(text)
    assert caught.value.problems[0][0] == 4
    assert f"line 4: {message}" in caught.value.explanation
    assert log.listens(limit=None) == before


def test_every_bad_line_is_reported(log):
    text = "\n".join(
        [HEADER, "x,,s,T,t,600,600,,1,0,", "2026-01-05T08:00:00+01:00,,s,T,t,600,600,,1,0,", "y"]
    )
    with pytest.raises(CsvImportError) as caught:
        import_csv(text)
    assert [line for line, _ in caught.value.problems] == [2, 4]
    assert "(1 more problem)" in caught.value.explanation


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("date,title\n2026-01-01,x\n", "missing started_at"),
        (HEADER + ",extra\n", "unknown extra"),
    ],
)
def test_a_file_that_is_not_kindreds_csv_is_refused_at_line_1(text, message):
    with pytest.raises(CsvImportError, match=f"line 1: .*{message}"):
        import_csv(text)


# -- the commands ----------------------------------------------------------------------------


def test_history_lists_newest_first_with_local_times_and_notes(log, capsys):
    fill(log)
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("2026-04-03 ") and "Practice without the app" in lines[0]
    assert "12.5 min" in lines[0] and "Sat in the garden" in lines[0]
    assert lines[1].startswith("2026-04-02 06:30") and "completed" in lines[1]
    assert lines[2].startswith("2026-03-31 21:00") and "in progress" in lines[2]
    assert lines[3].startswith("2026-03-30 21:00") and "stopped" in lines[3] and "2.2 min" in lines[3]
    # The note's two lines become one, so every listen is one line.
    assert lines[4].startswith("2026-03-29 01:45") and lines[4].endswith(
        "A kind word for Sam, over breakfast."
    )


def test_history_filters_and_an_empty_log(log, capsys):
    assert main(["history"]) == 0
    assert capsys.readouterr().out == "No listens yet.\n"
    fill(log)
    assert main(["history", "--month", "2026-03", "--theme", "evening"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["history", "--month", "2025-01"]) == 0
    assert capsys.readouterr().out == "No listens match.\n"


def test_history_csv_then_import_round_trips_through_the_commands(log, tmp_path, monkeypatch):
    fill(log)
    exported = kindred("history", "--csv")
    assert exported.returncode == 0 and exported.stderr == ""
    assert exported.stdout == as_csv(log.listens(limit=None))
    csv_file = tmp_path / "listens.csv"
    csv_file.write_text(exported.stdout, encoding="utf-8")

    monkeypatch.setenv("KINDRED_HOME", str(tmp_path / "elsewhere"))
    imported = kindred("history", "--import", csv_file)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == f"Imported 5 listens from {csv_file}.\n"
    assert kindred("history", "--csv").stdout == exported.stdout


def test_history_import_of_a_malformed_file_exits_1_with_one_line(log, tmp_path):
    fill(log)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n2026-01-05T08:00:00+01:00,,s,T,t,600,lots,,1,0,\n", encoding="utf-8")
    result = kindred("history", "--import", bad)
    assert result.returncode == 1
    assert result.stderr == (
        "Nothing was imported: line 2: heard_s 'lots' is not a number of seconds. "
        "Correct the file and import it again.\n"
    )
    assert len(log.listens(limit=None)) == 5


def test_history_import_of_a_missing_file_exits_1(tmp_path):
    result = kindred("history", "--import", tmp_path / "nope.csv")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "nope.csv" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["history", "--csv", "--import", "x.csv"], "not allowed with argument"),
        (["history", "--month", "March"], "invalid month 'March'"),
        (["history", "--month", "2026-13"], "invalid month '2026-13'"),
        (["stats", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_wrong_usage_exits_2(args, expected):
    result = kindred(*args)
    assert result.returncode == 2
    assert expected in result.stderr and len(result.stderr.splitlines()) == 1


def test_stats_text_and_json(log, capsys):
    fill(log)
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sessions_completed"] == 3  # the first listen, the timer, the manual entry
    assert data["total_minutes"] == pytest.approx((587.25 + 130.125 + 1200 + 750) / 60, abs=0.05)
    assert data["longest_streak"] == 2  # 2 and 3 April (29 March stands alone)
    assert data["favourite_themes"] == [
        {"theme": "choice", "completed": 1},
        {"theme": "timer", "completed": 1},
    ]
    assert set(data) >= {"current_streak", "practice_days"}

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Sessions completed:  3" in out and "Longest streak:      2 days" in out
    assert "Favourite themes:    choice (1), timer (1)" in out


def test_stats_on_an_empty_log_and_a_newer_database(tmp_path, capsys):
    assert main(["stats"]) == 0
    assert "Sessions completed:  0" in capsys.readouterr().out
    import sqlite3

    db = sqlite3.connect(paths.database_path())
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    result = kindred("stats")
    assert result.returncode == 1
    assert "newer version of Kindred" in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_commands_do_not_load_qt():
    code = (
        "import sys; from app.cli import main; main(['history']); main(['stats', '--json']);"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_timestamps_shown_are_the_listeners_not_the_machines(log, capsys, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    start = datetime(2026, 6, 1, 7, 5, tzinfo=BERLIN)
    log.finish(log.start_listen("a", "A", "t", 600, now=start), 600, now=start + timedelta(minutes=10))
    assert main(["history"]) == 0
    assert capsys.readouterr().out.startswith("2026-06-01 07:05")
