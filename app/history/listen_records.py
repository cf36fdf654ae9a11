"""What the listening log holds: a listen as read back, a listen to add, a day's practice,
and the rule that says when a listen counts as completed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

#: Completed means heard at least this share of the chosen length (the issue's rule).
COMPLETED_SHARE = 0.9
#: A timer counts as reaching its end this close to it: the player's clock ticks, it is not exact.
TIMER_END_TOLERANCE_S = 1.0
#: The title of a practice entered by hand.
MANUAL_TITLE = "Practice without the app"
#: No listen is longer than a day: a larger figure is a mistake, and would overflow the totals.
MAX_SECONDS = 86_400.0


@dataclass(frozen=True, slots=True)
class Listen:
    """One row of the log. `started_at` and `ended_at` are in the listener's local offset then."""

    id: int
    script: str | None
    title: str
    theme: str | None
    length_s: float
    started_at: datetime
    tz: str | None
    heard_s: float
    ended_at: datetime | None
    completed: bool
    manual: bool
    note: str | None = None
    deleted: bool = False

    @property
    def tz_offset_min(self) -> int:
        offset = self.started_at.utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0

    @property
    def day(self) -> int:
        """The local day of the start as a date ordinal (what app.history.stats counts)."""
        return self.started_at.toordinal()

    @property
    def local_date(self) -> date:
        return self.started_at.date()

    @property
    def in_progress(self) -> bool:
        return self.ended_at is None and not self.manual

    @property
    def minutes_heard(self) -> float:
        return self.heard_s / 60


class NewListen(NamedTuple):
    """A listen not yet in the database (what a CSV import yields); times in local offset."""

    script: str | None
    title: str
    theme: str | None
    length_s: float
    started_at: datetime
    tz: str | None
    heard_s: float
    ended_at: datetime | None
    completed: bool
    manual: bool
    note: str | None


class Practice(NamedTuple):
    """The listens of one local day and theme, summed: all that statistics need, and few rows."""

    day: int  # date ordinal of the local day the listens started
    heard_s: float
    completed: int  # how many of them were completed
    theme: str | None


def is_completed(heard_s: float, length_s: float, timer: bool = False) -> bool:
    """Heard at least 90% of the chosen length; a timer also counts when it reached its end."""
    if length_s <= 0:
        return heard_s > 0
    if timer and heard_s >= length_s - TIMER_END_TOLERANCE_S:
        return True
    # A hair below 90% from float arithmetic (540 of 600 s computed as 539.9999) still counts.
    return heard_s >= COMPLETED_SHARE * length_s - 1e-6
