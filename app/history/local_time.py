"""The listener's time: this computer's zone, and how a moment is stored and read back.

A moment is stored in UTC with the offset the listener had then, so the local day of a listen
is the day the listener lived, even after a DST change or a move to another time zone.
"""

from __future__ import annotations

import contextlib
import functools
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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


def zone_name(moment: datetime) -> str | None:
    """The IANA name of `moment`'s zone, when it has one (a fixed offset has none)."""
    return getattr(moment.tzinfo, "key", None)


def require_aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its time zone (an aware datetime)")
    return moment


def utc_text(moment: datetime) -> str:
    """`moment` as stored: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def local_day(moment: datetime) -> int:
    """The date ordinal of `moment` as its own offset shows it: the day the listener lived."""
    return moment.toordinal()


def local_moment(utc: str | None, offset_min: int) -> datetime | None:
    """A stored moment back in the listener's offset of then (None stays None)."""
    if utc is None:
        return None
    return datetime.fromisoformat(utc).astimezone(_fixed_zone(offset_min))


@functools.cache
def _fixed_zone(offset_min: int) -> timezone:
    # A handful of offsets serve a whole log: one tzinfo each, not one per row.
    return timezone(timedelta(minutes=offset_min))
