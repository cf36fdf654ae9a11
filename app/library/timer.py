"""The unguided timer: silence held by bells, built as an ordinary Script.

A timer is a script with no speech: bells and fixed pauses. Because the renderer places
every event back to back, each bell lands exactly where it should only if every pause is
computed from the real length of the bells around it; the caller passes those lengths in
(`bell_seconds`, measured from the decoded bells by the UI, which may import the renderer).

Times are on the session clock, the one the player shows: the start bell rings at LEAD_IN,
interval bell k at k × interval, and the end bell finishes exactly LEAD_OUT before the end.
Every time is placed in whole frames of the renderer's rate and every pause is a whole
number of frames, so the rendered session is exactly `length_s` long (as the renderer
rounds it) and no bell drifts, however many intervals there are.

`bell_times` and `describe_bells` say when a timer's bells ring (the Timer page's preview line).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.script import MAX_LENGTH_SECONDS, MAX_PAUSE_SECONDS, Bell, Item, Meta, Pause, Script, Section
from app.time_text import clock, length_label

#: The renderer's quiet before the first sound and after the last (app.render.timeline's
#: LEAD_IN and LEAD_OUT; library may not import render, and a test keeps the two equal).
LEAD_IN = 0.5
LEAD_OUT = 1.5

#: The renderer's session rate (app.render.pcm.SESSION_RATE), the unit every time is counted in.
FRAME_RATE = 22050

DEFAULT_TIMER_BELL = "singing-bowl"
DEFAULT_INTERVAL_BELL = "soft-chime"
TIMER_THEME = "timer"


def make_timer_script(
    length_s: float,
    interval_s: float | None = None,
    start_bell: str | None = DEFAULT_TIMER_BELL,
    end_bell: str | None = DEFAULT_TIMER_BELL,
    interval_bell: str = DEFAULT_INTERVAL_BELL,
    ambience: str | None = None,
    bell_seconds: dict[str, float] | None = None,
    frame_rate: int = FRAME_RATE,
) -> Script:
    """A Script that renders to exactly `length_s` seconds of silence marked by bells.

    `bell_seconds` maps each bell's name to its length in seconds (as decoded for the
    session); every bell used must be in it. `None` for a bell leaves it out; `interval_s`
    None means no interval bells. `frame_rate` is the renderer's: times are placed in whole
    frames of it, so the length is exact for any `length_s`. Raises ValueError, with a
    message fit to show the listener, for combinations that cannot be played.
    """
    _check_lengths(length_s, interval_s)
    used = [name for name in (start_bell, end_bell) if name]
    if interval_s is not None:
        used.append(interval_bell)
    durations = _known_durations(bell_seconds, used)
    placed = _place_bells(length_s, interval_s, start_bell, end_bell, interval_bell, durations, frame_rate)
    return Script(_meta(length_s, interval_s, ambience), _sections(placed, frame_rate), source="<timer>")


def bell_times(script: Script, durations: dict[str, float]) -> list[float]:
    """When each bell of a timer script rings, in seconds on the session clock.

    `durations` are the bells' lengths in seconds, as given to make_timer_script: the
    renderer plays the script's items back to back after LEAD_IN, and so does this.
    """
    times: list[float] = []
    cursor = LEAD_IN
    for _, item in script.items():
        if isinstance(item, Bell):
            times.append(cursor)
            cursor += durations.get(item.name or DEFAULT_TIMER_BELL, 0.0)
        elif isinstance(item, Pause):
            cursor += item.seconds
    return times


def describe_bells(times: list[float], length_s: float, *, start_bell: bool, end_bell: bool) -> str:
    """A sentence saying when the bells at `times` ring, for a timer of `length_s` seconds
    that has (or has not) a start bell and an end bell."""
    clocks = [clock(t) for t in times]
    if not clocks:
        return f"{length_label(length_s)} of silence, without bells."
    # Bare times ("Bells at 0:00 and 19:48") left the listener to guess what each bell is for:
    # each is named by its part, and the end bell by when it has rung out.
    begin = clocks.pop(0) if start_bell else None
    end = clocks.pop() if end_bell else None
    parts = []
    if begin is not None:
        parts.append(f"a bell to begin, at {begin}")
    if len(clocks) == 1:
        parts.append(f"an interval bell at {clocks[0]}")
    elif clocks:
        parts.append(f"interval bells at {', '.join(clocks[:-1])} and {clocks[-1]}")
    if end is not None:
        ender = "one" if begin is not None else "a bell"
        parts.append(f"{ender} to end, at {end}, so that it has rung out by {clock(length_s)}")
    if len(parts) == 1:
        sentence = parts[0]
    elif len(parts) == 2:
        sentence = f"{parts[0]}, and {parts[1]}"
    else:
        sentence = f"{'; '.join(parts[:-1])}; and {parts[-1]}"
    return sentence[0].upper() + sentence[1:] + "."


# -- building the script ------------------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    """Where a timer's bells go, in frames of the renderer's rate on the session clock."""

    start_bell: str | None
    start_len: int  # the start bell's length (0 without one)
    interval_bell: str
    interval_len: int
    interval_starts: list[int]  # where each interval bell begins
    end_bell: str | None
    end_start: int  # where the end bell begins (or the closing silence ends, without one)


def _frames(seconds: float, frame_rate: int) -> int:
    # Placement is done in whole frames, the renderer's unit, so nothing is lost to rounding.
    return round(seconds * frame_rate)


def _check_lengths(length_s: float, interval_s: float | None) -> None:
    """Refuses a length or an interval no timer can have (whatever its bells)."""
    if not math.isfinite(length_s) or length_s <= 0:
        raise ValueError("Choose a length for the timer of at least one minute.")
    if length_s > MAX_LENGTH_SECONDS:
        raise ValueError(
            f"A timer can be at most {length_label(MAX_LENGTH_SECONDS)} long; "
            f"{length_label(length_s)} is too long."
        )
    if interval_s is not None and (not math.isfinite(interval_s) or interval_s <= 0):
        raise ValueError("The interval between bells must be longer than zero. Choose a longer one.")


def _known_durations(bell_seconds: dict[str, float] | None, used: list[str]) -> dict[str, float]:
    """The bells' lengths, once every bell `used` is known to be among them."""
    durations = dict(bell_seconds or {})
    missing = sorted({name for name in used if name not in durations})
    if missing:
        raise ValueError(
            f"The length of the bell {', '.join(missing)} is not known, so the timer cannot place it. "
            "Choose another bell."
        )
    return durations


