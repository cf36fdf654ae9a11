"""The listening log: every session heard, every timer sat, every practice entered by hand.

The player calls `start_listen` when sound begins, `checkpoint` at least every 10 s with the
time actually heard (seeking is not listening: the player counts played time, not position),
and `finish` at the end. Every call is one short write transaction, so a process killed at
any moment loses at most the time since the last checkpoint.

Times are stored in UTC with the listener's own offset at the start of the listen; the local
day of a listen is therefore the day the listener lived, even after a DST change or a move to
another time zone.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.history.store import Store

#: Completed means heard at least this share of the chosen length (the issue's rule).
COMPLETED_SHARE = 0.9
#: A timer counts as reaching its end this close to it: the player's clock ticks, it is not exact.
TIMER_END_TOLERANCE_S = 1.0
#: A listen still "in progress" that has not checkpointed for this long was left by a killed app.
STALE_AFTER_S = 60.0
#: The title of a practice entered by hand.
MANUAL_TITLE = "Practice without the app"

_COLUMNS = (
    "id, script, title, theme, length_s, started_at, tz_offset_min, tz, heard_s, ended_at, "
    "completed, manual, note, deleted"
)
_INSERT = (
    "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, local_day, heard_s, "
    "ended_at, updated_at, completed, manual, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: The same, unless the log has that listen already (an import of a file imported before).
_INSERT_NEW = (
    "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, local_day, heard_s, "
    "ended_at, updated_at, completed, manual, note) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "WHERE NOT EXISTS (SELECT 1 FROM listens WHERE started_at = ? AND title = ? AND script IS ? AND id <= ?)"
)
#: The fields `ListenLog.edit` may change.
EDITABLE = {"title", "theme", "length_s", "heard_s", "started_at", "completed", "note"}


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


# -- time zones ------------------------------------------------------------------------------


def system_zone_name() -> str | None:
    """The IANA name of this computer's time zone, or None when it cannot be told."""
    candidates = []
    if value := os.environ.get("TZ"):
        candidates.append(value.lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text("utf-8").strip())
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return None


def local_now() -> datetime:
    """Now, in the system's zone when it has a name (so the record keeps it), else its offset."""
    name = system_zone_name()
    return datetime.now(ZoneInfo(name)) if name else datetime.now().astimezone()


def _zone_name(moment: datetime) -> str | None:
    return getattr(moment.tzinfo, "key", None)


def _require_aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its time zone (an aware datetime)")
    return moment


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def _local_day(moment: datetime) -> int:
    """The date ordinal of `moment` as its own offset shows it: the day the listener lived."""
    return moment.toordinal()


@functools.cache
def _fixed_zone(offset_min: int) -> timezone:
    # A handful of offsets serve a whole log: one tzinfo each, not one per row.
    return timezone(timedelta(minutes=offset_min))


def _local(utc_text: str | None, offset_min: int) -> datetime | None:
    if utc_text is None:
        return None
    return datetime.fromisoformat(utc_text).astimezone(_fixed_zone(offset_min))


def _row_to_listen(row: tuple[Any, ...]) -> Listen:
    offset = int(row[6])
    started = _local(row[5], offset)
    assert started is not None
    return Listen(
        id=int(row[0]),
        script=row[1],
        title=row[2],
        theme=row[3],
        length_s=float(row[4]),
        started_at=started,
        tz=row[7],
        heard_s=float(row[8]),
        ended_at=_local(row[9], offset),
        completed=bool(row[10]),
        manual=bool(row[11]),
        note=row[12],
        deleted=bool(row[13]),
    )


def _clean_note(text: str | None) -> str | None:
    # An empty reflection is no reflection: store NULL, so "has a note" has one meaning.
    if text is None:
        return None
    text = text.strip()
    return text or None


#: No listen is longer than a day: a larger figure is a mistake, and would overflow the totals.
MAX_SECONDS = 86_400.0


def _seconds(value: float, what: str) -> float:
    value = float(value)
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"{what} must be a number of seconds from 0 to {MAX_SECONDS:.0f} (got {value:g})")
    return value


