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
"""

from __future__ import annotations

import math

from app.script import MAX_LENGTH_SECONDS, MAX_PAUSE_SECONDS, Bell, Item, Meta, Pause, Script, Section
from app.time_text import length_label

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
    if not math.isfinite(length_s) or length_s <= 0:
        raise ValueError("Choose a length for the timer of at least one minute.")
    if length_s > MAX_LENGTH_SECONDS:
        raise ValueError(
            f"A timer can be at most {length_label(MAX_LENGTH_SECONDS)} long; "
            f"{length_label(length_s)} is too long."
        )
    if interval_s is not None and (not math.isfinite(interval_s) or interval_s <= 0):
        raise ValueError("The interval between bells must be longer than zero. Choose a longer one.")

    durations = dict(bell_seconds or {})
    used = [name for name in (start_bell, end_bell) if name]
    if interval_s is not None:
        used.append(interval_bell)
    missing = sorted({name for name in used if name not in durations})
    if missing:
        raise ValueError(
            f"The length of the bell {', '.join(missing)} is not known, so the timer cannot place it. "
            "Choose another bell."
        )

    # Placement is done in whole frames, the renderer's unit, so nothing is lost to rounding.
    def frames(seconds: float) -> int:
        return round(seconds * frame_rate)

    total = frames(length_s)
    start_len = frames(durations[start_bell]) if start_bell else 0
    end_len = frames(durations[end_bell]) if end_bell else 0
    start_done = frames(LEAD_IN) + start_len  # the start bell has rung out
    end_start = total - frames(LEAD_OUT) - end_len  # the end bell begins
    if end_start < start_done:
        needed = (start_done + end_len + frames(LEAD_OUT)) / frame_rate
        raise ValueError(
            f"{length_label(length_s)} is too short for these bells: they alone take "
            f"{math.ceil(needed)} seconds. Choose a longer time, or shorter or fewer bells."
        )

    interval_starts: list[int] = []
    interval_len = 0
    if interval_s is not None:
        interval_len = frames(durations[interval_bell])
        if frames(interval_s) < max(interval_len, start_done):
            longest = math.ceil(max(interval_len, start_done) / frame_rate)
            raise ValueError(
                f"An interval of {length_label(interval_s)} is shorter than the bells, which take "
                f"{longest} seconds to ring out. Choose a longer interval."
            )
        # Bell k rings at k × interval (a product, not a running sum: no drift), and only if
        # it has rung out before the end bell begins.
        while (at := frames((len(interval_starts) + 1) * interval_s)) + interval_len <= end_start:
            interval_starts.append(at)
        if not interval_starts:
            raise ValueError(
                f"An interval of {length_label(interval_s)} leaves no room for an interval bell in "
                f"{length_label(length_s)}. Choose a shorter interval, or turn interval bells off."
            )

    sections: list[Section] = []
    items: list[Item] = []
    cursor = frames(LEAD_IN)  # the renderer puts LEAD_IN of quiet before the first item
    if start_bell:
        items.append(Bell(start_bell))
        cursor += start_len
    for at in interval_starts:
        items += _pauses(at - cursor, frame_rate)
        sections.append(Section(_section_title(len(sections)), tuple(items)))
        # Each interval is a chapter that opens on its bell, so the player can jump to it.
        items = [Bell(interval_bell)]
        cursor = at + interval_len
    items += _pauses(end_start - cursor, frame_rate)
    if end_bell:
        items.append(Bell(end_bell))
    sections.append(Section(_section_title(len(sections)), tuple(items)))

    summary = f"{length_label(length_s)} of silent sitting"
    if interval_s is not None:
        summary += f", with a bell every {length_label(interval_s)}"
    meta = Meta(
        title=f"Timer · {length_label(length_s)}",
        summary=summary + ".",
        theme=TIMER_THEME,
        tags=("timer",),
        durations=(float(length_s),),
        ambience=ambience or None,
    )
    return Script(meta, tuple(sections), source="<timer>")


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
