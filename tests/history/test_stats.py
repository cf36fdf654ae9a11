"""Statistics: totals, streaks on the listener's local days, favourite themes, chart data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.history import ListenLog, NewListen, Store, minutes_per_week, practice_days, statistics

BERLIN = ZoneInfo("Europe/Berlin")


def sit(log, start: datetime, heard=600.0, length=600.0, theme="choice") -> int:
    """One finished listen, through the same calls the player makes."""
    listen_id = log.start_listen("s", "S", theme, length, now=start)
    log.finish(listen_id, heard, now=start + timedelta(seconds=heard))
    return listen_id


def stats(log, today: date):
    # Both inputs statistics accept must agree: summed rows from SQL and whole Listen objects.
    from_sql = statistics(log.practice(), today=today)
    from_objects = statistics(log.listens(limit=None), today=today)
    assert from_sql == from_objects
    return from_sql


def test_empty_log(log):
    result = stats(log, date(2026, 3, 1))
    assert result.total_minutes == result.sessions_completed == 0
    assert result.current_streak == result.longest_streak == 0
    assert result.favourite_themes == []


def test_totals_count_all_time_heard_but_only_completed_sessions(log):
    sit(log, datetime(2026, 3, 1, 9, tzinfo=BERLIN), heard=600)
    sit(log, datetime(2026, 3, 1, 19, tzinfo=BERLIN), heard=120)  # stopped early
    result = stats(log, date(2026, 3, 1))
    assert result.total_minutes == pytest.approx(12)
    assert result.sessions_completed == 1
    assert result.current_streak == 1


def test_streak_across_a_month_end_and_a_year_end(log):
    for day in (date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)):
        sit(log, datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=8))
    assert stats(log, date(2026, 3, 2)).current_streak == 4
    for day in (date(2025, 12, 31), date(2026, 1, 1)):
        sit(log, datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=8))
    result = stats(log, date(2026, 3, 2))
    assert (result.current_streak, result.longest_streak) == (4, 4)


def test_current_streak_holds_through_yesterday_and_breaks_after(log):
    for day in range(10, 13):
        sit(log, datetime(2026, 5, day, 20, tzinfo=BERLIN))
    assert stats(log, date(2026, 5, 12)).current_streak == 3
    assert stats(log, date(2026, 5, 13)).current_streak == 3  # not practised yet today
    after_gap = stats(log, date(2026, 5, 14))
    assert (after_gap.current_streak, after_gap.longest_streak) == (0, 3)


def test_gaps_split_streaks_and_incomplete_days_do_not_count(log):
    for day in (1, 2, 3, 5, 6):
        sit(log, datetime(2026, 6, day, 7, tzinfo=BERLIN))
    sit(log, datetime(2026, 6, 4, 7, tzinfo=BERLIN), heard=60)  # a day with only a short try
    result = stats(log, date(2026, 6, 6))
    assert (result.current_streak, result.longest_streak, result.practice_days) == (2, 3, 5)


@pytest.mark.parametrize(
    "days",
    [
        # Spring forward: 2026-03-29 02:00 → 03:00 in Berlin. Late evening and just after midnight.
        [(2026, 3, 28, 23, 30), (2026, 3, 29, 0, 15), (2026, 3, 29, 23, 45), (2026, 3, 30, 0, 5)],
        # Fall back: 2026-10-25 03:00 → 02:00; the day has 25 hours.
        [(2026, 10, 24, 23, 50), (2026, 10, 25, 0, 10), (2026, 10, 25, 23, 55), (2026, 10, 26, 0, 1)],
    ],
    ids=["spring-forward", "fall-back"],
)
def test_streaks_across_daylight_saving_changes(log, days):
    for year, month, day, hour, minute in days:
        sit(log, datetime(year, month, day, hour, minute, tzinfo=BERLIN))
    last = date(*days[-1][:3])
    result = stats(log, last)
    # Four listens on three consecutive local days, two of them just either side of midnight.
    assert (result.current_streak, result.longest_streak, result.practice_days) == (3, 3, 3)
    assert result.sessions_completed == 4


def test_a_listen_near_midnight_counts_on_the_local_day_not_the_utc_one(log):
    # 00:30 in Berlin summer time is 22:30 UTC the day before.
    sit(log, datetime(2026, 7, 2, 0, 30, tzinfo=BERLIN))
    sit(log, datetime(2026, 7, 3, 23, 30, tzinfo=BERLIN))
    result = stats(log, date(2026, 7, 3))
    assert (result.current_streak, result.practice_days) == (2, 2)


def test_streak_after_a_move_to_another_time_zone(log):
    # Three evenings in Berlin, then a flight to New York; each listen keeps its own offset.
    for day in (1, 2, 3):
        sit(log, datetime(2026, 9, day, 22, tzinfo=BERLIN))
    new_york = ZoneInfo("America/New_York")
    sit(log, datetime(2026, 9, 4, 21, tzinfo=new_york))  # 5 Sept 01:00 UTC, but the 4th as lived
    sit(log, datetime(2026, 9, 5, 6, tzinfo=new_york))
    result = stats(log, date(2026, 9, 5))
    assert (result.current_streak, result.practice_days) == (5, 5)


def test_a_day_ahead_of_today_after_flying_west_continues_the_streak(log):
    tokyo = ZoneInfo("Asia/Tokyo")
    sit(log, datetime(2026, 9, 1, 8, tzinfo=tokyo))
    sit(log, datetime(2026, 9, 2, 8, tzinfo=tokyo))
    # Now in Honolulu it is still 1 September; the Tokyo morning of the 2nd was lived, though.
    assert stats(log, date(2026, 9, 1)).current_streak == 2


def test_manual_entries_count_for_streaks_and_minutes(log):
    sit(log, datetime(2026, 4, 1, 8, tzinfo=BERLIN))
    log.add_manual(date(2026, 4, 2), 20, tz=BERLIN)
    sit(log, datetime(2026, 4, 3, 8, tzinfo=BERLIN))
    result = stats(log, date(2026, 4, 3))
    assert result.current_streak == 3
    assert result.total_minutes == pytest.approx(40)
    assert result.favourite_themes == [("choice", 2)]  # a manual entry has no theme


def test_deleted_listens_do_not_count(log):
    sit(log, datetime(2026, 4, 1, 8, tzinfo=BERLIN))
    gone = sit(log, datetime(2026, 4, 2, 8, tzinfo=BERLIN))
    log.delete(gone)
    assert (stats(log, date(2026, 4, 2)).current_streak, stats(log, date(2026, 4, 2)).practice_days) == (1, 1)
    log.undo_delete(gone)
    assert stats(log, date(2026, 4, 2)).current_streak == 2
    assert stats(log, date(2026, 4, 4)).current_streak == 0  # a whole day without practice


def test_favourite_themes_are_the_top_three_by_completed_count(log):
    start = datetime(2026, 2, 1, 8, tzinfo=BERLIN)
    counts = {"choice": 4, "evening": 2, "conflict": 3, "gratitude": 2, "timer": 1}
    for theme, n in counts.items():
        for i in range(n):
            sit(log, start + timedelta(days=i), theme=theme)
    sit(log, start, theme="timer", heard=10)  # not completed: no vote
    assert stats(log, date(2026, 2, 10)).favourite_themes == [("choice", 4), ("conflict", 3), ("evening", 2)]


def test_minutes_per_week_and_practice_days(log):
    today = date(2026, 3, 18)  # a Wednesday
    sit(log, datetime(2026, 3, 16, 8, tzinfo=BERLIN), heard=600)  # this week's Monday
    sit(log, datetime(2026, 3, 18, 8, tzinfo=BERLIN), heard=300)  # today, not completed
    sit(log, datetime(2026, 3, 15, 8, tzinfo=BERLIN), heard=1200)  # last week's Sunday
    sit(log, datetime(2025, 12, 1, 8, tzinfo=BERLIN), heard=1200)  # long ago

    weeks = minutes_per_week(log.practice(), weeks=12, today=today)
    assert len(weeks) == 12
    assert weeks[-1] == (date(2026, 3, 16), pytest.approx(15))
    assert weeks[-2] == (date(2026, 3, 9), pytest.approx(20))
    assert weeks[0][0] == date(2025, 12, 29) and sum(m for _, m in weeks[:-2]) == 0

    days = practice_days(log.practice(), weeks=13, today=today)
    assert days[0].day == date(2026, 3, 16) - timedelta(weeks=12) and days[0].day.weekday() == 0
    assert days[-1].day == today and len(days) == 12 * 7 + 3
    by_day = {d.day: d for d in days}
    assert (by_day[date(2026, 3, 16)].minutes, by_day[date(2026, 3, 16)].completed) == (10, 1)
    assert (by_day[today].minutes, by_day[today].completed) == (5, 0)
    # The same from Listen objects.
    assert practice_days(log.listens(limit=None), weeks=13, today=today) == days


def test_today_defaults_to_the_given_zone(log):
    now = datetime.now(UTC)
    sit(log, now.astimezone(timezone(timedelta(hours=14))))
    # Without `today`, today is taken in `tz`: a listen begun now in +14:00 is on today's date there.
    assert statistics(log.practice(), tz=timezone(timedelta(hours=14))).current_streak == 1


def test_statistics_of_many_listens_count_every_completed_one(tmp_path):
    # Speed is measured by benchmarks/bench_history.py, never by a timed assertion here.
    store = Store(tmp_path / "big.sqlite3")
    log = ListenLog(store)
    start = datetime(2020, 1, 1, 7, tzinfo=BERLIN)
    rows = [
        NewListen("s", "S", f"theme{i % 7}", 600, start + timedelta(minutes=29 * i), "Europe/Berlin",
                  600 if i % 3 else 60, None, bool(i % 3), False, None)
        for i in range(10_000)
    ]  # fmt: skip
    log.add_listens(rows)
    result = statistics(log.practice(), today=date(2026, 1, 1))
    assert len(log.listens(limit=50)) == 50
    store.close()
    assert result.sessions_completed == 6_666
