"""Statistics of the listening log: pure functions over plain rows.

Every listen is counted on its local day: the day the listener lived when it started, from
the offset stored with it (see app.history.listens). Days are date ordinals (plain ints) so
that 100,000 listens are counted with integer arithmetic, not datetime objects.

The input is anything with `day` (date ordinal), `heard_s`, `completed` (a flag, or a count
of completed listens) and `theme`: `ListenLog.practice()` rows, one per local day and theme
(fast), or `Listen` objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

#: How many themes "favourite themes" names.
FAVOURITE_THEMES = 3


class PracticeLike(Protocol):
    @property
    def day(self) -> int: ...

    @property
    def heard_s(self) -> float: ...

    @property
    def completed(self) -> int: ...

    @property
    def theme(self) -> str | None: ...


@dataclass(frozen=True)
class Stats:
    total_minutes: float
    sessions_completed: int
    current_streak: int  # days, ending today or yesterday; 0 when the last practice day is older
    longest_streak: int
    practice_days: int  # days with at least one completed listen
    favourite_themes: list[tuple[str, int]]  # (theme, completed listens), most first

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["total_minutes"] = round(self.total_minutes, 1)
        data["favourite_themes"] = [{"theme": t, "completed": n} for t, n in self.favourite_themes]
        return data


@dataclass(frozen=True)
class DayPractice:
    """One day of the heatmap."""

    day: date
    minutes: float
    completed: int


def local_today(tz: tzinfo | None = None) -> date:
    """Today in `tz`, or in this computer's own zone."""
    return datetime.now(tz).date() if tz is not None else datetime.now().astimezone().date()


def _today_ordinal(today: date | None, tz: tzinfo | None) -> int:
    return (today if today is not None else local_today(tz)).toordinal()


def _runs(days: set[int]) -> list[tuple[int, int]]:
    """Consecutive runs of days as (first, last), oldest first."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def streaks(days: set[int], today: int) -> tuple[int, int]:
    """(current, longest) over the set of practice days (date ordinals).

    The current streak is the run that reaches today or yesterday: a streak is not broken
    until a whole day has passed without practice. A listen whose local day is after `today`
    (recorded further east, before a move west) belongs to the run it continues.
    """
    runs = _runs(days)
    if not runs:
        return 0, 0
    longest = max(last - first + 1 for first, last in runs)
    first, last = runs[-1]
    current = last - first + 1 if last >= today - 1 else 0
    return current, longest


def statistics(listens: Iterable[PracticeLike], today: date | None = None, tz: tzinfo | None = None) -> Stats:
    """Totals, streaks and favourite themes; `today` defaults to today in `tz` (or the system's)."""
    heard = 0.0
    completed = 0
    days: set[int] = set()
    themes: Counter[str] = Counter()
    for listen in listens:
        heard += listen.heard_s
        if listen.completed:
            completed += int(listen.completed)  # a bool for one listen, a count for a summed row
            days.add(listen.day)
            if listen.theme:
                themes[listen.theme] += int(listen.completed)
    current, longest = streaks(days, _today_ordinal(today, tz))
    # Ties in count go by name, so the three named do not change from one run to the next.
    favourites = sorted(themes.items(), key=lambda item: (-item[1], item[0]))[:FAVOURITE_THEMES]
    return Stats(
        total_minutes=heard / 60,
        sessions_completed=completed,
        current_streak=current,
        longest_streak=longest,
        practice_days=len(days),
        favourite_themes=favourites,
    )


def minutes_per_week(
    listens: Iterable[PracticeLike], weeks: int = 12, today: date | None = None, tz: tzinfo | None = None
) -> list[tuple[date, float]]:
    """(Monday, minutes heard) for the last `weeks` weeks, oldest first, this week last.

    All time heard counts, completed or not: the chart shows practice, not achievement.
    """
    end = _today_ordinal(today, tz)
    this_monday = end - date.fromordinal(end).weekday()
    first_monday = this_monday - 7 * (weeks - 1)
    seconds = [0.0] * weeks
    for listen in listens:
        offset = listen.day - first_monday
        if 0 <= offset < 7 * weeks:
            seconds[offset // 7] += listen.heard_s
    return [(date.fromordinal(first_monday + 7 * i), s / 60) for i, s in enumerate(seconds)]


def practice_days(
    listens: Iterable[PracticeLike], weeks: int = 13, today: date | None = None, tz: tzinfo | None = None
) -> list[DayPractice]:
    """Every day from the Monday `weeks - 1` weeks before this week's up to today, oldest first,
    with minutes heard and completed listens: the calendar heatmap, one column per week."""
    end = _today_ordinal(today, tz)
    first = end - date.fromordinal(end).weekday() - 7 * (weeks - 1)
    count = end - first + 1
    seconds = [0.0] * count
    done = [0] * count
    for listen in listens:
        offset = listen.day - first
        if 0 <= offset < count:
            seconds[offset] += listen.heard_s
            done[offset] += int(listen.completed)
    return [DayPractice(date.fromordinal(first + i), seconds[i] / 60, done[i]) for i in range(count)]
