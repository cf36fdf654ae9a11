"""The listening log: migration, what the player records, edits, deletes and filters."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.history import ListenLog, Store, is_completed
from app.history.store import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")


def at(year, month, day, hour=9, minute=0, zone=BERLIN) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


# -- migration -------------------------------------------------------------------------------


def test_a_version_1_database_migrates_to_2_and_keeps_its_data(tmp_path):
    path = tmp_path / "k.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO settings (key, value) VALUES ('volume', '0.5')")
    db.execute("INSERT INTO favourites (script) VALUES ('choosing-compassion')")
    db.execute("INSERT INTO positions (script, length_ms, position_ms) VALUES ('evening', 600000, 1000)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    store = Store(path)
    assert store.get_setting("volume") == 0.5
    assert store.favourites() == {"choosing-compassion"}
    assert store.position("evening") == (600_000, 1000, 0)
    assert store.query("PRAGMA user_version")[0][0] == len(MIGRATIONS) >= 2
    assert ListenLog(store).listens() == []
    store.close()


def test_migrating_twice_changes_nothing(tmp_path):
    path = tmp_path / "k.sqlite3"
    store = Store(path)
    ListenLog(store).start_listen("a", "A", "t", 600, now=at(2026, 3, 1))
    store.close()
    again = Store(path)
    assert len(ListenLog(again).listens()) == 1
    again.close()


# -- the completed rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heard", "length", "timer", "expected"),
    [
        (540, 600, False, True),  # exactly 90%
        (539, 600, False, False),
        (600, 600, False, True),
        (0, 600, False, False),
        (599.5, 600, True, True),  # a timer that reached its end
        (540, 600, True, True),
        (100, 600, True, False),
        (4.2, 5, True, True),  # a short timer ends within the clock's tolerance
    ],
)
def test_completed_means_90_percent_heard_or_a_timer_at_its_end(heard, length, timer, expected):
    assert is_completed(heard, length, timer=timer) is expected


# -- what the player records -----------------------------------------------------------------


def test_start_checkpoint_finish(log):
    start = at(2026, 3, 10, 21, 30)
    listen_id = log.start_listen("choosing-compassion", "Choosing Compassion", "choice", 600, now=start)
    begun = log.get(listen_id)
    assert begun.in_progress and begun.heard_s == 0 and not begun.completed
    assert begun.started_at == start and begun.tz == "Europe/Berlin" and begun.tz_offset_min == 60

    log.checkpoint(listen_id, 10)
    log.checkpoint(listen_id, 20.5)
    assert log.get(listen_id).heard_s == 20.5

    done = log.finish(listen_id, 580, now=start + timedelta(minutes=11))
    assert done.completed and not done.in_progress
    assert done.heard_s == 580
    assert done.ended_at == start + timedelta(minutes=11)
    # A late tick from the player after the end must not rewrite what was heard.
    log.checkpoint(listen_id, 30)
    assert log.get(listen_id).heard_s == 580


def test_finish_applies_the_rule_unless_told(log):
    short = log.start_listen("a", "A", "t", 600, now=at(2026, 3, 1))
    assert not log.finish(short, 300).completed
    timer = log.start_listen("timer", "Timer", "timer", 1200, now=at(2026, 3, 1, 10))
    assert log.finish(timer, 1199.6).completed
    told = log.start_listen("a", "A", "t", 600, now=at(2026, 3, 1, 11))
    assert log.finish(told, 10, completed=True).completed


def test_a_naive_time_is_refused(log):
    with pytest.raises(ValueError, match="time zone"):
        log.start_listen("a", "A", "t", 600, now=datetime(2026, 3, 1, 9))


def test_an_unfinished_listen_keeps_its_last_checkpoint(tmp_path):
    path = tmp_path / "k.sqlite3"
    store = Store(path)
    log = ListenLog(store)
    listen_id = log.start_listen("a", "A", "t", 600, now=datetime.now(UTC) - timedelta(minutes=10))
    log.checkpoint(listen_id, 120, now=datetime.now(UTC) - timedelta(minutes=8))
    store.close()  # the app went away without finishing

    store = Store(path)
    log = ListenLog(store)
    assert log.get(listen_id).heard_s == 120 and log.get(listen_id).in_progress
    assert log.close_abandoned() == 1
    left = log.get(listen_id)
    assert left.heard_s == 120 and not left.completed and not left.in_progress
    store.close()


def test_close_abandoned_leaves_a_listen_that_is_still_checkpointing(log):
    listen_id = log.start_listen("a", "A", "t", 600)
    log.checkpoint(listen_id, 5)
    assert log.close_abandoned() == 0
    assert log.get(listen_id).in_progress


CHILD = """
import sys, time
from pathlib import Path
from app.history import ListenLog, Store
log = ListenLog(Store(Path(sys.argv[1])))
listen_id = log.start_listen("a", "A", "t", 600)
heard = 0.0
while True:
    time.sleep(0.02)
    heard += 0.5
    log.checkpoint(listen_id, heard)
    print(heard, flush=True)
