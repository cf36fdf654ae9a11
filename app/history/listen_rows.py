"""A listen as a row of the `listens` table: the SQL that reads and adds them, and the checks
and conversions between a row and a Listen (times, seconds, notes)."""

from __future__ import annotations

import math
from typing import Any

from app.history.listen_records import MAX_SECONDS, Listen, NewListen
from app.history.local_time import local_day, local_moment, offset_minutes, require_aware, utc_text

#: The columns a Listen is read from, in the order `listen_from_row` takes them.
COLUMNS = (
    "id, script, title, theme, length_s, started_at, tz_offset_min, tz, heard_s, ended_at, "
    "completed, manual, note, deleted"
)
#: Adds one listen from the values of `row_values`.
INSERT = (
    "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, local_day, heard_s, "
    "ended_at, updated_at, completed, manual, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: The same, unless the log has that listen already (an import of a file imported before).
INSERT_NEW = (
    "INSERT INTO listens (script, title, theme, length_s, started_at, tz_offset_min, tz, local_day, heard_s, "
    "ended_at, updated_at, completed, manual, note) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "WHERE NOT EXISTS (SELECT 1 FROM listens WHERE started_at = ? AND title = ? AND script IS ? AND id <= ?)"
)


def listen_from_row(row: tuple[Any, ...]) -> Listen:
    """A Listen from a row of `COLUMNS`."""
    offset = int(row[6])
    started = local_moment(row[5], offset)
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
        ended_at=local_moment(row[9], offset),
        completed=bool(row[10]),
        manual=bool(row[11]),
        note=row[12],
        deleted=bool(row[13]),
    )


def row_values(listen: NewListen) -> tuple[Any, ...]:
    """The values `INSERT` takes for `listen`, checked: ValueError when it cannot be stored."""
    start = require_aware(listen.started_at, "started_at")
    ended = utc_text(require_aware(listen.ended_at, "ended_at")) if listen.ended_at else None
    if not listen.title.strip():
        raise ValueError("a listen needs a title")
    return (
        listen.script,
        listen.title,
        listen.theme,
        checked_seconds(listen.length_s, "length_s"),
        utc_text(start),
        offset_minutes(start),
        listen.tz,
        local_day(start),
        checked_seconds(listen.heard_s, "heard_s"),
        ended,
        ended or utc_text(start),
        int(listen.completed),
        int(listen.manual),
        clean_note(listen.note),
    )


def clean_note(text: str | None) -> str | None:
    # An empty reflection is no reflection: store NULL, so "has a note" has one meaning.
    if text is None:
        return None
    text = text.strip()
    return text or None


def checked_seconds(value: float, what: str) -> float:
    """`value` as a float of seconds; ValueError when it is not from 0 to a day."""
    value = float(value)
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"{what} must be a number of seconds from 0 to {MAX_SECONDS:.0f} (got {value:g})")
    return value
