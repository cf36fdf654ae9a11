"""Re-planning a session while it plays, as the voice's real durations arrive.

A streamed session is planned before its sentences are spoken, from the voice's measured pace;
each sentence's real length is known only once it is synthesized. Re-planning puts the real
lengths in and lets the flexible pauses not yet reached absorb the difference, so the session
still ends at the chosen length and nothing already heard (or being heard) moves. When the
flexible silence left cannot absorb it (every such pause is at its declared minimum), the
total moves instead, and `Replanned.exact` says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.render.timeline import Event, Timeline, section_marks, share_extra


@dataclass(frozen=True)
class Replanned:
    timeline: Timeline
    exact: bool  # True when the total is still the length that was asked for


def replan_timeline(
    timeline: Timeline,
    known_frames: Callable[[str], int | None],
    locked_until: int,
    target_frames: int | None = None,
) -> Replanned:
    """The timeline with every speech event not yet started at its real length where known.

    Events that start before `locked_until` (the play head, plus what the player has already
    mixed ahead) keep their place and length. `target_frames` is the length to keep (default:
    the timeline's own total).
    """
    target = timeline.total_frames if target_frames is None else target_frames
    events = list(timeline.events)
    first_free = next((i for i, event in enumerate(events) if event.start >= locked_until), len(events))
    free = [_with_real_length(event, known_frames) for event in events[first_free:]]
    fixed_frames = sum(event.frames for event in events[:first_free])
    flexible = [i for i, event in enumerate(free) if event.flexible]
    rigid_frames = sum(event.frames for event in free if not event.flexible)
    base_frames = sum(free[i].base_frames for i in flexible)
    extra = target - fixed_frames - rigid_frames - base_frames
    exact = extra >= 0 and (extra == 0 or bool(flexible))
    for i, frames in share_extra(free, flexible, max(extra, 0)).items():
        free[i] = replace(free[i], frames=free[i].base_frames + frames)
    placed: list[Event] = events[:first_free]
    cursor = fixed_frames
    for event in free:
        placed.append(replace(event, start=cursor))
        cursor += event.frames
    natural = sum(event.base_frames if event.flexible else event.frames for event in placed)
    marks = section_marks([mark.title for mark in timeline.sections], placed)
    replanned = Timeline(timeline.rate, cursor, natural, tuple(placed), marks)
    return Replanned(replanned, exact and cursor == target)


def _with_real_length(event: Event, known_frames: Callable[[str], int | None]) -> Event:
    if event.kind != "speech":
        return event
    real = known_frames(event.text)
    return event if real is None else replace(event, frames=real)