"""


def test_a_killed_process_keeps_everything_it_checkpointed(tmp_path):
    path = tmp_path / "k.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        last = 0.0
        deadline = time.monotonic() + 30
        while last < 10 and time.monotonic() < deadline:
            last = float(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    store = Store(path)
    heard = ListenLog(store).listens()[0].heard_s
    store.close()
    # Every checkpoint reported before the kill is in the file (more may have followed).
    assert heard >= last >= 10


# -- what the person records -----------------------------------------------------------------


def test_manual_entries_note_and_edit(log):
    listen_id = log.add_manual(date(2026, 3, 2), 15, "walked by the river", tz=BERLIN)
    manual = log.get(listen_id)
    assert manual.manual and manual.completed and manual.script is None
    assert manual.heard_s == 900 and manual.local_date == date(2026, 3, 2)
    assert manual.note == "walked by the river"

    log.set_note(listen_id, "  ")
    assert log.get(listen_id).note is None  # an empty reflection is none
    log.set_note(listen_id, "What I noticed: patience.")
    edited = log.edit(listen_id, heard_s=1200, title="Walking practice", started_at=at(2026, 3, 3, 7))
    assert edited.heard_s == 1200 and edited.title == "Walking practice"
    assert edited.local_date == date(2026, 3, 3) and edited.note == "What I noticed: patience."
    assert edited.ended_at - edited.started_at == timedelta(minutes=15)  # the end moved with the start
    with pytest.raises(ValueError, match="cannot edit"):
        log.edit(listen_id, deleted=1)
    with pytest.raises(KeyError):
        log.set_note(9999, "x")


def test_manual_entry_needs_minutes(log):
    with pytest.raises(ValueError):
        log.add_manual(date(2026, 3, 2), 0)


def test_soft_delete_and_undo(log):
    keep = log.start_listen("a", "A", "t", 600, now=at(2026, 3, 1))
    gone = log.start_listen("b", "B", "t", 600, now=at(2026, 3, 2))
    log.delete(gone)
    assert [listen.id for listen in log.listens()] == [keep]
    assert log.get(gone).deleted
    assert len(log.practice()) == 1  # statistics do not see it either
    log.undo_delete(gone)
    assert [listen.id for listen in log.listens()] == [gone, keep]


# -- reading ---------------------------------------------------------------------------------


def test_newest_first_with_paging(log):
    ids = [
        log.start_listen("a", f"A{i}", "t", 600, now=at(2026, 3, 1) + timedelta(hours=i)) for i in range(5)
    ]
    assert [listen.id for listen in log.listens()] == ids[::-1]
    assert [listen.id for listen in log.listens(limit=2, offset=1)] == ids[3:1:-1]
    assert log.count() == 5


def test_filters_by_local_month_and_theme(log):
    # 00:30 on 1 April in Berlin is still 31 March in UTC: the month is the listener's.
    april = log.start_listen("a", "A", "choice", 600, now=at(2026, 4, 1, 0, 30))
    march = log.start_listen("b", "B", "evening", 600, now=at(2026, 3, 31, 23, 30))
    # 18:00 on 31 March in New York is already 1 April in UTC.
    ny_march = log.start_listen(
        "c", "C", "choice", 600, now=at(2026, 3, 31, 18, zone=ZoneInfo("America/New_York"))
    )
    log.start_listen("d", "D", "choice", 600, now=at(2026, 5, 3))
    assert [listen.id for listen in log.listens(month="2026-04")] == [april]
    assert {listen.id for listen in log.listens(month="2026-03")} == {march, ny_march}
    assert [listen.id for listen in log.listens(month="2026-03", theme="choice")] == [ny_march]
    assert len(log.listens(theme="choice")) == 3
    assert log.themes() == ["choice", "evening"]


def test_local_day_follows_the_offset_stored_with_each_listen(log):
    tokyo = log.start_listen(
        "a", "A", "t", 600, now=datetime(2026, 3, 2, 7, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    )
    fixed = log.start_listen(
        "b", "B", "t", 600, now=datetime(2026, 3, 1, 23, 0, tzinfo=timezone(-timedelta(hours=5)))
    )
    assert log.get(tokyo).local_date == date(2026, 3, 2)  # 1 March 22:00 UTC
    assert log.get(fixed).local_date == date(2026, 3, 1)  # 2 March 04:00 UTC
    assert sorted(p.day for p in log.practice()) == [
        date(2026, 3, 1).toordinal(),
        date(2026, 3, 2).toordinal(),
    ]