class ListenLog:
    """The listens table of a `Store`: writes in transactions, reads newest first."""

    def __init__(self, store: Store):
        self.store = store

    # -- what the player records -----------------------------------------------------------

    def start_listen(
        self,
        script: str | None,
        title: str,
        theme: str | None,
        length_s: float,
        now: datetime | None = None,
    ) -> int:
        """Records that a listen began; returns its id. `now` (aware) is local time at the start.

        `script` is the script's slug, "timer" for a timer sit.
        """
        start = _require_aware(now, "now") if now is not None else local_now()
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, "
                "local_day, heard_s, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    script,
                    title,
                    theme,
                    _seconds(length_s, "length_s"),
                    _utc_text(start),
                    _offset_minutes(start),
                    _zone_name(start),
                    _local_day(start),
                    _utc_text(start),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def checkpoint(self, listen_id: int, heard_s: float, now: datetime | None = None) -> None:
        """The time heard so far: one UPDATE, cheap enough to call every few seconds.

        Ignored once the listen is finished, so a late tick from the player cannot undo `finish`.
        """
        moment = _utc_text(now if now is not None else datetime.now(UTC))
        with self.store.transaction() as db:
            db.execute(
                "UPDATE listens SET heard_s = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL",
                (_seconds(heard_s, "heard_s"), moment, listen_id),
            )

    def finish(
        self, listen_id: int, heard_s: float, completed: bool | None = None, now: datetime | None = None
    ) -> Listen:
        """Ends a listen. `completed` defaults to `is_completed` (a timer when script == "timer")."""
        heard = _seconds(heard_s, "heard_s")
        moment = _utc_text(now if now is not None else datetime.now(UTC))
        with self.store.transaction() as db:
            row = db.execute("SELECT length_s, script FROM listens WHERE id = ?", (listen_id,)).fetchone()
            if row is None:
                raise KeyError(listen_id)
            if completed is None:
                completed = is_completed(heard, float(row[0]), timer=row[1] == "timer")
            db.execute(
                "UPDATE listens SET heard_s = ?, ended_at = ?, updated_at = ?, completed = ? WHERE id = ?",
                (heard, moment, moment, int(completed), listen_id),
            )
        return self.get(listen_id)

    def close_abandoned(self, now: datetime | None = None, stale_after_s: float = STALE_AFTER_S) -> int:
        """Finishes listens left in progress by an app that was killed; returns how many.

        Each keeps its last checkpoint and ends when that was written. Only listens silent for
        `stale_after_s` are touched, so a second Kindred playing right now keeps its own.
        """
        moment = now.astimezone(UTC) if now is not None else datetime.now(UTC)
        limit = (moment - timedelta(seconds=stale_after_s)).isoformat(timespec="seconds")
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT id, heard_s, length_s, script, updated_at FROM listens "
                "WHERE ended_at IS NULL AND manual = 0 AND updated_at < ?",
                (limit,),
            ).fetchall()
            for listen_id, heard, length, script, updated in rows:
                done = is_completed(float(heard), float(length), timer=script == "timer")
                db.execute(
                    "UPDATE listens SET ended_at = ?, completed = ? WHERE id = ?",
                    (updated, int(done), listen_id),
                )
        return len(rows)

    # -- what the person records -----------------------------------------------------------

    def add_manual(self, day: date, minutes: float, note: str | None = None, tz: tzinfo | None = None) -> int:
        """A practice without the app ("I practised without it"): counted as one completed practice on `day`.

        It is placed at local noon of `day` (in `tz`, else this computer's zone), so its local
        day is `day` whatever the offset.
        """
        seconds = _seconds(minutes * 60, "minutes")
        if seconds <= 0:
            raise ValueError("a practice entered by hand needs at least some minutes")
        zone = tz if tz is not None else local_now().tzinfo
        noon = datetime.combine(day, time(12), tzinfo=zone)
        return self._insert(
            NewListen(
                script=None,
                title=MANUAL_TITLE,
                theme=None,
                length_s=seconds,
                started_at=noon,
                tz=_zone_name(noon),
                heard_s=seconds,
                ended_at=noon + timedelta(seconds=seconds),
                completed=True,
                manual=True,
                note=_clean_note(note),
            )
        )

    def set_note(self, listen_id: int, text: str | None) -> None:
        self._update(listen_id, "note = ?", (_clean_note(text),))

    def edit(self, listen_id: int, **fields: Any) -> Listen:
        """Changes some of `EDITABLE`; `started_at` (aware) keeps its own offset as the local one.

        `completed` is not recomputed when `heard_s` changes: a person correcting the record
        says what happened, and the rule is only the player's default.
        """
        unknown = set(fields) - EDITABLE
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ValueError(f"cannot edit {names}; editable: {', '.join(sorted(EDITABLE))}")
        assignments: list[str] = []
        values: list[Any] = []
        for name, value in fields.items():
            if name == "started_at":
                start = _require_aware(value, "started_at")
                assignments += ["started_at = ?", "tz_offset_min = ?", "tz = ?", "local_day = ?"]
                values += [_utc_text(start), _offset_minutes(start), _zone_name(start), _local_day(start)]
                # Moving a listen moves all of it: the end keeps its distance from the start.
                before = self.get(listen_id)
                if before.ended_at is not None:
                    assignments.append("ended_at = ?")
                    values.append(_utc_text(before.ended_at + (start - before.started_at)))
            elif name in {"length_s", "heard_s"}:
                assignments.append(f"{name} = ?")
                values.append(_seconds(value, name))
            elif name == "completed":
                assignments.append("completed = ?")
                values.append(int(bool(value)))
            elif name == "note":
                assignments.append("note = ?")
                values.append(_clean_note(value))
            elif name == "theme":
                assignments.append("theme = ?")
                values.append(str(value).strip() or None if value is not None else None)
            elif name == "title":
                if not str(value).strip():
                    raise ValueError("a listen needs a title")
                assignments.append("title = ?")
                values.append(str(value).strip())
        if assignments:
            self._update(listen_id, ", ".join(assignments), tuple(values))
        return self.get(listen_id)

    def delete(self, listen_id: int) -> None:
        """Hides a listen; `undo_delete` brings it back (nothing is lost until then)."""
        self._update(listen_id, "deleted = 1", ())

    def undo_delete(self, listen_id: int) -> None:
        self._update(listen_id, "deleted = 0", ())

    def add_listens(self, listens: Iterable[NewListen]) -> tuple[int, int]:
        """Adds many (an import) in one transaction: all of them or, on any error, none. A
        listen already in the log (the same start, title and script: the same file imported
        twice) is not added again; rows alike within one import are all added (two practices
        entered by hand on one day). Returns (added, already there). The listens are taken one
        at a time, so a file of a million rows needs no more memory than one of ten."""
        offered = 0
        last_before = 0

        def rows() -> Iterable[tuple[Any, ...]]:
            nonlocal offered
            for listen in listens:
                offered += 1
                values = self._values(listen)
                yield (*values, values[4], values[1], values[0], last_before)

        with self.store.transaction() as db:
            last_before = db.execute("SELECT coalesce(max(id), 0) FROM listens").fetchone()[0]
            before = db.total_changes
            db.executemany(_INSERT_NEW, rows())
            added = db.total_changes - before
        return added, offered - added

    # -- reading ---------------------------------------------------------------------------

    def get(self, listen_id: int) -> Listen:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM listens WHERE id = ?", (listen_id,))
        if not rows:
            raise KeyError(listen_id)
        return _row_to_listen(rows[0])

    def listens(
        self, month: str | None = None, theme: str | None = None, limit: int | None = 50, offset: int = 0
    ) -> list[Listen]:
        """Listens newest first; `month` ("2026-03") is the listener's local month."""
        where = ["deleted = 0"]
        values: list[Any] = []
        if theme is not None:
            where.append("theme = ?")
            values.append(theme)
        if month is not None:
            first = date.fromisoformat(f"{month}-01")
            after = (first + timedelta(days=32)).replace(day=1)
            # A range on started_at (UTC) lets the index narrow the scan; offsets reach ±14 h,
            # so widen by a day and let the exact local month decide at the edges.
            where.append("started_at >= ? AND started_at < ?")
            values += [(first - timedelta(days=1)).isoformat(), (after + timedelta(days=1)).isoformat()]
            where.append("strftime('%Y-%m', started_at, printf('%+d minutes', tz_offset_min)) = ?")
            values.append(month)
        sql = f"SELECT {_COLUMNS} FROM listens WHERE {' AND '.join(where)} ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            values += [limit, offset]
        return [_row_to_listen(row) for row in self.store.query(sql, values)]

    def count(self) -> int:
        return int(self.store.query("SELECT count(*) FROM listens WHERE deleted = 0")[0][0])

    def themes(self) -> list[str]:
        """The themes that occur in the log, for the history view's filter."""
        rows = self.store.query(
            "SELECT DISTINCT theme FROM listens WHERE deleted = 0 AND theme IS NOT NULL ORDER BY theme"
        )
        return [str(row[0]) for row in rows]

    def practice(self) -> list[Practice]:
        """The log summed per local day and theme, for app.history.stats.

        Summed by SQLite over an index of integers: 100,000 listens become a few thousand rows
        without a date parsed or a Python object made per listen.
        """
        rows = self.store.query(
            "SELECT local_day, sum(heard_s), sum(completed), theme FROM listens "
            "WHERE deleted = 0 GROUP BY local_day, theme"
        )
        return [Practice(int(day), float(heard), int(done), theme) for day, heard, done, theme in rows]

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _values(listen: NewListen) -> tuple[Any, ...]:
        start = _require_aware(listen.started_at, "started_at")
        ended = _utc_text(_require_aware(listen.ended_at, "ended_at")) if listen.ended_at else None
        if not listen.title.strip():
            raise ValueError("a listen needs a title")
        return (
            listen.script,
            listen.title,
            listen.theme,
            _seconds(listen.length_s, "length_s"),
            _utc_text(start),
            _offset_minutes(start),
            listen.tz,
            _local_day(start),
            _seconds(listen.heard_s, "heard_s"),
            ended,
            ended or _utc_text(start),
            int(listen.completed),
            int(listen.manual),
            _clean_note(listen.note),
        )

    def _insert(self, listen: NewListen) -> int:
        with self.store.transaction() as db:
            cursor = db.execute(_INSERT, self._values(listen))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, listen_id: int, assignments: str, values: tuple[Any, ...]) -> None:
        with self.store.transaction() as db:
            cursor = db.execute(f"UPDATE listens SET {assignments} WHERE id = ?", (*values, listen_id))
            if cursor.rowcount == 0:
                raise KeyError(listen_id)
