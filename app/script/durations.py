"""Lengths of time as authors write them: `500ms`, `5s`, `1m30s`, `1h5m`, `1.5s`.

Arithmetic is done in Decimal so that what an author writes is what they get
(`0.1m` is exactly 6 s, not 6.000000000000001 s) and so that `format_duration` can
promise an exact round trip for every finite float.
"""

from __future__ import annotations

import math
import re
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, localcontext

# Enough digits that no sum of the numbers format_duration writes is ever rounded,
# and an exponent range wide enough that absurd input cannot raise decimal.Overflow.
_CONTEXT = Context(prec=1000, Emax=MAX_EMAX, Emin=MIN_EMIN)

# Largest first; a duration must use them in this order, each at most once.
_UNITS: dict[str, Decimal] = {"h": Decimal(3600), "m": Decimal(60), "s": Decimal(1), "ms": Decimal("0.001")}

# What people write instead of our units, to suggest the right one.
_UNIT_ALIASES = {
    "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "msec": "ms", "msecs": "ms", "millis": "ms", "millisecond": "ms", "milliseconds": "ms",
}  # fmt: skip

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LETTERS = re.compile(r"[^\W\d_]+")

HOW_TO_WRITE = "write a number and a unit (ms, s, m or h), e.g. 5m or 1m30s"


class DurationError(ValueError):
    """A duration that cannot be read.

    `problem` is a short phrase ("unknown unit min") for callers that build their own
    message around it; `fix` is a corrected spelling when one is obvious.
    """

    def __init__(self, text: str, problem: str, fix: str | None = None):
        self.text = text
        self.problem = problem
        self.fix = fix
        message = f"{_shown(text)} is not a length: {problem}; {HOW_TO_WRITE}"
        if fix:
            message += f"; did you mean {fix}?"
        super().__init__(message)


def _shown(text: str, limit: int = 40) -> str:
    text = text.strip() or "''"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_duration(text: str) -> float:
    """Seconds for a duration like `1m30s`. Raises DurationError (a ValueError)."""
    return float(_parse_exact(text))


def _parse_exact(text: str) -> Decimal:
    stripped = text.strip()
    if not stripped:
        raise DurationError(text, "it is empty")
    if stripped.startswith("-"):
        raise DurationError(text, "it is negative", _fix_or_none(stripped[1:]))
    if any(ch.isspace() for ch in stripped):
        raise DurationError(text, "it contains a space", _fix_or_none("".join(stripped.split())))

    total = Decimal(0)
    last_rank = -1
    position = 0
    with localcontext(_CONTEXT):
        while position < len(stripped):
            number = _NUMBER.match(stripped, position)
            if number is None:
                if position > 0:
                    raise DurationError(text, f"unexpected {stripped[position]!r}")
                fix = _fix_or_none("0" + stripped) if stripped.startswith(".") else None
                raise DurationError(text, "it does not start with a number", fix)
            position = number.end()
            letters = _LETTERS.match(stripped, position)
            if letters is None:  # the pattern never matches empty text: None is "no unit"
                if position < len(stripped):
                    raise DurationError(text, f"unexpected {stripped[position]!r}")
                raise DurationError(
                    text, "it has no unit" if number.start() == 0 else "the last number has no unit"
                )
            unit = letters.group()
            if unit not in _UNITS:
                raise DurationError(
                    text, f"unknown unit {_shown(unit, 12)}", _unit_fix(stripped, position, unit)
                )
            rank = list(_UNITS).index(unit)
            if rank == last_rank:
                raise DurationError(text, f"the unit {unit} appears twice")
            if rank < last_rank:
                raise DurationError(text, "its units are out of order (write the largest first)")
            last_rank = rank
            position = letters.end()
            total += Decimal(number.group()) * _UNITS[unit]
    if not math.isfinite(float(total)):
        raise DurationError(text, "it is too large")
    return total


def _unit_fix(stripped: str, position: int, unit: str) -> str | None:
    """The same text with a misspelt unit replaced, if that reads as a duration."""
    replacement = _UNIT_ALIASES.get(unit.lower(), unit.lower())
    if replacement == unit or replacement not in _UNITS:
        return None
    return _fix_or_none(stripped[:position] + replacement + stripped[position + len(unit) :])


def _fix_or_none(candidate: str) -> str | None:
    try:
        _parse_exact(candidate)
    except DurationError:
        return None
    return candidate


def format_duration(seconds: float) -> str:
    """Write a duration so that `parse_duration` reads back exactly `seconds`.

    The form is hours, minutes and seconds, largest first (`1h`, `10m`, `1m30s`),
    with a fraction kept in the seconds (`1.5s`) or, below one second, in
    milliseconds (`500ms`), which is how a person would write it.
    """
    seconds = float(seconds)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"cannot write {seconds!r} as a duration: it must be a finite number, 0 or more")
    if seconds == 0:
        return "0s"
    with localcontext(_CONTEXT):
        # repr is the shortest decimal that reads back as this float.
        exact = Decimal(repr(seconds))
        hours, rest = divmod(exact, 3600)
        minutes, secs = divmod(rest, 60)
        parts = []
        if hours:
            parts.append(f"{_plain(hours)}h")
        if minutes:
            parts.append(f"{_plain(minutes)}m")
        if secs:
            if secs < 1:
                parts.append(f"{_plain(secs.scaleb(3))}ms")
            else:
                parts.append(f"{_plain(secs)}s")
        written = "".join(parts)
        if parse_duration(written) == seconds:
            return written
        return f"{_plain(exact)}s"  # pragma: no cover - kept as a guarantee of the round trip


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 1E+2 -> 100, 30.50 -> 30.5."""
    return format(value.normalize(), "f")