def _place_bells(
    length_s: float,
    interval_s: float | None,
    start_bell: str | None,
    end_bell: str | None,
    interval_bell: str,
    durations: dict[str, float],
    frame_rate: int,
) -> _Placement:
    """Every bell's place; ValueError when they do not fit in `length_s`."""
    total = _frames(length_s, frame_rate)
    start_len = _frames(durations[start_bell], frame_rate) if start_bell else 0
    end_len = _frames(durations[end_bell], frame_rate) if end_bell else 0
    lead_out = _frames(LEAD_OUT, frame_rate)
    start_done = _frames(LEAD_IN, frame_rate) + start_len  # the start bell has rung out
    end_start = total - lead_out - end_len  # the end bell begins
    if end_start < start_done:
        needed = (start_done + end_len + lead_out) / frame_rate
        raise ValueError(
            f"{length_label(length_s)} is too short for these bells: they alone take "
            f"{math.ceil(needed)} seconds. Choose a longer time, or shorter or fewer bells."
        )
    interval_starts: list[int] = []
    interval_len = 0
    if interval_s is not None:
        interval_len = _frames(durations[interval_bell], frame_rate)
        interval_starts = _interval_starts(
            length_s, interval_s, interval_len, start_done, end_start, frame_rate
        )
    return _Placement(
        start_bell, start_len, interval_bell, interval_len, interval_starts, end_bell, end_start
    )


def _interval_starts(
    length_s: float, interval_s: float, interval_len: int, start_done: int, end_start: int, frame_rate: int
) -> list[int]:
    """Where each interval bell begins: not before the start bell has rung out (`start_done`),
    and only if it has rung out itself before the end bell begins (`end_start`)."""
    if _frames(interval_s, frame_rate) < max(interval_len, start_done):
        longest = math.ceil(max(interval_len, start_done) / frame_rate)
        raise ValueError(
            f"An interval of {length_label(interval_s)} is shorter than the bells, which take "
            f"{longest} seconds to ring out. Choose a longer interval."
        )
    starts: list[int] = []
    # Bell k rings at k × interval (a product, not a running sum: no drift), and only if
    # it has rung out before the end bell begins.
    while (at := _frames((len(starts) + 1) * interval_s, frame_rate)) + interval_len <= end_start:
        starts.append(at)
    if not starts:
        raise ValueError(
            f"An interval of {length_label(interval_s)} leaves no room for an interval bell in "
            f"{length_label(length_s)}. Choose a shorter interval, or turn interval bells off."
        )
    return starts


def _sections(placed: _Placement, frame_rate: int) -> tuple[Section, ...]:
    """The bells with the silences between them: one section per interval, each opening on its bell."""
    sections: list[Section] = []
    items: list[Item] = []
    cursor = _frames(LEAD_IN, frame_rate)  # the renderer puts LEAD_IN of quiet before the first item
    if placed.start_bell:
        items.append(Bell(placed.start_bell))
        cursor += placed.start_len
    for at in placed.interval_starts:
        items += _pauses(at - cursor, frame_rate)
        sections.append(Section(_section_title(len(sections)), tuple(items)))
        # Each interval is a chapter that opens on its bell, so the player can jump to it.
        items = [Bell(placed.interval_bell)]
        cursor = at + placed.interval_len
    items += _pauses(placed.end_start - cursor, frame_rate)
    if placed.end_bell:
        items.append(Bell(placed.end_bell))
    sections.append(Section(_section_title(len(sections)), tuple(items)))
    return tuple(sections)


def _meta(length_s: float, interval_s: float | None, ambience: str | None) -> Meta:
    summary = f"{length_label(length_s)} of silent sitting"
    if interval_s is not None:
        summary += f", with a bell every {length_label(interval_s)}"
    return Meta(
        title=f"Timer · {length_label(length_s)}",
        summary=summary + ".",
        theme=TIMER_THEME,
        tags=("timer",),
        durations=(float(length_s),),
        ambience=ambience or None,
    )


def _section_title(index: int) -> str:
    return "Sitting" if index == 0 else f"Interval {index + 1}"


def _pauses(frames: int, frame_rate: int) -> list[Pause]:
    """Fixed silence of `frames`, split so that no pause exceeds the format's limit (the
    script can then be written out and read back like any other). frames / rate read back
    as the same whole frames in the renderer: round(frames / rate * rate) == frames."""
    limit = MAX_PAUSE_SECONDS * frame_rate
    pieces = [Pause(float(MAX_PAUSE_SECONDS))] * (frames // limit)
    if frames % limit:
        pieces.append(Pause(frames % limit / frame_rate))
    return pieces
