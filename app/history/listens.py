"""The listening log: every session heard, every timer sat, every practice entered by hand.

The player calls `start_listen` when sound begins, `checkpoint` at least every 10 s with the
time actually heard (seeking is not listening: the player counts played time, not position),
and `finish` at the end. Every call is one short write transaction, so a process killed at
any moment loses at most the time since the last checkpoint.

Times are stored in UTC with the listener's own offset at the start of the listen (see
app.history.local_time); what a listen is, is in app.history.listen_records, and how it is
a row of the table in app.history.listen_rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from app.history.listen_records import (
    COMPLETED_SHARE,
    MANUAL_TITLE,
    MAX_SECONDS,
    TIMER_END_TOLERANCE_S,
    Listen,
    NewListen,
    Practice,
    is_completed,
)
from app.history.listen_rows import (
    COLUMNS,
    INSERT,
    INSERT_NEW,
    checked_seconds,
    clean_note,
    listen_from_row,
    row_values,
)
from app.history.local_time import (
    local_day,
    local_now,
    offset_minutes,
    require_aware,
    system_zone_name,
    utc_text,
    zone_name,
)
from app.history.store import Store

__all__ = [
    "COMPLETED_SHARE",
    "EDITABLE",
    "MANUAL_TITLE",
    "MAX_SECONDS",
    "STALE_AFTER_S",
    "TIMER_END_TOLERANCE_S",
    "Listen",
    "ListenLog",
    "NewListen",
    "Practice",
    "is_completed",
    "local_now",
    "system_zone_name",
]

#: A listen still "in progress" that has not checkpointed for this long was left by a killed app.
STALE_AFTER_S = 60.0
#: The fields `ListenLog.edit` may change.
EDITABLE = {"title", "theme", "length_s", "heard_s", "started_at", "completed", "note"}


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
        start = require_aware(now, "now") if now is not None else local_now()
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, "
                "local_day, heard_s, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    script,
                    title,
                    theme,
                    checked_seconds(length_s, "length_s"),
                    utc_text(start),
                    offset_minutes(start),
                    zone_name(start),
                    local_day(start),
                    utc_text(start),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def checkpoint(self, listen_id: int, heard_s: float, now: datetime | None = None) -> None:
        """The time heard so far: one UPDATE, cheap enough to call every few seconds.

        Ignored once the listen is finished, so a late tick from the player cannot undo `finish`.
        """
        moment = utc_text(now if now is not None else datetime.now(UTC))
        with self.store.transaction() as db:
            db.execute(
                "UPDATE listens SET heard_s = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL",
                (checked_seconds(heard_s, "heard_s"), moment, listen_id),
            )

    def finish(
        self, listen_id: int, heard_s: float, completed: bool | None = None, now: datetime | None = None
    ) -> Listen:
        """Ends a listen. `completed` defaults to `is_completed` (a timer when script == "timer")."""
        heard = checked_seconds(heard_s, "heard_s")
        moment = utc_text(now if now is not None else datetime.now(UTC))
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
        seconds = checked_seconds(minutes * 60, "minutes")
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
                tz=zone_name(noon),
                heard_s=seconds,
                ended_at=noon + timedelta(seconds=seconds),
                completed=True,
                manual=True,
                note=clean_note(note),
            )
        )

    def set_note(self, listen_id: int, text: str | None) -> None:
        self._update(listen_id, "note = ?", (clean_note(text),))

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
                start = require_aware(value, "started_at")
                assignments += ["started_at = ?", "tz_offset_min = ?", "tz = ?", "local_day = ?"]
                values += [utc_text(start), offset_minutes(start), zone_name(start), local_day(start)]
                # Moving a listen moves all of it: the end keeps its distance from the start.
                before = self.get(listen_id)
                if before.ended_at is not None:
                    assignments.append("ended_at = ?")
                    values.append(utc_text(before.ended_at + (start - before.started_at)))
            elif name in {"length_s", "heard_s"}:
                assignments.append(f"{name} = ?")
                values.append(checked_seconds(value, name))
            elif name == "completed":
                assignments.append("completed = ?")
                values.append(int(bool(value)))
            elif name == "note":
                assignments.append("note = ?")
                values.append(clean_note(value))
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
                values = row_values(listen)
                yield (*values, values[4], values[1], values[0], last_before)

        with self.store.transaction() as db:
            last_before = db.execute("SELECT coalesce(max(id), 0) FROM listens").fetchone()[0]
            before = db.total_changes
            db.executemany(INSERT_NEW, rows())
            added = db.total_changes - before
        return added, offered - added

    # -- reading ---------------------------------------------------------------------------

    def get(self, listen_id: int) -> Listen:
        rows = self.store.query(f"SELECT {COLUMNS} FROM listens WHERE id = ?", (listen_id,))
        if not rows:
            raise KeyError(listen_id)
        return listen_from_row(rows[0])

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
        sql = f"SELECT {COLUMNS} FROM listens WHERE {' AND '.join(where)} ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            values += [limit, offset]
        return [listen_from_row(row) for row in self.store.query(sql, values)]

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

    def _insert(self, listen: NewListen) -> int:
        with self.store.transaction() as db:
            cursor = db.execute(INSERT, row_values(listen))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, listen_id: int, assignments: str, values: tuple[Any, ...]) -> None:
        with self.store.transaction() as db:
            cursor = db.execute(f"UPDATE listens SET {assignments} WHERE id = ?", (*values, listen_id))
            if cursor.rowcount == 0:
                raise KeyError(listen_id)
