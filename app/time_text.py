"""Durations and clock times as Kindred writes them for people: one look for the same thing
everywhere (the player, the timer, the terminal, messages).

Times are seconds (float) unless a name says otherwise. The script format's own duration
syntax (`1m30s`) is the parser's: `app.script.format_duration`.
"""

from __future__ import annotations


def clock(seconds: float) -> str:
    """A position or a length on a clock face: "3:12", "0:05", "1:03:12" past an hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_ms(milliseconds: int) -> str:
    """`clock` of a time in milliseconds (the player's unit)."""
    return clock(max(0, int(milliseconds)) // 1000)


def clock_tenths(seconds: float) -> str:
    """`10:00.0`: a rendered length to the tenth of a second."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def minutes_and_seconds(seconds: float) -> str:
    """`252.4` -> "4 min 12 s", to the nearest second; "1 h 2 min" style past an hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes or (hours and secs):
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


def length_label(seconds: float) -> str:
    """A length as a choice names it, fractions kept: "20 min", "1 h 30 min", "7 min 30 s", "7.5 s"."""
    seconds = round(float(seconds), 3)
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    secs = round(seconds - hours * 3600 - minutes * 60, 3)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs:g} s")
    return " ".join(parts)
